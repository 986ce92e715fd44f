using System.Text.Json;
using System.Text.Json.Nodes;

namespace PhysMod.Learning.Comparison;

/// <summary>A family evaluated on its own task (PINN on the oscillator, NODE on its modal string), for the report's second table.</summary>
/// <remarks>Read from a JSON object written by that family's own command: <c>family</c> (string), <c>task</c> (string),
/// <c>columns</c> (object of name → number, string or null, in display order: its own error and parameter-recovery columns),
/// and optionally <c>command</c> (how to reproduce) and <c>notes</c> (strings). Other keys are ignored, so a family's own
/// results.json can carry more.</remarks>
public sealed record OwnTaskResult
{
    /// <summary>Family name.</summary>
    public required string Family { get; init; }

    /// <summary>The task it was evaluated on.</summary>
    public required string Task { get; init; }

    /// <summary>Column name → value (number, string or null), in the file's order.</summary>
    public required IReadOnlyList<KeyValuePair<string, JsonNode?>> Columns { get; init; }

    /// <summary>The command that reproduces the result, if given.</summary>
    public string? Command { get; init; }

    /// <summary>Notes, if given.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The file it was read from.</summary>
    public required string Source { get; init; }

    /// <summary>Reads one file; an unreadable or malformed file is one <see cref="InvalidDataException"/> naming it.</summary>
    public static OwnTaskResult Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"own-task results '{path}' is not valid JSON: {e.Message}");
        }
        if (root is not JsonObject obj) throw new InvalidDataException($"own-task results '{path}' must hold a JSON object");
        string Text(string key) => obj[key] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)
            ? s : throw new InvalidDataException($"own-task results '{path}': \"{key}\" must be a non-empty string");
        if (obj["columns"] is not JsonObject columns || columns.Count == 0)
            throw new InvalidDataException($"own-task results '{path}': \"columns\" must be a non-empty object of name → number, string or null");
        foreach (var (name, value) in columns)
            if (value is not null && (value is not JsonValue jv || jv.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String)))
                throw new InvalidDataException($"own-task results '{path}': column \"{name}\" must be a number, a string or null");
        var notes = obj["notes"] is JsonArray array ? array.Select(n => n?.ToString() ?? "").ToArray() : [];
        return new OwnTaskResult
        {
            Family = Text("family"),
            Task = Text("task"),
            Columns = columns.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value?.DeepClone())).ToArray(),
            Command = obj["command"] is JsonValue c && c.TryGetValue(out string? command) ? command : null,
            Notes = notes,
            Source = Path.GetFullPath(path),
        };
    }

    /// <summary>The file name a family's own command writes into its output folder (copy it into a comparison's own-tasks/
    /// folder, or pass it with <c>--own-task</c>).</summary>
    public const string FileName = "own-task.json";

    /// <summary>Writes an own-task results file atomically; column values must be numbers, strings or null.</summary>
    public static void Write(string path, string family, string task, IEnumerable<(string Name, object? Value)> columns, string? command = null,
        IEnumerable<string>? notes = null)
    {
        var table = new JsonObject();
        foreach (var (name, value) in columns)
            table[name] = value switch
            {
                null => null,
                double d when !double.IsFinite(d) => null,
                double d => JsonValue.Create(d),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                string text => JsonValue.Create(text),
                _ => throw new ArgumentException($"column '{name}': {value.GetType().Name} is not a number or a string", nameof(columns)),
            };
        var root = new JsonObject { ["family"] = family, ["task"] = task, ["columns"] = table };
        if (command is not null) root["command"] = command;
        if (notes is not null) root["notes"] = new JsonArray(notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        PhysMod.Physics.IO.AtomicFile.WriteText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
