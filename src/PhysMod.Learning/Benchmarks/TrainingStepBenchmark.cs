using System.Diagnostics;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using static TorchSharp.torch;
using PhysMod.Physics.Diagnostics;

namespace PhysMod.Learning.Benchmarks;

/// <summary>Times PhysMod's training step (<see cref="TrainingStep.Apply"/>: loss, backward, clipping, AdamW) for a family's
/// default model on a fixed synthetic batch, the same work the PyTorch reference scripts in benchmarks/ref time.</summary>
/// <remarks>
/// Problem size as the tutorial: B trajectories of T = 100 frames of W = 101 points × C = 2 channels. The batch is a few
/// damped standing waves per trajectory (as the reference's <c>synthetic_trajectories</c>; values differ, the cost does not):
/// <code>
///   u(t, x) = Σ_m a_m e^{−σ_m t} cos(ω_m t + φ_m) sin(π m x),   channel 1 its scaled derivative
/// </code>
/// AdamW at a constant learning rate 1e-3 (weight decay 1e-4), global-norm clip 1.0. Each step runs in its own dispose scope
/// and is timed alone, in wall and process CPU time; warm-up steps are not timed.
/// </remarks>
public static class TrainingStepBenchmark
{
    /// <summary>Frames per trajectory of the tutorial's training horizon.</summary>
    public const int Frames = 100;

    /// <summary>Grid points of the string-benchmark field.</summary>
    public const int GridPoints = 101;

    /// <summary>Channels (displacement, velocity).</summary>
    public const int Channels = 2;

    /// <summary>Times <paramref name="steps"/> training steps of <paramref name="family"/>'s tutorial model
    /// (<see cref="IModelFamily.TutorialModel"/>, as the PyTorch reference scripts build it) after <paramref name="warmup"/> untimed ones.</summary>
    public static StepTiming Measure(IModelFamily family, int batch, int steps, int warmup, long seed = 0)
    {
        if (batch < 1 || steps < 2 || warmup < 0)
            throw new Physics.InvalidSettingException($"batch {batch}, steps {steps}, warmup {warmup}: need batch ≥ 1, steps ≥ 2, warmup ≥ 0");
        manual_seed(seed);
        using var model = family.Create(family.TutorialModel, GridPoints, Channels, Frames, seed);
        if (model.ClosedForm) throw new Physics.InvalidSettingException($"the {family.Name} family is fitted in closed form: it has no training step to time");
        using var data = SyntheticBatch(batch, seed);
        var (times, cpu, losses, parameterCount) = TimeSteps(model, data, steps, warmup);
        int tenth = Math.Max(1, losses.Count / 10);
        return new StepTiming(family.Name, parameterCount, batch, SampleStatistics.Median(times), times.Min(),
            losses.Take(tenth).Average(), losses.TakeLast(tenth).Average(), SampleStatistics.Median(cpu));
    }

    /// <summary>Runs <paramref name="warmup"/> + <paramref name="steps"/> <see cref="TrainingStep.Apply"/> updates of
    /// <paramref name="model"/> on <paramref name="data"/> (AdamW with weight decay 1e-4 at lr 1e-3, clip 1.0) and returns the
    /// timed steps' wall and process CPU seconds and losses, and the number of trained scalars. <paramref name="phaseEnded"/>
    /// receives (step, −1) as a step starts and (step, phase) as <see cref="TrainingStep.Apply"/> reports its phases.</summary>
    public static (List<double> Wall, List<double> Cpu, List<double> Losses, long Parameters) TimeSteps(ITrajectoryModel model, Tensor data,
        int steps, int warmup, Action<int, int>? phaseEnded = null)
    {
        var named = model.Module.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        using var optimiser = new AdamW(named.Select(p => (p.name, p.parameter)), weightDecay: 1e-4);
        var clip = new GlobalNormClip(1.0);
        var parameters = named.Select(p => p.parameter).ToArray();
        model.Module.train();
        var (times, cpu, losses) = (new List<double>(steps), new List<double>(steps), new List<double>(steps));
        for (int i = 0; i < warmup + steps; i++)
        {
            int step = i;
            phaseEnded?.Invoke(step, -1);
            var start = TrainingStepProfiler.Mark();
            double loss;
            using (NewDisposeScope())
                loss = TrainingStep.Apply(model, data, parameters, clip, optimiser, 1e-3, phaseEnded is null ? null : phase => phaseEnded(step, phase)).Loss;
            var end = TrainingStepProfiler.Mark();
            if (i >= warmup)
            {
                times.Add(Stopwatch.GetElapsedTime(start.Wall, end.Wall).TotalSeconds);
                cpu.Add((end.Cpu - start.Cpu).TotalSeconds);
                losses.Add(loss);
            }
        }
        return (times, cpu, losses, parameters.Sum(p => p.numel()));
    }

    /// <summary>The synthetic batch (B, T, W, C) with T = <paramref name="frames"/>, float32.</summary>
    public static Tensor SyntheticBatch(int batch, long seed, int frames = Frames)
    {
        const int modes = 8;
        var random = new Random(unchecked((int)seed));
        var values = new float[batch * frames * GridPoints * Channels];
        for (int b = 0; b < batch; b++)
            for (int m = 1; m <= modes; m++)
            {
                double amplitude = (random.NextDouble() * 2 - 1) / m, omega = 0.15 * m * (1 + 0.05 * random.NextDouble());
                double sigma = 0.005 + 0.01 * random.NextDouble(), phase = 2 * Math.PI * random.NextDouble();
                for (int t = 0; t < frames; t++)
                {
                    double envelope = amplitude * Math.Exp(-sigma * t), q = envelope * Math.Cos(omega * t + phase), v = -envelope * Math.Sin(omega * t + phase);
                    for (int x = 0; x < GridPoints; x++)
                    {
                        double shape = Math.Sin(Math.PI * m * x / (GridPoints - 1.0));
                        long at = (((long)b * frames + t) * GridPoints + x) * Channels;
                        values[at] += (float)(q * shape);
                        values[at + 1] += (float)(v * shape);
                    }
                }
            }
        return tensor(values, [batch, frames, GridPoints, Channels]);
    }
}
