using System.Buffers.Binary;
using PhysMod.Physics.IO;

namespace PhysMod.Tests.IO;

/// <summary>Writes safetensors files and reads them back: values, shapes, metadata and layout must survive exactly.</summary>
public sealed class SafetensorsRoundTripTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void SeveralDtypesAndShapesRoundTripWithMetadata()
    {
        string path = folder.PathOf("mixed.safetensors");
        float[] weights = Enumerable.Range(0, 12).Select(i => i * 0.25f - 1f).ToArray();
        double[] doubles = [1.5, -2.25e300];
        long[] ids = [-3, 0, 1L << 40, -(1L << 62), 7];
        int[] counts = [1, -2, int.MaxValue, int.MinValue];
        byte[] bytes = [0, 1, 255];
        Half[] halves = [(Half)0.5f, Half.NegativeInfinity];
        bool[] flags = [true, false, true];
        ushort[] shorts = [0, 65535];

        var writer = new SafetensorsWriter();
        writer.Add("weights", weights, 3, 4);
        writer.Add("a_f64", doubles, 2);
        writer.Add("ids", ids, 5);
        writer.Add("counts", counts, 2, 2);
        writer.Add("scalar", new[] { 3.5f });
        writer.Add("empty", Array.Empty<float>(), 0, 3);
        writer.Add<byte>("bytes", bytes, 3);
        writer.Add<Half>("halves", halves, 2, 1);
        writer.Add<bool>("flags", flags, 3);
        writer.Add<ushort>("shorts", shorts, 2);
        writer.Metadata["system"] = "string";
        writer.Metadata["parameters"] = "{\"fs\": 48000, \"T0\": 1e+3}";
        writer.Metadata["unicode \"quoted\""] = "é ü ♪";
        writer.Metadata["empty"] = "";
        writer.Save(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["a_f64", "bytes", "counts", "empty", "flags", "halves", "ids", "scalar", "shorts", "weights"], file.Names);
        Assert.Equal(4, file.Metadata.Count);
        Assert.Equal("{\"fs\": 48000, \"T0\": 1e+3}", file.Metadata["parameters"]);
        Assert.Equal("é ü ♪", file.Metadata["unicode \"quoted\""]);
        Assert.Equal("", file.Metadata["empty"]);

        Assert.Equal(weights, file.ReadSingle("weights"));
        Assert.Equal(doubles, file.ReadDouble("a_f64"));
        Assert.Equal(ids, file.ReadInt64("ids"));
        Assert.Equal(counts, file.ReadInt32("counts"));
        Assert.Equal([3.5f], file.ReadSingle("scalar"));
        Assert.Empty(file.ReadSingle("empty"));
        Assert.Equal(bytes, file.Read<byte>("bytes"));
        Assert.Equal(halves, file.Read<Half>("halves"));
        Assert.Equal(flags, file.Read<bool>("flags"));
        Assert.Equal(shorts, file.Read<ushort>("shorts"));

        AssertInfo(file.Info("weights"), SafetensorsDtype.F32, [3, 4]);
        AssertInfo(file.Info("a_f64"), SafetensorsDtype.F64, [2]);
        AssertInfo(file.Info("ids"), SafetensorsDtype.I64, [5]);
        AssertInfo(file.Info("counts"), SafetensorsDtype.I32, [2, 2]);
        AssertInfo(file.Info("scalar"), SafetensorsDtype.F32, []);
        AssertInfo(file.Info("empty"), SafetensorsDtype.F32, [0, 3]);
        AssertInfo(file.Info("halves"), SafetensorsDtype.F16, [2, 1]);
        AssertInfo(file.Info("flags"), SafetensorsDtype.Bool, [3]);
        Assert.Equal(1, file.Info("scalar").ElementCount);
        Assert.Equal(0, file.Info("empty").ElementCount);
    }

    [Fact]
    public void FloatsRoundTripBitExactIncludingNanPayloadsAndNegativeZero()
    {
        string path = folder.PathOf("bits.safetensors");
        uint[] singleBits = [0x7FC00123, 0xFFBFFFFF, 0x7F800001, 0x80000000, 0x00000001, 0x7F800000, 0xFF800000, 0x3F800000];
        ulong[] doubleBits = [0x7FF8000000000ABCUL, 0xFFF0000000000001UL, 0x8000000000000000UL, 0x0000000000000001UL];
        float[] singles = singleBits.Select(b => BitConverter.UInt32BitsToSingle(b)).ToArray();
        double[] doubles = doubleBits.Select(b => BitConverter.UInt64BitsToDouble(b)).ToArray();

        var writer = new SafetensorsWriter();
        writer.Add("singles", singles, singles.Length);
        writer.Add("doubles", doubles, doubles.Length);
        writer.Save(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(singleBits, file.ReadSingle("singles").Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(doubleBits, file.ReadDouble("doubles").Select(BitConverter.DoubleToUInt64Bits));
    }

    [Fact]
    public void FileLayoutIsLittleEndianPaddedAndAligned()
    {
        string path = folder.PathOf("layout.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("b", new[] { 1.0f, 2.0f, 3.0f }, 3);
        writer.Add("a", new[] { 7.0 }, 1);
        writer.Add<byte>("c", new byte[] { 9 }, 1);
        writer.Add("d", new[] { 5L }, 1);
        writer.Save(path);

        byte[] raw = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(raw);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal((byte)'{', raw[8]);
        using var file = SafetensorsFile.Open(path);
        long dataStart = 8 + headerLength;
        foreach (string name in file.Names)
        {
            var info = file.Info(name);
            Assert.Equal(0, (dataStart + info.DataBegin) % SafetensorsDtype.ElementSize(info.Dtype));
        }
        // The 8-byte tensors come first, so the F32 data starts at byte 16 of the data buffer.
        var b = file.Info("b");
        Assert.Equal(16, b.DataBegin);
        Assert.Equal(2.0f, BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan((int)(dataStart + b.DataBegin + 4))));
        Assert.Equal(raw.Length, file.Length);
    }

    [Fact]
    public void RowSliceEqualsTheSameSliceOfTheFullRead()
    {
        string path = folder.PathOf("rows.safetensors");
        const int n = 7, t = 5, w = 3, c = 2;
        float[] fields = Enumerable.Range(0, n * t * w * c).Select(i => MathF.Sin(i * 0.37f)).ToArray();
        long[] labels = Enumerable.Range(0, n).Select(i => (long)i * 11).ToArray();
        var writer = new SafetensorsWriter();
        writer.Add("fields", fields, n, t, w, c);
        writer.Add("labels", labels, n);
        writer.Save(path);

        using var file = SafetensorsFile.Open(path);
        float[] full = file.ReadSingle("fields");
        const int row = t * w * c;
        Assert.Equal(full.AsSpan(2 * row, 3 * row).ToArray(), file.ReadSingleRows("fields", 2, 3));
        Assert.Equal(full.AsSpan(0, row).ToArray(), file.ReadSingleRows("fields", 0, 1));
        Assert.Equal(full.AsSpan((n - 1) * row).ToArray(), file.ReadSingleRows("fields", n - 1, 1));
        Assert.Equal(full, file.ReadSingleRows("fields", 0, n));
        Assert.Empty(file.ReadSingleRows("fields", n, 0));
        Assert.Equal(labels[4..6], file.ReadRows<long>("labels", 4, 2));

        var destination = new float[2 * row];
        file.ReadRows<float>("fields", 5, 2, destination);
        Assert.Equal(full.AsSpan(5 * row).ToArray(), destination);

        using var raw = new MemoryStream();
        file.CopyRawRowsTo("fields", 1, 2, raw);
        Assert.Equal(full.AsSpan(row, 2 * row).ToArray(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.ToArray()).ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadSingleRows("fields", 6, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadSingleRows("fields", -1, 1));
        Assert.Throws<ArgumentException>(() => file.ReadRows<float>("fields", 0, 1, new float[row + 1]));
    }

    [Fact]
    public void ScalarHasNoRows()
    {
        string path = folder.PathOf("scalar.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("s", new[] { 1f });
        writer.Save(path);
        using var file = SafetensorsFile.Open(path);
        var error = Assert.Throws<ArgumentException>(() => file.ReadSingleRows("s", 0, 1));
        Assert.Contains("scalar", error.Message);
    }

    [Fact]
    public void LargeTensorRoundTripsAcrossWriteChunks()
    {
        // 100 MB of float32: large enough to cross many 1 MiB write chunks, as a dataset shard does.
        string path = folder.PathOf("large.safetensors");
        const int rows = 250, rowLength = 100_000;
        float[] data = new float[rows * rowLength];
        for (int i = 0; i < data.Length; i++) data[i] = i;
        var writer = new SafetensorsWriter();
        writer.Add("fields", data, rows, rowLength);
        writer.Add("tail", new[] { 1.0, 2.0 }, 2);
        writer.Save(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(data, file.ReadSingle("fields"));
        Assert.Equal(data.AsSpan(123 * rowLength, 5 * rowLength).ToArray(), file.ReadSingleRows("fields", 123, 5));
        Assert.Equal([1.0, 2.0], file.ReadDouble("tail"));
    }

    [Fact]
    public void FileWithoutTensorsOrMetadataRoundTrips()
    {
        string path = folder.PathOf("nothing.safetensors");
        new SafetensorsWriter().Save(path);
        Assert.Equal(16, new FileInfo(path).Length);
        using var file = SafetensorsFile.Open(path);
        Assert.Empty(file.Names);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void SavingOverAnExistingFileReplacesIt()
    {
        string path = folder.PathOf("replace.safetensors");
        var first = new SafetensorsWriter();
        first.Add("old", new[] { 1f }, 1);
        first.Save(path);
        var second = new SafetensorsWriter();
        second.Add("new", new[] { 2f, 3f }, 2);
        second.Save(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["new"], file.Names);
        Assert.Equal(["replace.safetensors"], folder.FileNames());
    }

    [Fact]
    public void ReadingWithTheWrongTypeNamesBothDtypes()
    {
        string path = folder.PathOf("types.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("ids", new[] { 1L, 2L }, 2);
        writer.Add("x", new[] { 1f }, 1);
        writer.Save(path);
        using var file = SafetensorsFile.Open(path);

        var error = Assert.Throws<InvalidDataException>(() => file.ReadSingle("ids"));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains("I64", error.Message);
        Assert.Contains("F32", error.Message);
        Assert.Throws<InvalidDataException>(() => file.ReadDouble("x"));
        Assert.Throws<InvalidDataException>(() => file.ReadSingleRows("ids", 0, 1));
    }

    [Fact]
    public void MissingTensorNameListsTheAvailableNames()
    {
        string path = folder.PathOf("names.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("fields", new[] { 1f }, 1);
        writer.Add("labels", new[] { 1L }, 1);
        writer.Save(path);
        using var file = SafetensorsFile.Open(path);

        var error = Assert.Throws<KeyNotFoundException>(() => file.ReadSingle("field"));
        Assert.Contains(path, error.Message);
        Assert.Contains("'field'", error.Message);
        Assert.Contains("'fields', 'labels'", error.Message);
        Assert.False(file.Contains("field"));
        Assert.True(file.Contains("fields"));
    }

    [Fact]
    public void InfoReturnsACopyOfTheShape()
    {
        string path = folder.PathOf("info.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("x", new float[6], 2, 3);
        writer.Save(path);
        using var file = SafetensorsFile.Open(path);
        file.Info("x").Shape[0] = 99;
        Assert.Equal([2L, 3L], file.Info("x").Shape);
        Assert.Equal("x: F32 [2, 3]", file.Info("x").ToString());
    }

    [Fact]
    public void WriterKeepsArraysByReferenceUntilSave()
    {
        // Documented behaviour: Add does not copy, so the saved values are those at Save time.
        string path = folder.PathOf("reference.safetensors");
        float[] data = [1f, 2f];
        var writer = new SafetensorsWriter();
        writer.Add("x", data, 2);
        data[1] = 5f;
        writer.Save(path);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1f, 5f], file.ReadSingle("x"));
    }

    private static void AssertInfo(SafetensorsTensorInfo info, string dtype, long[] shape)
    {
        Assert.Equal(dtype, info.Dtype);
        Assert.Equal(shape, info.Shape);
        Assert.Equal(info.ElementCount * SafetensorsDtype.ElementSize(dtype), info.ByteLength);
    }
}
