using System.Globalization;
using System.Text.Json;
using PhysMod.Physics.IO;

namespace PhysMod.Physics.Datasets;

/// <summary>Reads and writes PhysMod dataset files: safetensors with float32 fields (N, T, W, C) and JSON metadata.</summary>
/// <remarks>
/// Tensors: <c>fields</c> F32 (N, T, W, 2) [displacement m, velocity m/s] on the grid for the first T frames;
/// <c>pickup</c> F32 (N, S, 2) at the pickup for the whole duration; <c>initial_state</c> F64 (N, modes, 2) [q⁰, q̇⁰];
/// <c>draws</c> F64 (N, 5) the random excitation parameters. Metadata (strings): format, config (JSON), system, count,
/// first, seed, shard, fs, channels, split, parameters (JSON), program version.
/// </remarks>
public static class DatasetFile
{
    /// <summary>The format tag in the metadata.</summary>
    public const string Format = "physmod-dataset/1";

    /// <summary>Writes a dataset (or shard) atomically.</summary>
    public static void Write(string path, DatasetData data)
    {
        var writer = new SafetensorsWriter();
        writer.Add("fields", data.Fields, data.Count, data.FieldFrames, data.GridPoints, 2);
        writer.Add("pickup", data.Pickup, data.Count, data.PickupFrames, 2);
        writer.Add("initial_state", data.InitialState, data.Count, data.Modes, 2);
        writer.Add("draws", data.Draws, data.Count, DatasetTrajectoryRecord.Columns.Count);
        foreach (var (k, v) in Metadata(data)) writer.Metadata[k] = v;
        writer.Save(path);
    }

    /// <summary>The metadata of a dataset or shard (shard-specific keys: first, shard).</summary>
    public static SortedDictionary<string, string> Metadata(DatasetData data)
    {
        var (train, validation, test) = data.Config.Split(data.Total);
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["program_version"] = typeof(DatasetFile).Assembly.GetName().Version?.ToString(3) ?? "0",
            ["preset"] = data.Config.Name,
            ["system"] = data.Config.System,
            ["config"] = JsonSerializer.Serialize(data.Config, DatasetConfig.Json),
            ["parameters"] = JsonSerializer.Serialize(data.Parameters.Select(p => new { p.Name, p.Value, p.Unit }), DatasetConfig.Json),
            ["count"] = I($"{data.Total}"),
            ["first"] = I($"{data.Shard.First(data.Total)}"),
            ["shard"] = data.Shard.ToString(),
            ["seed"] = I($"{data.Seed}"),
            ["fs"] = I($"{data.Config.SampleRate:R}"),
            ["modes"] = I($"{data.Modes}"),
            ["integrator"] = data.Config.Integrator,
            ["oversample"] = I($"{data.Config.Oversample}"),
            ["grid_points"] = I($"{data.GridPoints}"),
            ["grid_extent_m"] = string.Join(",", data.Extent.Select(e => e.ToString("R", CultureInfo.InvariantCulture))),
            ["field_frames"] = I($"{data.FieldFrames}"),
            ["pickup_frames"] = I($"{data.PickupFrames}"),
            ["channels"] = "displacement,velocity",
            ["draw_columns"] = string.Join(",", DatasetTrajectoryRecord.Columns),
            ["split"] = I($"train={train},val={validation},test={test}"),
        };
    }

    /// <summary>Concatenates shards (any order of arguments) into one dataset; they must come from the same recipe, count and seed
    /// and cover every trajectory exactly once. The result equals the unsharded file.</summary>
    public static void Merge(IReadOnlyList<string> shards, string output)
    {
        if (shards.Count == 0) throw new InvalidSettingException("merge: give at least one shard file");
        var headers = shards.Select(s => (Path: s, Meta: ReadMetadata(s))).OrderBy(h => long.Parse(h.Meta["first"], CultureInfo.InvariantCulture)).ToList();
        var reference = headers[0].Meta;
        long expectedFirst = 0;
        foreach (var (path, meta) in headers)
        {
            foreach (var key in reference.Keys.Where(k => k is not ("first" or "shard")))
                if (!meta.TryGetValue(key, out var value) || value != reference[key])
                    throw new InvalidSettingException($"merge: {path} differs from {headers[0].Path} in '{key}': shards must come from the same recipe, count and seed");
            long first = long.Parse(meta["first"], CultureInfo.InvariantCulture);
            if (first != expectedFirst)
                throw new InvalidSettingException($"merge: trajectories from {expectedFirst} are {(first > expectedFirst ? "missing" : "duplicated")} (next shard {path} starts at {first})");
            using var file = SafetensorsFile.Open(path);
            expectedFirst += file.Info("fields").Shape[0];
        }
        long total = long.Parse(reference["count"], CultureInfo.InvariantCulture);
        if (expectedFirst != total)
            throw new InvalidSettingException($"merge: the shards hold {expectedFirst} of {total} trajectories; the rest are missing");
        SafetensorsMerge.Concatenate(headers.Select(h => h.Path).ToList(), output, _ =>
        {
            var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in reference) merged[k] = v;
            merged["first"] = "0";
            merged["shard"] = "0/1";
            return merged;
        });
    }

    /// <summary>Reads and checks the metadata of a dataset file; one clear error if it is not one.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"{path}: not a PhysMod dataset (metadata format is '{format ?? "missing"}', expected {Format})");
        return file.Metadata;
    }
}
