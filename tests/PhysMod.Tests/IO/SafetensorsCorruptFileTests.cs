using System.Buffers.Binary;
using System.Text;
using PhysMod.Physics.IO;

namespace PhysMod.Tests.IO;

/// <summary>Damaged or malformed safetensors files must be refused with one line that names the file and the problem.</summary>
public sealed class SafetensorsCorruptFileTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Headers that are each wrong in one way, with the data length to append and a fragment of the expected message.</summary>
    public static TheoryData<string, int, string> BadHeaders => new()
    {
        { "{not json}", 0, "not valid JSON" },
        { "[1, 2]", 0, "does not start with '{'" },
        { " {}", 0, "does not start with '{'" },
        { "{\"x\": {\"dtype\": \"F33\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "unknown dtype 'F33'" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 12]}}", 12, "needs 8 bytes" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 8, "end before they begin" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"y\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 16]}}", 16, "leaves a gap" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"y\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, "overlaps" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, "data buffer starts at 0" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4, "non-negative integers" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [1.0], \"data_offsets\": [0, 4]}}", 4, "non-negative integers" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4, "'data_offsets' with 1 entries" },
        { "{\"x\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4, "no 'shape' array" },
        { "{\"x\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "no string 'dtype'" },
        { "{\"x\": 3}", 0, "not an object" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "'x' twice" },
        { "{\"__metadata__\": {\"fs\": 48000}}", 0, "must be strings" },
        { "{\"__metadata__\": [\"a\"]}", 0, "not an object of strings" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}", 4, "overflows" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 6, "2 unexpected bytes after the last tensor" },
        { "{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 5, "truncated: tensor 'x' needs bytes up to" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void MalformedHeaderIsRefusedWithOneLineNamingTheFile(string header, int dataLength, string expected)
    {
        string path = folder.PathOf("bad.safetensors");
        WriteRaw(path, Encoding.UTF8.GetBytes(header), new byte[dataLength]);
        AssertRefused(path, expected);
    }

    [Fact]
    public void FileShorterThanTheLengthPrefixIsRefused()
    {
        string path = folder.PathOf("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        AssertRefused(path, "the file is 5 bytes, too short");
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRefused()
    {
        string path = folder.PathOf("long-header.safetensors");
        byte[] header = "{}      "u8.ToArray();
        WriteRaw(path, header, [], declaredHeaderLength: 1000);
        AssertRefused(path, "header length 1000 is larger than the 8 bytes that follow it");
    }

    [Fact]
    public void HugeHeaderLengthIsRefused()
    {
        string path = folder.PathOf("huge-header.safetensors");
        WriteRaw(path, "{}      "u8.ToArray(), [], declaredHeaderLength: ulong.MaxValue);
        AssertRefused(path, "header length 18446744073709551615 is larger");
    }

    [Fact]
    public void HeaderLongerThanTheFormatLimitIsRefused()
    {
        // A sparse 150 MB file: the declared header fits in the file but exceeds the reference reader's 100 MB limit.
        string path = folder.PathOf("limit.safetensors");
        WriteRaw(path, "{}      "u8.ToArray(), [], declaredHeaderLength: 120_000_000);
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(150_000_000);
        AssertRefused(path, "header length 120000000 exceeds the safetensors limit of 100000000 bytes");
    }

    [Fact]
    public void HeaderThatIsNotUtf8IsRefused()
    {
        string path = folder.PathOf("latin1.safetensors");
        byte[] header = [.. "{\"x"u8, 0xE9, .. "\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [0, 4]}}"u8];
        WriteRaw(path, header, new byte[4]);
        AssertRefused(path, "not valid UTF-8");
    }

    [Fact]
    public void TruncatedFileNamesTheTensorAndTheSizes()
    {
        string path = folder.PathOf("data.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("fields", new float[1000], 10, 100);
        writer.Add("labels", new long[10], 10);
        writer.Save(path);
        long fullLength = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(fullLength - 100);

        // labels (8-byte elements) come first, so the cut falls inside 'fields'.
        var error = AssertRefused(path, "truncated: tensor 'fields'");
        Assert.EndsWith($"needs bytes up to {fullLength} but the file has {fullLength - 100}", error.Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(folder.PathOf("absent.safetensors")));
    }

    [Fact]
    public void PaddedHeaderWithTrailingSpacesIsAccepted()
    {
        string path = folder.PathOf("padded.safetensors");
        WriteRaw(path, "{\"x\": {\"dtype\": \"I32\", \"shape\": [1], \"data_offsets\": [0, 4]}}         "u8.ToArray(), [42, 0, 0, 0]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([42], file.ReadInt32("x"));
    }

    [Fact]
    public void NullMetadataAndUnknownTensorFieldsAreAccepted()
    {
        // The reference reader ignores unknown fields in a tensor entry and accepts a null __metadata__.
        string path = folder.PathOf("lenient.safetensors");
        WriteRaw(path, "{\"__metadata__\": null, \"x\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2], \"note\": 1}}"u8.ToArray(), [7, 8]);
        using var file = SafetensorsFile.Open(path);
        Assert.Empty(file.Metadata);
        Assert.Equal([7, 8], file.Read<byte>("x"));
    }

    /// <summary>Writes a length prefix (the header's length unless <paramref name="declaredHeaderLength"/> is given), the header and the data.</summary>
    internal static void WriteRaw(string path, byte[] header, byte[] data, ulong? declaredHeaderLength = null)
    {
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength ?? (ulong)header.Length);
        File.WriteAllBytes(path, [.. prefix, .. header, .. data]);
    }

    private static InvalidDataException AssertRefused(string path, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }
}
