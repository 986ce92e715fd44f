using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;
using PhysMod.Learning.Benchmarks;
using PhysMod.Physics.Diagnostics;

namespace PhysMod.Learning.Operators;

/// <summary>Speed of the Fourier operators measured the way <c>benchmarks/ref/torch_fno.py</c> measures PyTorch: the
/// training-step time of the tutorial's one-shot FNO and the per-frame time of the autoregressive FNO run one frame at a time.</summary>
/// <remarks>
/// One training step is exactly the Trainer's work (and the reference script's): zero the gradients, loss = MSE(G(x_0), x_{1..T−1})
/// on a batch (B, T, W = 101, C = 2) of seeded synthetic damped standing waves, backward, global-norm clip 1.0, AdamW (1e-3,
/// wd 1e-4) update. Model: hidden 32, n_modes 101, 4 layers, projection 128 (861 478 parameters at T = 100).
/// Inference: the autoregressive operator (same trunk, 2 output channels) advanced one frame at a time from one frame (B = 1)
/// without gradients; a 16 kHz frame lasts 62.5 µs.
/// </remarks>
public static class OperatorBenchmark
{
    /// <summary>Grid points of the benchmark problem (the tutorial's W).</summary>
    public const int GridPoints = 101;

    /// <summary>Channels (displacement, velocity).</summary>
    public const int Channels = 2;

