using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Realtime;

namespace PhysMod.Learning.Comparison;

/// <summary>What <see cref="ComparisonRunner"/> compares: the dataset, the families and seeds, the preset, and where it writes.</summary>
public sealed record ComparisonOptions
{
    /// <summary>The presets a comparison can start from.</summary>
    public static readonly IReadOnlyList<string> Presets = ["default", "quick"];

    /// <summary>The dataset file every family is trained and evaluated on.</summary>
    public required string DataPath { get; init; }

    /// <summary>Output folder: runs/&lt;family&gt;-s&lt;seed&gt;/, results.json, report.md, report.html, error_vs_time.png.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The families, in table order.</summary>
    public required IReadOnlyList<IModelFamily> Families { get; init; }

    /// <summary>Seeds per family: the preset's seed, seed + 1, …</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>default (the tutorial's settings) or quick (each family's demo preset).</summary>
    public string Preset { get; init; } = "default";

    /// <summary><c>training.key=value</c> or <c>model.key=value</c> overrides applied to every family's preset.</summary>
    public IReadOnlyList<string> Assignments { get; init; } = [];

    /// <summary>Epochs for every family (null: the preset's).</summary>
    public int? Epochs { get; init; }

    /// <summary>results.json files of families evaluated on their own task (PINN oscillator, NODE modal string), shown in the
    /// second table; files in <c>OUT/own-tasks/*.json</c> are read as well.</summary>
    public IReadOnlyList<string> OwnTaskFiles { get; init; } = [];

    /// <summary>Seconds of the listening rollout per run (capped by the dataset's pickup length).</summary>
    public double ListenSeconds { get; init; } = 0.5;

    /// <summary>Minimum wall time of each timing measurement (batched rollout, sample-by-sample rollout), in seconds.</summary>
    public double TimingSeconds { get; init; } = 0.3;

    /// <summary>Optional real-time engine: a streaming voice for a trained run (null or a null result: the real-time factor is
    /// measured through the model's one-step rollout instead).</summary>
    public Func<TrainedRun, IVoice?>? VoiceFactory { get; init; }

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the value and what is allowed.</summary>
    public ComparisonOptions Validate()
    {
        if (Families.Count == 0) throw new InvalidSettingException("--families: give at least one family");
        var duplicate = Families.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidSettingException($"--families lists '{duplicate.Key}' twice");
        if (Seeds is < 1 or > 100) throw new InvalidSettingException($"--seeds {Seeds}: must be in 1..100");
        if (!Presets.Contains(Preset)) throw new InvalidSettingException($"--preset '{Preset}': allowed are {string.Join(", ", Presets)}");
        if (Epochs is < 1) throw new InvalidSettingException($"--epochs {Epochs}: must be ≥ 1");
        if (!(ListenSeconds >= 0) || !double.IsFinite(ListenSeconds)) throw new InvalidSettingException($"listen seconds {ListenSeconds}: must be ≥ 0");
        if (!(TimingSeconds > 0) || TimingSeconds > 60) throw new InvalidSettingException($"timing seconds {TimingSeconds}: must be in (0, 60]");
        if (!File.Exists(DataPath)) throw new FileNotFoundException($"dataset '{DataPath}' does not exist (make one with physmod dataset)", DataPath);
        foreach (string file in OwnTaskFiles)
            if (!File.Exists(file)) throw new FileNotFoundException($"--own-task file '{file}' does not exist", file);
        return this;
    }
}
