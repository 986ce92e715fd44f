using System.Diagnostics;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics.Diagnostics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Benchmarks;

/// <summary>Times the parts of <see cref="TrainingStep.Apply"/> one by one (forward, backward, clipping, optimiser) in wall and
/// process CPU time, on the same model and synthetic batch as <see cref="TrainingStepBenchmark"/>, to find where a step's
/// time goes.</summary>
/// <remarks>The parts run in the order and with the calls of <see cref="TrainingStep.Apply"/>, so the sum of the parts is one
/// step (plus the clock reads). benchmarks/ref's <c>--phases</c> option prints the same breakdown for PyTorch.</remarks>
public static class TrainingStepProfiler
{
    /// <summary>Profiles <paramref name="steps"/> steps of <paramref name="family"/>'s tutorial model after <paramref name="warmup"/>
    /// untimed ones; returns the median of each part.</summary>
    public static StepPhases Measure(IModelFamily family, int batch, int steps, int warmup, long seed = 0)
    {
        if (batch < 1 || steps < 1 || warmup < 0)
            throw new Physics.InvalidSettingException($"batch {batch}, steps {steps}, warmup {warmup}: need batch ≥ 1, steps ≥ 1, warmup ≥ 0");
        manual_seed(seed);
        using var model = family.Create(family.TutorialModel, TrainingStepBenchmark.GridPoints, TrainingStepBenchmark.Channels, TrainingStepBenchmark.Frames, seed);
        if (model.ClosedForm) throw new Physics.InvalidSettingException($"the {family.Name} family is fitted in closed form: it has no training step to profile");
        using var data = TrainingStepBenchmark.SyntheticBatch(batch, seed);
        var wall = StepPhases.Names.ToDictionary(n => n, _ => new List<double>());
        var cpu = StepPhases.Names.ToDictionary(n => n, _ => new List<double>());
        var marks = new (long Wall, TimeSpan Cpu)[5];
        TrainingStepBenchmark.TimeSteps(model, data, steps, warmup, (step, phase) =>
        {
            marks[phase + 1] = Mark();                           // phase −1: the step starts
            if (phase < 3 || step < warmup) return;
            for (int p = 0; p < 4; p++) Add(StepPhases.Names[p], marks[p], marks[p + 1]);
            Add("step", marks[0], marks[4]);
        });
        return new StepPhases(family.Name, batch, get_num_threads(), StepPhases.Names.ToDictionary(n => n,
            n => (SampleStatistics.Median(wall[n]), SampleStatistics.Median(cpu[n]))));

        void Add(string name, (long Wall, TimeSpan Cpu) from, (long Wall, TimeSpan Cpu) to)
        {
            wall[name].Add(Stopwatch.GetElapsedTime(from.Wall, to.Wall).TotalSeconds);
            cpu[name].Add((to.Cpu - from.Cpu).TotalSeconds);
        }
    }

    /// <summary>The wall-clock timestamp and the process CPU time (all threads) now.</summary>
    public static (long Wall, TimeSpan Cpu) Mark() => (Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);
}
