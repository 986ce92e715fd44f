using PhysMod.Physics.IO;

namespace PhysMod.Tests.IO;

/// <summary>Concatenating dataset shards along the first dimension equals concatenating their arrays.</summary>
public sealed class SafetensorsMergeTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ShardsConcatenateAlongTheFirstDimensionInInputOrder()
    {
        int[] rows = [3, 1, 4];
        var shards = new List<string>();
        var allFields = new List<float>();
        var allLabels = new List<long>();
        for (int s = 0; s < rows.Length; s++)
        {
            float[] fields = Enumerable.Range(0, rows[s] * 4 * 2).Select(i => s * 1000f + i).ToArray();
            long[] labels = Enumerable.Range(0, rows[s]).Select(i => (long)(s * 100 + i)).ToArray();
            shards.Add(WriteShard($"shard{s}.safetensors", fields, labels, rows[s], new() { ["system"] = "string", ["fs"] = "48000" }));
            allFields.AddRange(fields);
            allLabels.AddRange(labels);
        }
        string output = folder.PathOf("merged.safetensors");
        SafetensorsMerge.Concatenate(shards, output);

        using var merged = SafetensorsFile.Open(output);
        Assert.Equal([8L, 4, 2], merged.Info("fields").Shape);
        Assert.Equal(allFields, merged.ReadSingle("fields"));
        Assert.Equal(allLabels, merged.ReadInt64("labels"));
        Assert.Equal("48000", merged.Metadata["fs"]);
        Assert.Equal(2, merged.Metadata.Count);
    }

    [Fact]
    public void DifferingMetadataNeedsAMergeFunction()
    {
        string a = WriteShard("a.safetensors", new float[8], [0], 1, new() { ["seed"] = "1", ["fs"] = "48000" });
        string b = WriteShard("b.safetensors", new float[16], [1, 2], 2, new() { ["seed"] = "2", ["fs"] = "48000" });
        string output = folder.PathOf("merged.safetensors");

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsMerge.Concatenate([a, b], output));
        Assert.StartsWith(b + ": metadata 'seed' is '2'", error.Message);
        Assert.False(File.Exists(output));

        SafetensorsMerge.Concatenate([a, b], output, all => new Dictionary<string, string>
        {
            ["fs"] = all[0]["fs"],
            ["seeds"] = string.Join(",", all.Select(m => m["seed"])),
        });
        using var merged = SafetensorsFile.Open(output);
        Assert.Equal("1,2", merged.Metadata["seeds"]);
        Assert.Equal(3, merged.Info("labels").Shape[0]);
    }

    [Fact]
    public void OutputMayReplaceOneOfTheInputs()
    {
        string a = WriteShard("a.safetensors", Enumerable.Range(0, 8).Select(i => (float)i).ToArray(), [10], 1, []);
        string b = WriteShard("b.safetensors", Enumerable.Range(8, 16).Select(i => (float)i).ToArray(), [11, 12], 2, []);
        SafetensorsMerge.Concatenate([a, b], a);

        using var merged = SafetensorsFile.Open(a);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), merged.ReadSingle("fields"));
        Assert.Equal([10L, 11L, 12L], merged.ReadInt64("labels"));
        Assert.Equal(["a.safetensors", "b.safetensors"], folder.FileNames());
    }

    [Fact]
    public void MismatchedTrailingDimensionsAreRefusedNamingTheFile()
    {
        string a = WriteShard("a.safetensors", new float[8], [0], 1, []);
        string path = folder.PathOf("b.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("fields", new float[9], 1, 3, 3);
        writer.Add("labels", new[] { 1L }, 1);
        writer.Save(path);
        string output = folder.PathOf("merged.safetensors");

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsMerge.Concatenate([a, path], output));
        Assert.StartsWith(path + ": tensor 'fields' has shape [1, 3, 3]", error.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void MissingOrExtraTensorsAreRefused()
    {
        string a = WriteShard("a.safetensors", new float[8], [0], 1, []);
        string b = folder.PathOf("b.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("fields", new float[8], 1, 4, 2);
        writer.Add("labels", new[] { 1L }, 1);
        writer.Add("extra", new[] { 1L }, 1);
        writer.Save(b);
        string output = folder.PathOf("merged.safetensors");

        Assert.Contains("'extra'", Assert.Throws<InvalidDataException>(() => SafetensorsMerge.Concatenate([a, b], output)).Message);
        Assert.Contains("has no tensor 'extra'", Assert.Throws<InvalidDataException>(() => SafetensorsMerge.Concatenate([b, a], output)).Message);
        Assert.False(File.Exists(output));
    }

    private string WriteShard(string name, float[] fields, long[] labels, int rows, Dictionary<string, string> metadata)
    {
        string path = folder.PathOf(name);
        var writer = new SafetensorsWriter();
        writer.Add("fields", fields, rows, 4, 2);
        writer.Add("labels", labels, rows);
        foreach (var (key, value) in metadata) writer.Metadata[key] = value;
        writer.Save(path);
        return path;
    }
}
