using PhysMod.Learning.Data;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using PhysMod.Tests.Data;
using PhysMod.Tests.IO;
using static TorchSharp.torch;

namespace PhysMod.Tests.Training;

/// <summary>Validation during training: the logged errors are the relative L2 of the validation rollouts, keep_best keeps the
/// lowest-scoring weights and every loader uses them, and a resumed run validates and keeps exactly as an uninterrupted one.</summary>
[Collection(TorchRngCollection.Name)]
public sealed class ValidationTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly TinyFamily _family = new();
    private readonly string _data;

    public ValidationTests()
    {
        _data = DataFiles.WriteValid(_folder.PathOf("data.safetensors"), n: 10, t: 8, w: 3, split: (6, 2, 2));
    }

    public void Dispose() => _folder.Dispose();

    private FamilyConfig Validating(int every = 2, bool keepBest = true) => _family.DefaultConfig with
    {
        Training = _family.DefaultConfig.Training with { WindowFrames = 4, ValidateEvery = every, KeepBest = keepBest, PeakLearningRate = 0.2 },
    };

    private TrainingRequest Request(string run, FamilyConfig? config = null, bool resume = false) => new()
    {
        Family = _family, Config = config ?? Validating(), DataPath = _data, RunFolder = _folder.PathOf(run), Resume = resume,
    };

    private static byte[] Bytes(SafetensorsFile file, string name)
    {
        using var bytes = new MemoryStream();
        file.CopyRawTo(name, bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void KeepBestKeepsTheLowestScoreAndLoadingUsesThoseWeights()
    {
        var outcome = TrainingSession.Run(Request("run"));
        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        var run = new RunDirectory(_folder.PathOf("run"));
        var records = run.ReadMetrics();
        // every 2nd step and the last (10 steps)
        Assert.Equal([2L, 4, 6, 8, 10], records.Where(r => r.Validation is not null).Select(r => r.Step));
        var best = records.Where(r => r.Validation is not null).MinBy(r => r.Validation!["rel_l2_1x"] + r.Validation["rel_l2_2x"])!;

        using (var file = SafetensorsFile.Open(run.BestPath))
        {
            Assert.Equal(best.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), file.Metadata["step"]);
            Assert.DoesNotContain(file.Names, n => n.StartsWith("optimizer.", StringComparison.Ordinal));
        }

        // The loaded run holds the best weights: its validation error, computed here from the raw data, is the logged one.
        using var trained = TrainedRun.Load(run.Folder, _family);
        var dataset = TrajectoryDataset.Open(_data);
        var raw = dataset.Read(DataSplit.Validation, 8);             // (2, 8, 3, 2)
        var normalisation = trained.Config.Normalisation;
        using var scope = NewDisposeScope();
        var truth = normalisation.Normalise(tensor(raw, [2, 8, 3, 2]));
        using var noGrad = no_grad();
        var predicted = trained.Model.Rollout(truth.select(1, 0), 8);
        double[] p = predicted.select(-1, 0).to_type(ScalarType.Float64).data<double>().ToArray(); // (2, 8, 3)
        double[] t = truth.select(-1, 0).to_type(ScalarType.Float64).data<double>().ToArray();
        double RelativeL2(int frames)
        {
            double difference = 0, reference = 0;
            for (int n = 0; n < 2; n++)
                for (int k = 0; k < frames * 3; k++)
                {
                    int i = n * 24 + k;
                    difference += (p[i] - t[i]) * (p[i] - t[i]);
                    reference += t[i] * t[i];
                }
            return Math.Sqrt(difference / reference);
        }
        Assert.Equal(best.Validation!["rel_l2_1x"], RelativeL2(6), 1e-6);
        Assert.Equal(best.Validation["rel_l2_2x"], RelativeL2(8), 1e-6);
    }

    [Fact]
    public void ResumedRunValidatesAndKeepsTheSameBestWeights()
    {
        TrainingSession.Run(Request("straight"));
        using var cancel = new CancellationTokenSource();
        var first = TrainingSession.Run(Request("resumed"), p => { if (p.Step == 5) cancel.Cancel(); }, cancel.Token);
        Assert.Equal(TrainingStatus.Interrupted, first.Status);
        TrainingSession.Run(Request("resumed", resume: true));

        string[] Lines(string name) => new RunDirectory(_folder.PathOf(name)).ReadMetrics()
            .Select(r => $"{r.Step} {r.Loss:R} {(r.Validation is null ? "-" : $"{r.Validation["rel_l2_1x"]:R} {r.Validation["rel_l2_2x"]:R}")}").ToArray();
        Assert.Equal(Lines("straight"), Lines("resumed"));
        using var a = SafetensorsFile.Open(new RunDirectory(_folder.PathOf("straight")).BestPath);
        using var b = SafetensorsFile.Open(new RunDirectory(_folder.PathOf("resumed")).BestPath);
        Assert.Equal(a.Metadata["step"], b.Metadata["step"]);
        foreach (var name in a.Names) Assert.True(Bytes(a, name).AsSpan().SequenceEqual(Bytes(b, name)), $"tensor {name} differs");
    }

    [Fact]
    public void WithoutKeepBestTheLastWeightsAreUsedAndNoBestFileIsWritten()
    {
        TrainingSession.Run(Request("plain", Validating(every: 5, keepBest: false)));
        var run = new RunDirectory(_folder.PathOf("plain"));
        Assert.False(File.Exists(run.BestPath));
        Assert.Equal(run.CheckpointPath, run.WeightsPath(run.ReadConfig()));
        Assert.Equal([5L, 10], run.ReadMetrics().Where(r => r.Validation is not null).Select(r => r.Step));
    }

    [Fact]
    public void KeepBestWithoutValidationIsOneClearLine()
    {
        var config = _family.DefaultConfig with { Training = _family.DefaultConfig.Training with { KeepBest = true } };
        var error = Assert.Throws<InvalidSettingException>(() => TrainingSession.Run(Request("bad", config)));
        Assert.Contains("training.keep_best", error.Message);
        Assert.Contains("training.validate_every", error.Message);
        Assert.False(Directory.Exists(_folder.PathOf("bad")) && Directory.EnumerateFileSystemEntries(_folder.PathOf("bad")).Any());
    }
}
