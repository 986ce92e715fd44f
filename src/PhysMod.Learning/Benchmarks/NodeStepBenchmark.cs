using System.Diagnostics;
using System.Text.Json;
using PhysMod.Learning.NeuralOde;
using PhysMod.Learning.Training;
using PhysMod.Physics.Diagnostics;
using PhysMod.Physics.IO;
using PhysMod.Physics.Modal;
using static TorchSharp.torch;

namespace PhysMod.Learning.Benchmarks;

/// <summary>Times the training step of the tutorial's neural ODE (spec §5.1), the work benchmarks/ref/torch_node.py times in PyTorch.</summary>
/// <remarks>
/// One step (<see cref="NodeUpdates.Run"/>, as <c>train node --config tutorial</c>): B window starts s_b ~ U{0 … T−K−1} on the
/// tutorial's ground truth (T = 441 frames, 15 modes, 22.05 kHz), K = 10 damped-Verlet steps of <see cref="TutorialStringModel"/>
/// from (q, q̇)_{s_b}, loss = mean((q̂ − q)², (q̂̇ − q̇)²), backward, global-norm clip 1.0, Adam at a constant 5e-3; float64 as the
/// model. Initial values L = 0.7 m, T0/ρA = 3·10⁴ m²/s², d3/ρA = 6 m²/s (inside the tutorial's initial ranges).
/// </remarks>
public static class NodeStepBenchmark
{
    /// <summary>Modes of the tutorial string.</summary>
    public const int Modes = 15;

    /// <summary>Sample rate (Hz).</summary>
    public const double SampleRate = 22050;

    /// <summary>Frames of the ground-truth trajectory.</summary>
    public const int Frames = 441;

    /// <summary>Steps per window.</summary>
    public const int Window = 10;

    /// <summary>The tutorial's windows per step.</summary>
    public const int TutorialWindows = 4096;

    /// <summary>Adam's (constant) learning rate.</summary>
    public const double LearningRate = 5e-3;

    /// <summary>Initial L, T0/ρA, d3/ρA of the timed model.</summary>
    public static IReadOnlyList<double> Initial { get; } = [0.7, 3e4, 6];

    /// <summary>Times <paramref name="steps"/> steps of <paramref name="windows"/> windows after <paramref name="warmup"/>
    /// untimed ones, with <paramref name="threads"/> torch threads (the previous count is restored).</summary>
    public static NodeStepTiming Measure(int windows, int steps, int warmup, int threads, long seed = 0)
    {
        if (windows < 1 || steps < 2 || warmup < 0 || threads < 1)
            throw new Physics.InvalidSettingException($"windows {windows}, steps {steps}, warmup {warmup}, threads {threads}: need windows ≥ 1, steps ≥ 2, warmup ≥ 0, threads ≥ 1");
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var (q, v) = TutorialExperiment.TrainingTrajectory(Modes, SampleRate, Frames);   // (T, N)
            var sampler = new WindowedRollout(q, v, Window);
            using var model = NewModel();
            var generator = new Generator((ulong)seed + 1);
            var wall = new List<double>();
            var cpu = new List<double>();
            long start = 0;
            double cpuStart = 0;
            int done = 0;
            var losses = NodeUpdates.Run(model.Trainable.ToList(), warmup + steps, new ConstantSchedule(LearningRate), 1.0,
                _ =>
                {
                    start = Stopwatch.GetTimestamp();
                    cpuStart = CpuClock.ProcessSeconds();
                    return sampler.Loss(model.Coefficients(), RecurrentIntegrator.Verlet, 1 / SampleRate, sampler.Starts(windows, generator));
                }, log: null,
                afterUpdate: () =>
                {
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds, used = CpuClock.ProcessSeconds() - cpuStart;
                    if (done++ >= warmup) { wall.Add(elapsed); cpu.Add(used); }
                });
            if (wall.Count < steps) throw new InvalidOperationException($"the NODE benchmark stopped after {losses.Count} steps (loss not finite)");
            var timed = losses.Skip(warmup).ToList();
            int tenth = Math.Max(1, timed.Count / 10);
            return new NodeStepTiming(windows, threads, SampleStatistics.Median(wall), wall.Min(), SampleStatistics.Median(cpu),
                timed.Take(tenth).Average(), timed.TakeLast(tenth).Average());
        }
        finally { set_num_threads(before); }
    }

    /// <summary>Writes the self-check fixture torch_node.py reads (--fixture): the ground truth q, q̇ (T×N), the frozen B̂ and c,
    /// the initial values, <paramref name="count"/> window starts, and PhysMod's loss and gradient (∂/∂L, ∂/∂log T̂, ∂/∂d̂3)
    /// there.</summary>
    public static void WriteFixture(string path, int count = 64, long seed = 7)
    {
        using var scope = NewDisposeScope();
        var (q, v) = TutorialExperiment.TrainingTrajectory(Modes, SampleRate, Frames);
        var sampler = new WindowedRollout(q, v, Window);
        using var model = NewModel();
        var starts = sampler.Starts(count, new Generator((ulong)seed));
        var loss = sampler.Loss(model.Coefficients(), RecurrentIntegrator.Verlet, 1 / SampleRate, starts);
        loss.backward();
        var gradient = model.Trainable.ToDictionary(p => p.Name, p => p.Parameter.grad!.item<double>());
        var truth = TutorialExperiment.Truth;
        var fixture = new Dictionary<string, object>
        {
            ["q"] = Rows(q), ["v"] = Rows(v),
            ["bending"] = truth.EI / truth.RhoA,
            ["tension_coefficient"] = ModalSystem.StringTensionCoefficient(truth),
            ["initial"] = Initial,
            ["starts"] = starts.data<long>().ToArray(),
            ["loss"] = loss.item<double>(),
            ["gradient"] = new[] { gradient["length"], gradient["log_tension"], gradient["d3"] },
        };
        AtomicFile.WriteText(path, JsonSerializer.Serialize(fixture) + "\n");
    }

    private static TutorialStringModel NewModel() =>
        new(TutorialExperiment.Truth, Modes, tensionModulation: true, Initial[0], Initial[1], Initial[2]);

    private static double[][] Rows(Tensor x)   // (T, N) → T rows
    {
        var values = x.contiguous().data<double>().ToArray();
        int n = (int)x.shape[1];
        return Enumerable.Range(0, (int)x.shape[0]).Select(t => values[(t * n)..((t + 1) * n)]).ToArray();
    }
}
