using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PhysMod.Physics.IO;
using Xunit.Abstractions;

namespace PhysMod.Tests.IO;

/// <summary>Files written here are read by Python (the safetensors package, or a pure-numpy reader) and vice versa.</summary>
/// <remarks>Runs benchmarks/check_safetensors.py with /usr/bin/python3; skipped, with the reason shown, without python3 and numpy.</remarks>
public sealed class SafetensorsPythonInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [FactIfPython]
    public void FileWrittenHereIsReadIdenticallyByPython()
    {
        string path = folder.PathOf("from-csharp.safetensors");
        float[] fields = Enumerable.Range(0, 2 * 3 * 4 * 2).Select(i => MathF.Cos(i * 0.1f) * 3f).ToArray();
        fields[1] = -0.0f;
        fields[2] = BitConverter.UInt32BitsToSingle(0x7FC00123);
        fields[3] = float.NegativeInfinity;
        var writer = new SafetensorsWriter();
        writer.Add("fields", fields, 2, 3, 4, 2);
        writer.Add("parameters", new[] { 0.65, 7850.0, 2e11, 1e-300 }, 2, 2);
        writer.Add("labels", new[] { 1L << 53, -5L }, 2);
        writer.Add("index", new[] { 3, -4, 5 }, 3);
        writer.Add("gain", new[] { 0.5f });
        writer.Add("nothing", Array.Empty<double>(), 4, 0);
        writer.Add<byte>("mask", new byte[] { 0, 1, 200 }, 3);
        writer.Metadata["system"] = "string";
        writer.Metadata["parameters"] = "{\"L\": 0.65, \"rho\": 7850, \"names\": [\"u\", \"v\"]}";
        writer.Metadata["note"] = "é ♪ \"quoted\" \\ back";
        writer.Save(path);

        using var document = RunChecker(path);
        var root = document.RootElement;
        output.WriteLine($"python reader: {root.GetProperty("reader").GetString()}");

        var metadata = root.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(writer.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), metadata.OrderBy(p => p.Key, StringComparer.Ordinal)!);

        using var file = SafetensorsFile.Open(path);
        var tensors = root.GetProperty("tensors");
        Assert.Equal(file.Names, tensors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (string name in file.Names)
        {
            var info = file.Info(name);
            var python = tensors.GetProperty(name);
            Assert.Equal(info.Dtype, python.GetProperty("dtype").GetString());
            Assert.Equal(info.Shape, python.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal(Sha256(file, name), python.GetProperty("sha256").GetString());
            var (sum, nonFinite) = SumOfFinite(file, info);
            Assert.Equal(nonFinite, python.GetProperty("nonfinite").GetInt64());
            double pythonSum = python.GetProperty("sum").GetDouble();
            Assert.True(Math.Abs(pythonSum - sum) <= 1e-12 * Math.Max(1, Math.Abs(sum)), $"{name}: python sum {pythonSum} vs {sum}");
        }
    }

    [FactIfPython]
    public void FileWrittenByPythonIsReadHere()
    {
        string path = folder.PathOf("from-python.safetensors");
        using var document = RunChecker("--write-sample", path);
        output.WriteLine($"python writer/reader: {document.RootElement.GetProperty("reader").GetString()}");

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["a_f64", "counts", "empty", "ids", "scalar", "weights"], file.Names);
        Assert.Equal("{\"fs\": 48000, \"modes\": [1, 2]}", file.Metadata["json"]);
        Assert.Equal("é\u00fc ♪", file.Metadata["unicode"]);

        uint[] weightBits = file.ReadSingle("weights").Select(BitConverter.SingleToUInt32Bits).ToArray();
        float[] expected = Enumerable.Range(0, 12).Select(i => i * 0.25f - 1f).ToArray();
        expected[1] = -0.0f;
        expected[2] = BitConverter.UInt32BitsToSingle(0x7FC00123);
        expected[3] = float.PositiveInfinity;
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), weightBits);
        Assert.Equal([3L, 4L], file.Info("weights").Shape);
        Assert.Equal([1.5, -2.25e300], file.ReadDouble("a_f64"));
        Assert.Equal([-3L, 0L, 1L << 40, -(1L << 62), 7L], file.ReadInt64("ids"));
        Assert.Equal([1, -2, int.MaxValue, int.MinValue], file.ReadInt32("counts"));
        Assert.Equal([3.5f], file.ReadSingle("scalar"));
        Assert.Empty(file.Info("scalar").Shape);
        Assert.Equal([0L, 3L], file.Info("empty").Shape);
        Assert.Equal(expected[4..12], file.ReadSingleRows("weights", 1, 2));

        foreach (var python in document.RootElement.GetProperty("tensors").EnumerateObject())
        {
            Assert.Equal(python.Value.GetProperty("sha256").GetString(), Sha256(file, python.Name));
        }
    }

    [FactIfPython]
    public void DamagedFilesAreRefusedByBothReaders()
    {
        string valid = folder.PathOf("valid.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("fields", new float[64], 4, 16);
        writer.Save(valid);
        byte[] bytes = File.ReadAllBytes(valid);

        var damaged = new Dictionary<string, byte[]>
        {
            ["truncated"] = bytes[..^4],
            ["trailing"] = [.. bytes, 0, 0, 0, 0],
            ["short"] = bytes[..6],
        };
        string gap = folder.PathOf("gap.safetensors");
        SafetensorsCorruptFileTests.WriteRaw(gap,
            "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}"u8.ToArray(), new byte[8]);
        damaged["gap"] = File.ReadAllBytes(gap);

        foreach (var (name, content) in damaged)
        {
            string path = folder.PathOf(name + ".safetensors");
            File.WriteAllBytes(path, content);
            Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
            var (exitCode, _, error) = SafetensorsChecker.Run(path);
            output.WriteLine($"{name}: python exit {exitCode}: {error.Trim()}");
            Assert.Equal(1, exitCode);
        }
    }

    private JsonDocument RunChecker(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = SafetensorsChecker.Run(arguments);
        Assert.True(exitCode == 0, $"check_safetensors.py exited with {exitCode}: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static string Sha256(SafetensorsFile file, string name)
    {
        using var bytes = new MemoryStream();
        file.CopyRawTo(name, bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));
    }

    private static (double Sum, long NonFinite) SumOfFinite(SafetensorsFile file, SafetensorsTensorInfo info)
    {
        IEnumerable<double> values = info.Dtype switch
        {
            SafetensorsDtype.F32 => file.ReadSingle(info.Name).Select(v => (double)v),
            SafetensorsDtype.F64 => file.ReadDouble(info.Name),
            SafetensorsDtype.I32 => file.ReadInt32(info.Name).Select(v => (double)v),
            SafetensorsDtype.I64 => file.ReadInt64(info.Name).Select(v => (double)v),
            SafetensorsDtype.U8 => file.Read<byte>(info.Name).Select(v => (double)v),
            _ => throw new NotSupportedException(info.Dtype),
        };
        double sum = 0;
        long nonFinite = 0;
        foreach (double value in values)
        {
            if (double.IsFinite(value)) sum += value;
            else nonFinite++;
        }
        return (sum, nonFinite);
    }
}
