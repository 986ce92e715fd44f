using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhysMod.Learning.Training;

/// <summary>The JSON conventions of configs, runs and metrics: snake_case names, unknown keys rejected, NaN/∞ spelled out.</summary>
public static class TrainingJson
{
    /// <summary>Options for config.json and config files (indented).</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>Options for one-line records (metrics.jsonl, checkpoint metadata).</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            WriteIndented = indented,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
