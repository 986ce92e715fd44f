using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.IO;
using PhysMod.Tests.IO;
using Xunit.Abstractions;

namespace PhysMod.Tests.Datasets;

/// <summary>Dataset files open in Python (benchmarks/check_safetensors.py: the safetensors package or a numpy reader).</summary>
public sealed class DatasetPythonInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [FactIfPython]
    public void BenchmarkDatasetOpensInPythonWithTheSameShapesDtypesBytesAndMetadata()
    {
        string path = folder.PathOf("string-benchmark.safetensors");
        DatasetTestData.Write(path, DatasetTestData.ShortBenchmark, 4, seed: 2, threads: 2);
        AssertPythonReadsTheSame(path);
    }

    [FactIfPython]
    public void MergedSmallDatasetOpensInPython()
    {
        string[] shards = [folder.PathOf("a.safetensors"), folder.PathOf("b.safetensors")];
        for (int i = 0; i < 2; i++) DatasetTestData.Write(shards[i], DatasetPresets.StringSmall, 5, seed: 1, new DatasetShard(i, 2), threads: 1);
        string merged = folder.PathOf("merged.safetensors");
        DatasetFile.Merge(shards, merged);
        AssertPythonReadsTheSame(merged);
    }

    private void AssertPythonReadsTheSame(string path)
    {
        var (exitCode, stdout, stderr) = SafetensorsChecker.Run(path);
        Assert.True(exitCode == 0, $"check_safetensors.py exited with {exitCode}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        output.WriteLine($"python reader: {root.GetProperty("reader").GetString()}");

        using var file = SafetensorsFile.Open(path);
        var metadata = root.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(file.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), metadata.OrderBy(p => p.Key, StringComparer.Ordinal)!);

        var tensors = root.GetProperty("tensors");
        Assert.Equal(DatasetTestData.TensorNames.Order(StringComparer.Ordinal), tensors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (string name in DatasetTestData.TensorNames)
        {
            var info = file.Info(name);
            var python = tensors.GetProperty(name);
            output.WriteLine($"{name}: {python.GetProperty("dtype").GetString()} [{string.Join(", ", python.GetProperty("shape").EnumerateArray())}]");
            Assert.Equal(info.Dtype, python.GetProperty("dtype").GetString());
            Assert.Equal(info.Shape, python.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(DatasetTestData.RawBytes(path, name))), python.GetProperty("sha256").GetString());
        }
        Assert.Equal(SafetensorsDtype.F32, tensors.GetProperty("fields").GetProperty("dtype").GetString());
        Assert.Equal(4, tensors.GetProperty("fields").GetProperty("shape").GetArrayLength());
        Assert.Equal(0, tensors.GetProperty("fields").GetProperty("nonfinite").GetInt64());
        Assert.Equal(0, tensors.GetProperty("pickup").GetProperty("nonfinite").GetInt64());
    }
}
