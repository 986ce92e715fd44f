using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PhysMod.Physics;

namespace PhysMod.Learning.Training;

/// <summary>Resolves a family's config from its defaults, a JSON file, <c>--set</c> assignments and the --epochs/--seed options,
/// in that order; every key must already exist in the defaults and keep its JSON type.</summary>
/// <remarks>The config as JSON is <c>{"training": {...}, "model": {...}}</c> with snake_case keys. Objects merge key by key;
/// other values replace. An unknown key or a value of the wrong type is one <see cref="InvalidSettingException"/> that names
/// the key, where it came from and the keys allowed there.</remarks>
public static class ConfigOverrides
{
    private static readonly string[] Sections = ["training", "model"];

    /// <summary>Applies, in order: <paramref name="configFile"/> (if any), each <paramref name="assignments"/> entry, then
    /// <paramref name="epochs"/> and <paramref name="seed"/>; validates the training settings.</summary>
    public static FamilyConfig Resolve(FamilyConfig start, string? configFile = null, IEnumerable<string>? assignments = null,
        int? epochs = null, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        var config = start;
        if (configFile is not null) config = ApplyFile(config, configFile);
        foreach (var assignment in assignments ?? []) config = ApplySet(config, assignment);
        var training = config.Training;
        if (epochs is { } e) training = training with { Epochs = e };
        if (seed is { } s) training = training with { Seed = s };
        training.Validate();
        return config with { Training = training };
    }

    /// <summary>The config as a JSON object <c>{"training": {...}, "model": {...}}</c>.</summary>
    public static JsonObject ToJson(FamilyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new JsonObject
        {
            ["training"] = JsonSerializer.SerializeToNode(config.Training, TrainingJson.Options),
            ["model"] = JsonNode.Parse(config.Model.ValueKind == JsonValueKind.Undefined ? "{}" : config.Model.GetRawText()),
        };
    }

    /// <summary>Merges a JSON file with "training" and/or "model" objects into the config.</summary>
    public static FamilyConfig ApplyFile(FamilyConfig config, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file '{path}' not found", path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidSettingException($"config file '{path}' is not valid JSON: {FirstSentence(e.Message)}");
        }
        if (root is not JsonObject overrides)
            throw new InvalidSettingException($"config file '{path}' must hold a JSON object with \"training\" and/or \"model\" objects");
        var target = ToJson(config);
        Merge(target, overrides, "", $"config file '{path}'");
        return FromJson(target, $"config file '{path}'");
    }

    /// <summary>Applies one <c>training.key=value</c> or <c>model.key[.sub]=value</c> assignment; the value is JSON (a number,
    /// true/false, an array) or, for string keys, plain text.</summary>
    public static FamilyConfig ApplySet(FamilyConfig config, string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        string source = $"--set '{assignment}'";
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new InvalidSettingException($"{source}: expected training.KEY=VALUE or model.KEY=VALUE, e.g. training.epochs=10");
        string key = assignment[..eq].Trim(), text = assignment[(eq + 1)..].Trim();
        var path = key.Split('.');
        if (path.Length < 2 || !Sections.Contains(path[0]) || path.Any(string.IsNullOrWhiteSpace))
            throw new InvalidSettingException($"{source}: name the key as training.KEY or model.KEY (e.g. training.epochs=10)");
        var target = ToJson(config);
        JsonObject parent = target;
        for (int i = 0; i < path.Length - 1; i++)
        {
            string prefix = string.Join('.', path[..i]);
            var child = Child(parent, path[i], prefix, source);
            parent = child as JsonObject
                ?? throw new InvalidSettingException($"{source}: '{string.Join('.', path[..(i + 1)])}' is a value, not a group of keys");
        }
        string name = path[^1], full = key;
        var current = Child(parent, name, string.Join('.', path[..^1]), source);
        JsonNode? value = current is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonValue.Create(text) : ParseValue(text, full, current, source);
        CheckKind(current, value, full, source);
        parent[name] = value;
        return FromJson(target, source);
    }

    /// <summary>Builds the config back from its JSON object; training settings are deserialised (unknown keys rejected) and validated.</summary>
    public static FamilyConfig FromJson(JsonObject root, string source)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var (key, _) in root)
            if (!Sections.Contains(key)) throw new InvalidSettingException($"{source}: unknown top-level key '{key}'; allowed are training, model");
        TrainingSettings training;
        try
        {
            training = (root["training"] ?? new JsonObject()).Deserialize<TrainingSettings>(TrainingJson.Options)
                ?? throw new InvalidSettingException($"{source}: \"training\" must be an object");
        }
        catch (JsonException e)
        {
            string where = e.Path is { Length: > 1 } p ? "training" + p.TrimStart('$') : "training";
            throw new InvalidSettingException($"{source}: {where}: {FirstSentence(e.Message)}");
        }
        training.Validate();
        var model = JsonSerializer.SerializeToElement(root["model"] ?? new JsonObject());
        return new FamilyConfig(training, model);
    }

    private static void Merge(JsonObject target, JsonObject overrides, string prefix, string source)
    {
        foreach (var (key, value) in overrides.ToList())
        {
            string full = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (prefix.Length == 0 && !Sections.Contains(key))
                throw new InvalidSettingException($"{source}: unknown top-level key '{key}'; allowed are training, model");
            var current = Child(target, key, prefix, source);
            if (current is JsonObject currentObject && value is JsonObject valueObject)
            {
                Merge(currentObject, valueObject, full, source);
                continue;
            }
            CheckKind(current, value, full, source);
            target[key] = value?.DeepClone();
        }
    }

    private static JsonNode? Child(JsonObject parent, string key, string prefix, string source)
    {
        if (parent.TryGetPropertyValue(key, out var child)) return child;
        string where = prefix.Length == 0 ? "" : $"{prefix}.";
        string allowed = string.Join(", ", parent.Select(p => p.Key).Order(StringComparer.Ordinal));
        throw new InvalidSettingException($"{source}: unknown key '{where}{key}'; the keys{(prefix.Length == 0 ? "" : $" of {prefix}")} are {allowed}");
    }

    private static JsonNode? ParseValue(string text, string key, JsonNode? current, string source)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Plain words are strings; the kind check below then names what the key needs.
            return current is null ? JsonValue.Create(text) : throw new InvalidSettingException($"{source}: {key} = '{text}': expected {Describe(current.GetValueKind())}");
        }
    }

    private static void CheckKind(JsonNode? current, JsonNode? value, string key, string source)
    {
        if (current is null) return;
        var expected = current.GetValueKind();
        var actual = value?.GetValueKind() ?? JsonValueKind.Null;
        bool same = expected == actual || (expected is JsonValueKind.True or JsonValueKind.False && actual is JsonValueKind.True or JsonValueKind.False);
        if (!same)
        {
            string shown = value?.ToJsonString() ?? "null";
            if (expected == JsonValueKind.Object && current.AsObject().Count > 0)
                throw new InvalidSettingException($"{source}: {key} is a group of keys ({string.Join(", ", current.AsObject().Select(p => p.Key))}); set one of them, e.g. {key}.{current.AsObject().First().Key}=…");
            throw new InvalidSettingException($"{source}: {key} = {shown}: expected {Describe(expected)}");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Array => "a JSON array, e.g. [1,2]",
        JsonValueKind.Object => "a JSON object",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut > 0 ? message[..(cut + 1)] : message).ReplaceLineEndings(" ");
    }
}
