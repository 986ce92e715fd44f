using System.Text.Json;
using System.Text.Json.Serialization;
using PhysMod.Physics.IO;

namespace PhysMod.Learning.Comparison;

/// <summary>Everything a comparison measured (the content of results.json, from which report.md and report.html are made).</summary>
public sealed record ComparisonResults
{
    /// <summary>Format tag of results.json.</summary>
    public const string CurrentFormat = "physmod-compare/1";

    /// <summary>Format tag.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>PhysMod version that wrote it.</summary>
    public required string ProgramVersion { get; init; }

    /// <summary>The dataset: full path.</summary>
    public required string DataPath { get; init; }

    /// <summary>The dataset's SHA-256.</summary>
    public required string DataSha256 { get; init; }

    /// <summary>Split sizes (train, val, test).</summary>
    public required IReadOnlyDictionary<string, int> Split { get; init; }

    /// <summary>Frame rate (Hz) of the dataset: one frame is one audio sample.</summary>
    public required double SampleRateHz { get; init; }

    /// <summary>Grid points of the field.</summary>
    public required int GridPoints { get; init; }

    /// <summary>The preset every family started from.</summary>
    public required string Preset { get; init; }

    /// <summary>Overrides applied to every family.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Seeds per family.</summary>
    public required int Seeds { get; init; }

    /// <summary>The families, in table order.</summary>
    public required IReadOnlyList<FamilyResult> Families { get; init; }

    /// <summary>Families evaluated on their own tasks (the second table).</summary>
    public IReadOnlyList<OwnTaskResult> OwnTasks { get; init; } = [];

    /// <summary>Where the machine stood: processor count, torch threads, OMP_WAIT_POLICY.</summary>
    public required IReadOnlyDictionary<string, string> Machine { get; init; }

    /// <summary>Wall time of this invocation (s).</summary>
    public required double ElapsedSeconds { get; init; }

    /// <summary>Process CPU time of this invocation (s).</summary>
    public required double CpuSeconds { get; init; }

    /// <summary>Figures written beside results.json (file names).</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];

    /// <summary>Anything the reader must know.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>JSON options of results.json: snake_case, indented.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>The results as JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes results.json atomically.</summary>
    public void Write(string path) => AtomicFile.WriteText(path, ToJson() + "\n");
}
