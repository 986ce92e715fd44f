using System.Globalization;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;

namespace PhysMod.Tests.Data;

/// <summary>Tiny dataset files written directly with the safetensors writer, including deliberately broken ones.</summary>
internal static class DataFiles
{
    /// <summary>A deterministic field (n, t, w, 2): value = sin of a per-element phase scaled per channel.</summary>
    public static float[] Field(int n, int t, int w, int seed = 1)
    {
        var values = new float[n * t * w * 2];
        var random = new Random(seed);
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * (i % 2 == 0 ? 0.01 : 3.0));
        return values;
    }

    /// <summary>Writes a PhysMod-format dataset with the given field and split; <paramref name="metadata"/> entries override.</summary>
    public static string Write(string path, float[] field, int n, int t, int w, (int Train, int Val, int Test) split,
        IDictionary<string, string>? metadata = null, int channels = 2, long[]? shape = null)
    {
        var writer = new SafetensorsWriter();
        writer.Add("fields", field, shape ?? [n, t, w, channels]);
        writer.Add("pickup", new float[n * 4 * 2], n, 4, 2);
        writer.Metadata["format"] = DatasetFile.Format;
        writer.Metadata["split"] = string.Create(CultureInfo.InvariantCulture, $"train={split.Train},val={split.Val},test={split.Test}");
        writer.Metadata["grid_points"] = w.ToString(CultureInfo.InvariantCulture);
        writer.Metadata["fs"] = "16000";
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>()) writer.Metadata[k] = v;
        writer.Save(path);
        return path;
    }

    /// <summary>A valid dataset of n trajectories × t frames × w points with split (train, val, test).</summary>
    public static string WriteValid(string path, int n = 10, int t = 8, int w = 3, (int, int, int)? split = null, int seed = 1) =>
        Write(path, Field(n, t, w, seed), n, t, w, split ?? (6, 2, 2));
}
