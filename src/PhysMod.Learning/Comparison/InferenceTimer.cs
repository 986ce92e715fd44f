using System.Diagnostics;
using PhysMod.Learning.Models;
using PhysMod.Realtime;
using static TorchSharp.torch;

namespace PhysMod.Learning.Comparison;

/// <summary>Measures a trained model's inference speed: a batched rollout per step, and the real-time factor stepped sample by sample.</summary>
/// <remarks>Sample by sample, each call produces one frame, which is one audio sample at the dataset's frame rate fs:
/// x_{k+1} = Rollout(x_k, 2)[:, 1], and the pickup value is read out each step as a player would. For a Markov model
/// (DMD, autoregressive operators) this is the model's own recursion; a latent-state model (Koopman, SSM) re-encodes its
/// prediction each step, so the timing is that of the call, not of a real-time implementation of its latent recursion.
/// real-time factor = (steps / fs) / wall seconds.</remarks>
public static class InferenceTimer
{
    /// <summary>Times <paramref name="model"/> on normalised initial frames <paramref name="initial"/> (B, W, C).</summary>
    /// <param name="model">The model, in eval mode.</param>
    /// <param name="initial">Normalised initial frames (B, W, C).</param>
    /// <param name="frames">Frames per batched rollout (the evaluation horizon).</param>
    /// <param name="sampleRate">Frames (= audio samples) per second.</param>
    /// <param name="pickupIndex">Grid index read out each sample-by-sample step.</param>
    /// <param name="minimumSeconds">Minimum wall time of each measurement.</param>
    /// <param name="voice">A real-time voice of the same model: when given, the sample-by-sample figure is measured on it instead.</param>
    public static InferenceTiming Measure(ITrajectoryModel model, Tensor initial, int frames, double sampleRate, int pickupIndex,
        double minimumSeconds, IVoice? voice = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(initial);
        if (initial.dim() != 3) throw new ArgumentException($"initial must be (B, W, C); got ({string.Join(", ", initial.shape)})", nameof(initial));
        if (frames < 2) throw new ArgumentOutOfRangeException(nameof(frames), frames, "frames must be ≥ 2");
        if (!(sampleRate > 0)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be > 0");
        model.Module.eval();
        using var noGrad = no_grad();

        // Batched: one warm-up call, then repeat until the time budget is spent (at least 3 timed calls); the median is kept.
        var times = new List<double>();
        Batched(model, initial, frames);
        var budget = Stopwatch.StartNew();
        while (times.Count < 3 || (budget.Elapsed.TotalSeconds < minimumSeconds && times.Count < 1000))
        {
            var call = Stopwatch.StartNew();
            Batched(model, initial, frames);
            times.Add(call.Elapsed.TotalSeconds);
        }
        double median = PhysMod.Physics.Diagnostics.SampleStatistics.Median(times);

        var (steps, wall, cpu, method) = voice is null
            ? SampleBySample(model, initial, sampleRate, pickupIndex, minimumSeconds)
            : SampleBySample(voice, minimumSeconds);
        double rate = voice?.SampleRate ?? sampleRate;
        return new InferenceTiming((int)initial.shape[0], frames, median / frames, times.Count, steps, wall, cpu, steps / rate / wall, method);
    }

    private static void Batched(ITrajectoryModel model, Tensor initial, int frames)
    {
        using var scope = NewDisposeScope();
        var output = model.Rollout(initial, frames); // (B, frames, W, C)
        _ = output.sum().item<float>();
    }

    private static (int Steps, double Wall, double Cpu, string Method) SampleBySample(ITrajectoryModel model, Tensor initial, double sampleRate,
        int pickupIndex, double minimumSeconds)
    {
        int maximum = (int)Math.Ceiling(2 * sampleRate);
        var x = initial.narrow(0, 0, 1).clone(); // (1, W, C)
        try
        {
            for (int warm = 0; warm < 3; warm++) x = Step(model, x, pickupIndex, out _);
            using var process = Process.GetCurrentProcess();
            var cpuStart = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            int steps = 0;
            float sink = 0;
            while (steps < 16 || (clock.Elapsed.TotalSeconds < minimumSeconds && steps < maximum))
            {
                x = Step(model, x, pickupIndex, out float sample);
                sink += sample;
                steps++;
            }
            double wall = clock.Elapsed.TotalSeconds;
            process.Refresh();
            GC.KeepAlive(sink);
            return (steps, wall, (process.TotalProcessorTime - cpuStart).TotalSeconds, "rollout");
        }
        finally
        {
            x.Dispose();
        }
    }

    // One frame ahead; disposes the previous frame and returns the next one (1, W, C).
    private static Tensor Step(ITrajectoryModel model, Tensor x, int pickupIndex, out float sample)
    {
        Tensor next;
        using (var scope = NewDisposeScope())
        {
            var output = model.Rollout(x, 2);                      // (1, 2, W, C)
            next = output.select(1, 1).contiguous().MoveToOuterDisposeScope(); // (1, W, C)
        }
        x.Dispose();
        using var value = next[0, pickupIndex, 0];
        sample = value.item<float>();
        return next;
    }

    private static (int Steps, double Wall, double Cpu, string Method) SampleBySample(IVoice voice, double minimumSeconds)
    {
        int maximum = (int)Math.Ceiling(2 * voice.SampleRate);
        var block = new float[64];
        voice.Reset();
        voice.Process(block);
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int steps = 0;
        while (steps < 16 * block.Length || (clock.Elapsed.TotalSeconds < minimumSeconds && steps < maximum))
        {
            voice.Process(block);
            steps += block.Length;
        }
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (steps, wall, (process.TotalProcessorTime - cpuStart).TotalSeconds, "voice");
    }
}