    /// <summary>Times <paramref name="steps"/> training steps of the tutorial's one-shot FNO after <paramref name="warmup"/>
    /// untimed ones, on <paramref name="threads"/> torch threads.</summary>
    public static OperatorTiming MeasureTrainStep(int batch = 80, int frames = 100, int steps = 30, int warmup = 3, int threads = 2, long seed = 0)
    {
        if (batch < 1 || frames < 2 || steps < 2 || warmup < 0 || threads < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), "need batch ≥ 1, frames ≥ 2, steps ≥ 2, warmup ≥ 0, threads ≥ 1");
        set_num_threads(threads);
        using var data = TrainingStepBenchmark.SyntheticBatch(batch, seed + 1, frames);                               // (B, T, W, C)
        using var model = new FnoModel(new FnoModelConfig(), GridPoints, Channels, frames, seed);
        var (times, cpu, losses, _) = TrainingStepBenchmark.TimeSteps(model, data, steps, warmup);
        int tenth = Math.Max(1, losses.Count / 10);
        return new OperatorTiming("fno train step", "torchsharp", SampleStatistics.Median(times), times.Min(), SampleStatistics.Median(cpu), times.Count, model.ParameterCount,
            losses.Take(tenth).Average(), losses.TakeLast(tenth).Average());
    }

    /// <summary>Times <paramref name="frames"/> single-frame steps (B = 1, no gradients) of the tutorial-sized autoregressive FNO.</summary>
    public static OperatorTiming MeasureInferenceFrame(int frames = 2000, int threads = 2, long seed = 0)
    {
        if (frames < 2 || threads < 1) throw new ArgumentOutOfRangeException(nameof(frames), "need frames ≥ 2, threads ≥ 1");
        set_num_threads(threads);
        using var model = new FnoArModel(new FnoArModelConfig(), GridPoints, Channels, seed);
        model.eval();
        using var noGrad = no_grad();
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var state = randn([1, GridPoints, Channels], generator: generator) * 0.1;                     // (1, W, C)
        var times = new List<double>(frames);
        const int warmup = 50;
        double cpuStart = 0;
        for (int i = 0; i < warmup + frames; i++)
        {
            if (i == warmup) cpuStart = CpuClock.ProcessSeconds();
            var clock = Stopwatch.StartNew();
            var next = model.forward(state);
            double seconds = clock.Elapsed.TotalSeconds;
            state.Dispose();
            state = next;
            if (i >= warmup) times.Add(seconds);
        }
        double cpuPerFrame = (CpuClock.ProcessSeconds() - cpuStart) / frames;
        bool finite = isfinite(state).all().item<bool>();
        state.Dispose();
        if (!finite) throw new InvalidOperationException("the autoregressive benchmark rollout became non-finite");
        return new OperatorTiming("fno-ar frame", "torchsharp", SampleStatistics.Median(times), times.Min(), cpuPerFrame, times.Count, model.ParameterCount, double.NaN, double.NaN);
    }

    /// <summary>Runs <c>run_torch.sh --models fno</c> from <paramref name="referenceFolder"/> (benchmarks/ref) with the same
    /// sizes and returns its training-step and inference timings (empty when the script fails; its stderr is passed on).</summary>
    public static IReadOnlyList<OperatorTiming> RunPyTorchReference(string referenceFolder, int batch = 80, int frames = 100, int steps = 30,
        int warmup = 3, int threads = 2, int inferenceFrames = 2000, TextWriter? log = null)
    {
        string script = Path.Combine(referenceFolder, "run_torch.sh");
        if (!File.Exists(script)) throw new FileNotFoundException($"{script} not found", script);
        var records = ReferenceScript.RunJsonLines(script, ["--models", "fno", "--threads", I(threads), "--batch", I(batch), "--steps", I(steps),
            "--warmup", I(warmup), "--", "--frames", I(frames), "--variant", "einsum", "--inference-steps", I(inferenceFrames)], quiet: true, log: log);
        var timings = new List<OperatorTiming>();
        foreach (var root in records)
        {
            string model = root.GetProperty("model").GetString() ?? "";
            if (model == "fno")
                timings.Add(new OperatorTiming("fno train step", "pytorch", root.GetProperty("median_step_s").GetDouble(), root.GetProperty("min_step_s").GetDouble(),
                    root.GetProperty("median_step_cpu_s").GetDouble(), root.GetProperty("steps").GetInt32(), root.GetProperty("params").GetInt64(), root.GetProperty("loss_first").GetDouble(), root.GetProperty("loss_last").GetDouble()));
            else if (model == "fno_ar_inference")
                timings.Add(new OperatorTiming("fno-ar frame", "pytorch", root.GetProperty("median_frame_s").GetDouble(), root.GetProperty("min_frame_s").GetDouble(),
                    root.GetProperty("mean_frame_cpu_s").GetDouble(), root.GetProperty("frames").GetInt32(), 0, double.NaN, double.NaN));
        }
        return timings;
    }

    /// <summary>The side-by-side table: PyTorch reference first, then TorchSharp, the ratio TorchSharp / PyTorch (target ≤ 1)
    /// and the inference frame time against the 62.5 µs frame period of 16 kHz (and 20.8 µs at 48 kHz).</summary>
    public static string Report(IReadOnlyList<OperatorTiming> reference, OperatorTiming train, OperatorTiming inference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(inference);
        var text = new System.Text.StringBuilder();
        var torchTrain = reference.FirstOrDefault(t => t.Name == train.Name);
        var torchFrame = reference.FirstOrDefault(t => t.Name == inference.Name);
        string Ms(double s) => (s * 1e3).ToString("F2", CultureInfo.InvariantCulture);
        string Us(double s) => (s * 1e6).ToString("F1", CultureInfo.InvariantCulture);
        string Ratio(double a, double? b) => b is > 0 ? (a / b.Value).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        text.AppendLine(CultureInfo.InvariantCulture, $"FNO (hidden 32, n_modes 101, 4 layers, projection 128; W {GridPoints}, C {Channels}): {train.Parameters} parameters");
        text.AppendLine("| what | PyTorch wall median (min) | TorchSharp wall median (min) | ratio wall median (min) | PyTorch CPU | TorchSharp CPU | ratio CPU |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| train step, ms | {(torchTrain is null ? "n/a" : $"{Ms(torchTrain.MedianSeconds)} ({Ms(torchTrain.MinSeconds)})")} | {Ms(train.MedianSeconds)} ({Ms(train.MinSeconds)}) | {Ratio(train.MedianSeconds, torchTrain?.MedianSeconds)} ({Ratio(train.MinSeconds, torchTrain?.MinSeconds)}) | {(torchTrain is null ? "n/a" : Ms(torchTrain.MedianCpuSeconds))} | {Ms(train.MedianCpuSeconds)} | {Ratio(train.MedianCpuSeconds, torchTrain?.MedianCpuSeconds)} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| AR frame (B = 1), µs | {(torchFrame is null ? "n/a" : $"{Us(torchFrame.MedianSeconds)} ({Us(torchFrame.MinSeconds)})")} | {Us(inference.MedianSeconds)} ({Us(inference.MinSeconds)}) | {Ratio(inference.MedianSeconds, torchFrame?.MedianSeconds)} ({Ratio(inference.MinSeconds, torchFrame?.MinSeconds)}) | {(torchFrame is null ? "n/a" : Us(torchFrame.MedianCpuSeconds))} | {Us(inference.MedianCpuSeconds)} | {Ratio(inference.MedianCpuSeconds, torchFrame?.MedianCpuSeconds)} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"AR operator one frame at a time: {Us(inference.MedianSeconds)} µs per frame (wall median) = {(62.5e-6 / inference.MedianSeconds).ToString("G3", CultureInfo.InvariantCulture)}× real time at 16 kHz (frame period 62.5 µs), {(20.833e-6 / inference.MedianSeconds).ToString("G3", CultureInfo.InvariantCulture)}× at 48 kHz");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"TorchSharp loss over the timed steps: {train.LossFirst.ToString("G4", CultureInfo.InvariantCulture)} → {train.LossLast.ToString("G4", CultureInfo.InvariantCulture)}");
        return text.ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
