using PhysMod.Learning.Baselines;
using PhysMod.Learning.Comparison;
using PhysMod.Learning.Models;
using PhysMod.Tests.Evaluation;
using PhysMod.Tests.IO;
using PhysMod.Tests.Training;

namespace PhysMod.Tests.Comparison;

/// <summary>One small comparison made once for the comparison tests: DMD, the tiny MLP, a family that diverges (NaN loss at
/// its first step) and one whose factory throws, on a 10-trajectory analytic dataset, with an own-task results file.</summary>
public sealed class ComparisonFixture : IDisposable
{
    /// <summary>Overrides that make every family train on 20 frames and be evaluated at 20 and 40.</summary>
    internal static readonly string[] Overrides = ["training.train_frames=20", "training.eval_frames=40", "training.checkpoint_every=2"];

    public ComparisonFixture()
    {
        Data = Folder.PathOf("data.safetensors");
        EvaluationTestData.Write(Data, count: 10, train: 6, validation: 2, frames: 60);
        Output = Folder.PathOf("compare");
        Directory.CreateDirectory(Path.Combine(Output, ComparisonRunner.OwnTasksFolderName));
        File.WriteAllText(Path.Combine(Output, ComparisonRunner.OwnTasksFolderName, "pinn.json"),
            """{"family": "pinn", "task": "damped oscillator", "columns": {"rel L2": 0.0123, "omega recovered (rad/s)": 2764.6, "solver": "adam"}, "command": "physmod train pinn ...", "extra": [1, 2]}""");
        Results = new ComparisonRunner(Options(Output, Families())).Run();
    }

    internal ScratchFolder Folder { get; } = new();

    /// <summary>The dataset file.</summary>
    public string Data { get; }

    /// <summary>The comparison folder.</summary>
    public string Output { get; }

    /// <summary>What the comparison returned.</summary>
    public ComparisonResults Results { get; }

    /// <summary>The families that succeed: DMD and the tiny MLP.</summary>
    internal static IModelFamily[] Working() => [new DmdFamily(), new TinyFamily()];

    /// <summary>Working families plus a diverging and a throwing one.</summary>
    internal static IModelFamily[] Families()
    {
        var tiny = new TinyFamily();
        var nan = tiny.DefaultConfig with { Model = TinyFamily.Model(nanAtCall: 1) };
        return [.. Working(), new RenamedFamily("tiny-nan", tiny, nan), new RenamedFamily("broken", tiny, createFails: "the broken family cannot build its model")];
    }

    /// <summary>Comparison options on this dataset: the default preset with <see cref="Overrides"/>, short timings.</summary>
    internal ComparisonOptions Options(string output, IReadOnlyList<IModelFamily> families) => new()
    {
        DataPath = Data, OutputFolder = output, Families = families, Assignments = Overrides, TimingSeconds = 0.02,
    };

    public void Dispose() => Folder.Dispose();
}
