using PhysMod.Learning.Koopman;
using PhysMod.Learning.Training;
using PhysMod.Physics.IO;
using PhysMod.Tests.Data;
using PhysMod.Tests.IO;
using PhysMod.Tests.Training;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>A whole Koopman run with the linear path and the DMD start: resume stays bit-identical (the start is computed once,
/// for the new run, and restored from the checkpoint afterwards).</summary>
[Collection(TorchRngCollection.Name)]
public sealed class KoopmanDmdStartRunTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly KoopmanFamily _family = new();
    private readonly string _data;
    private readonly FamilyConfig _config;

    public KoopmanDmdStartRunTests()
    {
        _data = DataFiles.WriteValid(_folder.PathOf("data.safetensors"), n: 10, t: 8, w: 3, split: (6, 2, 2));
        _config = new FamilyConfig(
            _family.DefaultConfig.Training with { Epochs = 5, BatchSize = 4, TrainFrames = 6, EvalFrames = 8, ValidateEvery = 2, CheckpointEvery = 3 },
            new KoopmanModelConfig { DLatent = 4, Width = 6, Depth = 1, EnergyPhase = true, LinearSkip = true, Init = "dmd" }.ToJson());
    }

    public void Dispose() => _folder.Dispose();

    private TrainingRequest Request(string run, bool resume = false) => new()
    {
        Family = _family, Config = resume ? null : _config, DataPath = _data, RunFolder = _folder.PathOf(run), Resume = resume,
    };

    private static Dictionary<string, byte[]> Tensors(string checkpoint)
    {
        using var file = SafetensorsFile.Open(checkpoint);
        return file.Names.ToDictionary(n => n, n =>
        {
            using var bytes = new MemoryStream();
            file.CopyRawTo(n, bytes);
            return bytes.ToArray();
        });
    }

    [Fact]
    public void ResumeIsBitIdenticalToAnUninterruptedRun()
    {
        var straight = TrainingSession.Run(Request("straight"));
        Assert.Equal(TrainingStatus.Completed, straight.Status);
        Assert.Equal(10, straight.TotalSteps);                                  // ⌈6/4⌉ = 2 steps per epoch × 5 epochs

        using var cancel = new CancellationTokenSource();
        var first = TrainingSession.Run(Request("resumed"), p => { if (p.Step == 5) cancel.Cancel(); }, cancel.Token);
        Assert.Equal(TrainingStatus.Interrupted, first.Status);
        manual_seed(999);
        _ = randn(17);
        var second = TrainingSession.Run(Request("resumed", resume: true));
        Assert.Equal(TrainingStatus.Completed, second.Status);

        foreach (string file in new[] { RunDirectory.CheckpointFileName, RunDirectory.BestFileName })
        {
            var a = Tensors(Path.Combine(_folder.PathOf("straight"), file));
            var b = Tensors(Path.Combine(_folder.PathOf("resumed"), file));
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            Assert.Contains("model.encoder_skip.weight", a.Keys);
            foreach (var name in a.Keys) Assert.True(a[name].AsSpan().SequenceEqual(b[name]), $"{file}: tensor {name} differs");
        }
        Assert.Equal(straight.FinalLoss, second.FinalLoss);
    }
}
