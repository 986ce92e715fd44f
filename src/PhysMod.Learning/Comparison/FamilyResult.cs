namespace PhysMod.Learning.Comparison;

/// <summary>One family across its seeds: its qualitative profile, every run, and the measured columns as mean ± std.</summary>
public sealed record FamilyResult
{
    /// <summary>Family name.</summary>
    public required string Family { get; init; }

    /// <summary>The family's one-line description.</summary>
    public required string Description { get; init; }

    /// <summary>The qualitative row (tutorial's table or PhysMod's addition).</summary>
    public required FamilyProfile Profile { get; init; }

    /// <summary>"ok" (every seed), "partial" (some seeds failed) or "failed" (every seed failed).</summary>
    public required string Status { get; init; }

    /// <summary>Distinct failure reasons of its runs.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>One entry per seed.</summary>
    public required IReadOnlyList<RunResult> Runs { get; init; }

    /// <summary>Measured columns over the successful seeds, keyed as in <see cref="ComparisonColumns"/>.</summary>
    public required IReadOnlyDictionary<string, MeanStd> Summary { get; init; }
}
