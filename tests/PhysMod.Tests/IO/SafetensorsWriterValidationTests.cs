using PhysMod.Physics.IO;

namespace PhysMod.Tests.IO;

/// <summary>The writer refuses inconsistent tensors and never leaves a file, or a temporary file, behind when it does.</summary>
public sealed class SafetensorsWriterValidationTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ShapeThatDoesNotMatchTheDataIsRefused()
    {
        var writer = new SafetensorsWriter();
        var error = Assert.Throws<ArgumentException>(() => writer.Add("x", new float[6], 2, 4));
        Assert.Contains("'x'", error.Message);
        Assert.Contains("[2, 4] has 8 elements but the data has 6", error.Message);
        Assert.Throws<ArgumentException>(() => writer.Add("v", new float[6]));
        Assert.Equal(0, writer.Count);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("__metadata__", "reserved")]
    [InlineData("taken", "already added")]
    public void BadNamesAreRefused(string name, string expected)
    {
        var writer = new SafetensorsWriter();
        writer.Add("taken", new[] { 1.0 }, 1);
        var error = Assert.Throws<ArgumentException>(() => writer.Add(name, new[] { 2.0 }, 1));
        Assert.Contains(expected, error.Message);
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void NegativeDimensionAndUnknownDtypeAreRefused()
    {
        var writer = new SafetensorsWriter();
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => writer.Add("x", Array.Empty<int>(), -1, 0)).Message);
        Assert.Contains("unknown dtype 'F4'", Assert.Throws<ArgumentException>(() => writer.AddStreamed("y", "F4", [2], _ => { })).Message);
        Assert.Contains("too large", Assert.Throws<ArgumentException>(() => writer.AddStreamed("z", "F64", [1L << 62, 4], _ => { })).Message);
    }

    [Fact]
    public void ValidationErrorLeavesNoFile()
    {
        string path = folder.PathOf("never.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("ok", new[] { 1f }, 1);
        Assert.Throws<ArgumentException>(() => writer.Add("bad", new float[3], 2));
        Assert.False(File.Exists(path));
        Assert.Empty(folder.FileNames());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(9)]
    public void StreamedTensorWithTheWrongByteCountLeavesNoFile(int bytesWritten)
    {
        string path = folder.PathOf("streamed.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("first", new[] { 1.0, 2.0 }, 2);
        writer.AddStreamed("x", SafetensorsDtype.F32, [2], stream => stream.Write(new byte[bytesWritten]));

        var error = Assert.Throws<InvalidOperationException>(() => writer.Save(path));
        Assert.Contains("'x'", error.Message);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void FailedSaveLeavesThePreviousFileUntouched()
    {
        string path = folder.PathOf("keep.safetensors");
        var good = new SafetensorsWriter();
        good.Add("x", new[] { 1f, 2f }, 2);
        good.Save(path);
        byte[] before = File.ReadAllBytes(path);

        var bad = new SafetensorsWriter();
        bad.AddStreamed("x", SafetensorsDtype.F32, [2], _ => throw new IOException("disk on fire"));
        Assert.Throws<IOException>(() => bad.Save(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["keep.safetensors"], folder.FileNames());
    }

    [Fact]
    public void NullMetadataValueIsRefusedBeforeAnythingIsWritten()
    {
        string path = folder.PathOf("meta.safetensors");
        var writer = new SafetensorsWriter();
        writer.Metadata["seed"] = null!;
        var error = Assert.Throws<ArgumentException>(() => writer.Save(path));
        Assert.Contains("'seed'", error.Message);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void StreamedTensorRoundTrips()
    {
        string path = folder.PathOf("streamed-ok.safetensors");
        var writer = new SafetensorsWriter();
        writer.AddStreamed("x", SafetensorsDtype.I32, [3], stream =>
        {
            foreach (int value in new[] { 5, -6, 7 }) stream.Write(BitConverter.GetBytes(value));
        });
        writer.Save(path);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([5, -6, 7], file.ReadInt32("x"));
    }
}
