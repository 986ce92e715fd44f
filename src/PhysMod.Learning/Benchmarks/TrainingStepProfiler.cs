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
        var named = model.Module.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        using var optimiser = new AdamW(named.Select(p => (p.name, p.parameter)), weightDecay: 1e-4);
        var clip = new GlobalNormClip(1.0);
        var parameters = named.Select(p => p.parameter).ToArray();
        using var data = TrainingStepBenchmark.SyntheticBatch(batch, seed);
        model.Module.train();
        var wall = StepPhases.Names.ToDictionary(n => n, _ => new List<double>());
        var cpu = StepPhases.Names.ToDictionary(n => n, _ => new List<double>());
        var marks = new (long Wall, TimeSpan Cpu)[5];
        for (int i = 0; i < warmup + steps; i++)
        {
            using (NewDisposeScope())
            {
                marks[0] = Mark();
                model.Module.zero_grad(true);
                var (total, parts) = model.Loss(data);
                _ = total.detach().to_type(ScalarType.Float64).item<double>();
                foreach (var part in parts.Values) _ = part.detach().to_type(ScalarType.Float64).item<double>();
                marks[1] = Mark();
                total.backward();
                marks[2] = Mark();
                double norm = clip.Apply(parameters.Select(p => p.grad).ToArray());
                marks[3] = Mark();
                if (double.IsFinite(norm)) optimiser.Update(1e-3);
                marks[4] = Mark();
            }
            if (i < warmup) continue;
            for (int p = 0; p < 4; p++) Add(StepPhases.Names[p], marks[p], marks[p + 1]);
            Add("step", marks[0], marks[4]);
        }
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
