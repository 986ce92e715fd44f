using PhysMod.Learning.Training;
using PhysMod.Physics.IO;
using PhysMod.Tests.IO;
using TorchSharp;
using static TorchSharp.torch;
using AdamW = PhysMod.Learning.Training.AdamW;

namespace PhysMod.Tests.Training;

/// <summary>Checkpoints restore every dtype bit for bit (complex as real pairs) and refuse files that are not theirs.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private sealed class Mixed : nn.Module
    {
        public Mixed(double offset) : base("mixed")
        {
            register_buffer("real64", tensor(new[] { 1.0 / 3, -2.5e-300, offset }, ScalarType.Float64));
            register_buffer("count", tensor(new long[] { 7, (long)offset }));
            register_buffer("phases", complex(tensor(new[] { 0.1f, (float)offset }), tensor(new[] { -0.2f, 1e-30f })));
            register_parameter("weight", nn.Parameter(full(new long[] { 2, 3 }, offset, ScalarType.Float32)));
        }
    }

    [Fact]
    public void EveryDtypeRoundTripsExactly()
    {
        using var scope = NewDisposeScope();
        var source = new Mixed(5.5);
        var optimiser = new AdamW(source.named_parameters());
        source.get_parameter("weight")!.grad = ones(2, 3);
        optimiser.Update(0.1);
        string path = _folder.PathOf("c.safetensors");
        Checkpoint.Save(path, source, optimiser, random.get_rng_state(), new Dictionary<string, string> { ["step"] = "1", ["optimizer_count"] = "1", ["optimizer"] = "adamw" });

        var target = new Mixed(0);
        var restored = new AdamW(target.named_parameters());
        using (var reader = CheckpointReader.Open(path))
        {
            Assert.Equal(Checkpoint.Format, reader.Require("format"));
            Assert.Equal("model.phases", reader.Require(Checkpoint.ComplexKey));
            reader.LoadModule(target);
            reader.LoadOptimiser(restored);
            Assert.Equal(5056, reader.ReadRngState()!.shape[0]);
        }
        foreach (var (name, value) in source.state_dict())
            Assert.Equal(value.bytes.ToArray(), target.state_dict()[name].bytes.ToArray());
        Assert.Equal(1, restored.Count);
        for (int i = 0; i < optimiser.State.Count; i++)
            Assert.Equal(optimiser.State[i].Value.bytes.ToArray(), restored.State[i].Value.bytes.ToArray());
    }

    [Fact]
    public void ForeignFilesAreRefusedNamingThem()
    {
        string path = _folder.PathOf("other.safetensors");
        var writer = new SafetensorsWriter();
        writer.Add("w", new float[] { 1 }, 1);
        writer.Save(path);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointReader.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a PhysMod checkpoint", e.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => CheckpointReader.Open(_folder.PathOf("none.safetensors")));
        Assert.Contains("none.safetensors", missing.Message);
    }

    [Fact]
    public void MissingAndExtraTensorsAreNamed()
    {
        using var scope = NewDisposeScope();
        string path = _folder.PathOf("linear.safetensors");
        Checkpoint.Save(path, nn.Linear(3, 2), null, null, new Dictionary<string, string>());
        using var reader = CheckpointReader.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => reader.LoadModule(new Mixed(1)));
        Assert.Contains("no tensor for", e.Message);
        Assert.Contains("'real64'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
