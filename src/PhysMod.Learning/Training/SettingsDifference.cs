using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PhysMod.Learning.Training;

/// <summary>The <c>--set key=value</c> assignments that turn one settings record into another, for the "command that
/// reproduces this" lines of results files.</summary>
/// <remarks>Both records go through their snake_case JSON form; nested records give dotted keys (<c>string.t0=70</c>).</remarks>
public static class SettingsDifference
{
    /// <summary>Assignments (in property order) that change <paramref name="defaults"/> into <paramref name="config"/>.</summary>
    public static IReadOnlyList<string> Assignments<T>(T config, T defaults) where T : class
    {
        var changed = new List<string>();
        Collect(JsonSerializer.SerializeToNode(config, TrainingJson.Options)!.AsObject(),
                JsonSerializer.SerializeToNode(defaults, TrainingJson.Options)!.AsObject(), "", changed);
        return changed;
    }

    /// <summary><paramref name="command"/> followed by one <c>--set</c> per changed setting.</summary>
    public static string Command<T>(string command, T config, T defaults) where T : class =>
        string.Join(" ", Assignments(config, defaults).Select(a => $"--set {a}").Prepend(command));

    private static void Collect(JsonObject value, JsonObject reference, string prefix, List<string> changed)
    {
        foreach (var (key, node) in value)
        {
            var other = reference[key];
            if (node is JsonObject inner && other is JsonObject innerReference) Collect(inner, innerReference, $"{prefix}{key}.", changed);
            else if (!JsonNode.DeepEquals(node, other)) changed.Add($"{prefix}{key}={Text(node)}");
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
