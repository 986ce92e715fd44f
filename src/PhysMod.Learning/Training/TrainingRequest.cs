using PhysMod.Learning.Models;

namespace PhysMod.Learning.Training;

/// <summary>What to train: a family with a resolved config on a dataset, into a run folder; or resume the run there.</summary>
public sealed record TrainingRequest
{
    /// <summary>The family.</summary>
    public required IModelFamily Family { get; init; }

    /// <summary>The resolved config of a new run (ignored on resume: a run continues with its own config.json).</summary>
    public FamilyConfig? Config { get; init; }

    /// <summary>The dataset file (on resume optional: defaults to the run's; if given it must have the same SHA-256).</summary>
    public string? DataPath { get; init; }

    /// <summary>The run folder.</summary>
    public required string RunFolder { get; init; }

    /// <summary>Continue the run in <see cref="RunFolder"/> from its checkpoint.</summary>
    public bool Resume { get; init; }
}
