using System.Runtime.InteropServices;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;

namespace PhysMod.Tests.Datasets;

/// <summary>Small, fast dataset recipes and helpers that compare dataset files bit for bit.</summary>
internal static class DatasetTestData
{
    /// <summary>The tensors of every dataset file, in the order they are written.</summary>
    public static readonly string[] TensorNames = ["fields", "pickup", "initial_state", "draws"];

    /// <summary>The string-benchmark recipe cut to 0.02 s (320 pickup frames; the field keeps its 200 frames).</summary>
    public static DatasetConfig ShortBenchmark { get; } = DatasetPresets.StringBenchmark with { Duration = 0.02 };

    /// <summary>Generates the whole dataset (or one shard) and writes it to <paramref name="path"/>.</summary>
    public static DatasetData Write(string path, DatasetConfig config, int total, ulong seed, DatasetShard? shard = null, int threads = 0)
    {
        var data = DatasetGenerator.Generate(config, total, seed, shard ?? DatasetShard.Whole, threads);
        DatasetFile.Write(path, data);
        return data;
    }

    /// <summary>The little-endian bytes of one tensor as stored in the file.</summary>
    public static byte[] RawBytes(string path, string tensor)
    {
        using var file = SafetensorsFile.Open(path);
        using var bytes = new MemoryStream();
        file.CopyRawTo(tensor, bytes);
        return bytes.ToArray();
    }

    /// <summary>The bytes of an in-memory array (bit exact, NaN payloads included).</summary>
    public static byte[] Bytes<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>The metadata of a file, sorted by key.</summary>
    public static SortedDictionary<string, string> Metadata(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return new SortedDictionary<string, string>(file.Metadata.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
    }

    /// <summary>Asserts that two dataset files hold bit-identical tensors of the same shapes and dtypes.</summary>
    public static void AssertSameTensors(string expected, string actual)
    {
        using (var a = SafetensorsFile.Open(expected))
        using (var b = SafetensorsFile.Open(actual))
        {
            Assert.Equal(a.Names, b.Names);
            foreach (string name in a.Names)
            {
                Assert.Equal(a.Info(name).Dtype, b.Info(name).Dtype);
                Assert.Equal(a.Info(name).Shape, b.Info(name).Shape);
            }
        }
        foreach (string name in TensorNames)
            Assert.True(RawBytes(expected, name).AsSpan().SequenceEqual(RawBytes(actual, name)), $"tensor '{name}' of {actual} differs from {expected}");
    }
}
