using System.Text.Json;
using System.Text.Json.Nodes;
using PhysMod.Learning.Training;
using PhysMod.Physics;

namespace PhysMod.Learning.Pinn;

/// <summary>Applies <c>key=value</c> overrides (snake_case, dotted for nested records, e.g. <c>data_weight=1</c> or
/// <c>string.t0=70</c>) to a PINN config through its JSON form; unknown keys and values of the wrong type are refused.</summary>
public static class PinnSettings
{
    /// <summary>Returns <paramref name="config"/> with every assignment applied in order, validated by the caller.</summary>
    public static T Apply<T>(T config, IEnumerable<string> assignments) where T : class
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = JsonSerializer.SerializeToNode(config, TrainingJson.Options)!.AsObject();
        var applied = new List<(string Assignment, string[] Path, JsonNode? Value)>();
        foreach (string assignment in assignments)
        {
            int eq = assignment.IndexOf('=');
            if (eq <= 0) throw new InvalidSettingException($"--set '{assignment}': expected KEY=VALUE, e.g. epochs=2000");
            string key = assignment[..eq].Trim(), text = assignment[(eq + 1)..].Trim();
            string[] path = key.Split('.');
            JsonObject parent = root;
            for (int i = 0; i < path.Length - 1; i++)
                parent = parent[path[i]] as JsonObject
                    ?? throw new InvalidSettingException($"--set '{assignment}': '{string.Join('.', path[..(i + 1)])}' is not a group of settings; allowed: {Keys(parent)}");
            string leaf = path[^1];
            if (!parent.TryGetPropertyValue(leaf, out var old) || old is null || old is JsonObject)
                throw new InvalidSettingException($"--set '{assignment}': unknown setting '{key}'; allowed here: {Keys(parent)}");
            JsonNode? value;
            try
            {
                value = old.GetValueKind() == JsonValueKind.String ? JsonValue.Create(text) : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw new InvalidSettingException($"--set '{assignment}': '{text}' is not a valid {old.GetValueKind().ToString().ToLowerInvariant()} for '{key}'");
            }
            var kind = value?.GetValueKind();
            bool sameKind = kind == old.GetValueKind() || (kind is JsonValueKind.True or JsonValueKind.False && old.GetValueKind() is JsonValueKind.True or JsonValueKind.False);
            if (!sameKind) throw new InvalidSettingException($"--set '{assignment}': '{key}' takes a {old.GetValueKind().ToString().ToLowerInvariant()}, got '{text}'");
            parent[leaf] = value;
            applied.Add((assignment, path, value?.DeepClone()));
        }
        T result;
        try
        {
            result = root.Deserialize<T>(TrainingJson.Options) ?? throw new InvalidSettingException("--set: the settings became empty");
        }
        catch (JsonException e)
        {
            throw new InvalidSettingException($"--set: {e.Message.Split(". ")[0]}");
        }
        // a derived (read-only) quantity serialises but cannot be set: refuse rather than ignore it
        var check = JsonSerializer.SerializeToNode(result, TrainingJson.Options)!;
        foreach (var (assignment, path, value) in applied)
        {
            JsonNode? node = check;
            foreach (string part in path) node = node?[part];
            if (!JsonNode.DeepEquals(node, value))
                throw new InvalidSettingException($"--set '{assignment}': '{string.Join('.', path)}' is derived from other settings and cannot be set");
        }
        return result;
    }

    private static string Keys(JsonObject node) => string.Join(", ", node.Where(p => p.Value is not JsonObject).Select(p => p.Key));
}
