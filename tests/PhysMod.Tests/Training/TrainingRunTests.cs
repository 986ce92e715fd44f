using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using PhysMod.Tests.Data;
using PhysMod.Tests.IO;
using static TorchSharp.torch;

namespace PhysMod.Tests.Training;

/// <summary>Whole runs with a tiny model: resume is bit-identical, NaN keeps the last good checkpoint, bad checkpoints are one
/// clear line, closed-form families are fitted, and a run loads back for evaluation.</summary>
[Collection(TorchRngCollection.Name)]
public sealed class TrainingRunTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly TinyFamily _family = new();
    private readonly string _data;

    public TrainingRunTests()
    {
        _data = DataFiles.WriteValid(_folder.PathOf("data.safetensors"), n: 10, t: 8, w: 3, split: (6, 2, 2));
    }

    public void Dispose() => _folder.Dispose();

    private TrainingRequest Request(string run, FamilyConfig? config = null, bool resume = false) => new()
    {
        Family = _family, Config = config ?? _family.DefaultConfig, DataPath = _data, RunFolder = _folder.PathOf(run), Resume = resume,
    };

    private static FamilyConfig Windowed(TinyFamily family) =>
        family.DefaultConfig with { Training = family.DefaultConfig.Training with { WindowFrames = 4 } };

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

    private static string[] MetricLinesWithoutTime(string run) =>
        new RunDirectory(run).ReadMetrics().Select(r => $"{r.Step} {r.Epoch} {r.Loss:R} {string.Join(",", r.Parts.Select(p => $"{p.Key}={p.Value:R}"))} {r.LearningRate:R} {r.GradNorm:R}").ToArray();

    [Fact]
    public void ResumeAfterInterruptionIsBitIdenticalToAnUninterruptedRun()
    {
        var config = Windowed(_family);
        var straight = TrainingSession.Run(Request("straight", config));
        Assert.Equal(TrainingStatus.Completed, straight.Status);
        Assert.Equal(10, straight.TotalSteps); // ⌈6/4⌉ = 2 steps per epoch × 5 epochs

        using var cancel = new CancellationTokenSource();
        var first = TrainingSession.Run(Request("resumed", config), p => { if (p.Step == 5) cancel.Cancel(); }, cancel.Token);
        Assert.Equal(TrainingStatus.Interrupted, first.Status);
        Assert.Equal(5, first.Step);
        Assert.Equal(5, first.CheckpointStep); // mid-epoch and between the every-3-steps checkpoints
        // Another model and a drawn number in between must not matter: everything comes from the checkpoint.
        manual_seed(999);
        _ = randn(17);
        var second = TrainingSession.Run(Request("resumed", resume: true));
        Assert.Equal(TrainingStatus.Completed, second.Status);
        Assert.Equal(10, second.Step);

        var a = Tensors(new RunDirectory(_folder.PathOf("straight")).CheckpointPath);
        var b = Tensors(new RunDirectory(_folder.PathOf("resumed")).CheckpointPath);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Contains("model._in.weight", a.Keys);
        Assert.Contains("optimizer.mu._in.weight", a.Keys);
        Assert.Contains(Checkpoint.RngTensor, a.Keys);
        foreach (var name in a.Keys) Assert.True(a[name].AsSpan().SequenceEqual(b[name]), $"tensor {name} differs");
        Assert.Equal(MetricLinesWithoutTime(_folder.PathOf("straight")), MetricLinesWithoutTime(_folder.PathOf("resumed")));
        Assert.Equal(straight.FinalLoss, second.FinalLoss);
    }

    [Fact]
    public void NaNLossStopsNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        var config = _family.DefaultConfig with { Model = TinyFamily.Model(nanAtCall: 5) };
        var outcome = TrainingSession.Run(Request("nan", config));
        Assert.Equal(TrainingStatus.Diverged, outcome.Status);
        Assert.Equal(4, outcome.Step);
        Assert.Equal(3, outcome.CheckpointStep);
        Assert.Contains("at step 5", outcome.Message);
        Assert.Contains("NaN", outcome.Message);
        Assert.Contains("step 3", outcome.Message);
        Assert.DoesNotContain('\n', outcome.Message);

        // The checkpoint on disk is the step-3 state of the same run without NaN (same length, so the same schedule).
        using var cancel = new CancellationTokenSource();
        TrainingSession.Run(Request("clean"), p => { if (p.Step == 3) cancel.Cancel(); }, cancel.Token);
        var kept = Tensors(new RunDirectory(_folder.PathOf("nan")).CheckpointPath);
        var reference = Tensors(new RunDirectory(_folder.PathOf("clean")).CheckpointPath);
        foreach (var name in kept.Keys.Where(k => k.StartsWith("model.", StringComparison.Ordinal)))
            Assert.True(kept[name].AsSpan().SequenceEqual(reference[name]), $"tensor {name} differs");
        using var reader = CheckpointReader.Open(new RunDirectory(_folder.PathOf("nan")).CheckpointPath);
        Assert.Equal(3, reader.RequireInt64("step"));
    }

    [Fact]
    public void NaNBeforeTheFirstCheckpointLeavesNoRunBehind()
    {
        var config = _family.DefaultConfig with { Model = TinyFamily.Model(nanAtCall: 2) };
        var outcome = TrainingSession.Run(Request("early", config));
        Assert.Equal(TrainingStatus.Diverged, outcome.Status);
        Assert.Null(outcome.CheckpointStep);
        Assert.Contains("no checkpoint", outcome.Message);
        Assert.False(new RunDirectory(_folder.PathOf("early")).HasRun);
    }

    [Fact]
    public void CorruptTruncatedOrMismatchedCheckpointIsOneClearLine()
    {
        TrainingSession.Run(Request("run"));
        var run = new RunDirectory(_folder.PathOf("run"));
        var good = File.ReadAllBytes(run.CheckpointPath);

        File.WriteAllBytes(run.CheckpointPath, good[..(good.Length / 2)]);
        var truncated = Assert.Throws<InvalidDataException>(() => TrainedRun.Load(run.Folder, _family));
        Assert.Contains(run.CheckpointPath, truncated.Message);
        Assert.Contains("truncated", truncated.Message);

        File.WriteAllBytes(run.CheckpointPath, [1, 2, 3]);
        var garbage = Assert.Throws<InvalidDataException>(() => TrainingSession.Run(Request("run", resume: true)));
        Assert.Contains(run.CheckpointPath, garbage.Message);

        // A checkpoint of a wider model does not fit this run's model.
        File.WriteAllBytes(run.CheckpointPath, good);
        var wide = _family.DefaultConfig with { Model = TinyFamily.Model(hidden: 5) };
        TrainingSession.Run(Request("wide", wide));
        File.Copy(new RunDirectory(_folder.PathOf("wide")).CheckpointPath, run.CheckpointPath, overwrite: true);
        var mismatch = Assert.Throws<InvalidDataException>(() => TrainedRun.Load(run.Folder, _family));
        Assert.Contains(run.CheckpointPath, mismatch.Message);
        Assert.Contains("model._in.weight", mismatch.Message);
        Assert.Contains("[5, 6]", mismatch.Message);
        Assert.Contains("[8, 6]", mismatch.Message);
        foreach (var e in new Exception[] { truncated, garbage, mismatch }) Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void LoadedRunHasTheTrainedWeightsConfigAndNormalisation()
    {
        var outcome = TrainingSession.Run(Request("run"));
        using var loaded = TrainedRun.Load(outcome.RunFolder, _family);
        Assert.True(loaded.Finished);
        Assert.Equal(10, loaded.Step);
        Assert.Equal("tiny", loaded.Config.Family);
        Assert.Equal(6, loaded.Config.SequenceFrames);
        var expectedScale = PhysMod.Learning.Data.TrajectoryDataset.Open(_data).ComputeNormalisation();
        Assert.Equal(expectedScale.Scale, loaded.Normalisation.Scale);
        Assert.Equal(64, loaded.Config.Data.Sha256.Length);
        Assert.False(loaded.Model.Module.training);
        var stored = Tensors(loaded.Directory.CheckpointPath)["model._out.bias"];
        var live = loaded.Model.Module.state_dict()["_out.bias"].bytes.ToArray();
        Assert.Equal(stored, live);
        Assert.Equal(10, loaded.ReadMetrics().Count);
        using var scope = NewDisposeScope();
        Assert.Equal([2L, 5, 3, 2], loaded.Model.Rollout(zeros(2, 3, 2), 5).shape);
    }

    [Fact]
    public void ExistingRunIsRefusedWithoutResumeAndResumeChecksTheData()
    {
        TrainingSession.Run(Request("run"));
        var refused = Assert.Throws<InvalidSettingException>(() => TrainingSession.Run(Request("run")));
        Assert.Contains("already holds a run", refused.Message);
        Assert.Contains("--resume", refused.Message);

        var done = TrainingSession.Run(Request("run", resume: true));
        Assert.Equal(TrainingStatus.Completed, done.Status);
        Assert.Contains("already complete", done.Message);

        string other = DataFiles.WriteValid(_folder.PathOf("other.safetensors"), seed: 2);
        var wrongData = Assert.Throws<InvalidSettingException>(() => TrainingSession.Run(Request("run", resume: true) with { DataPath = other }));
        Assert.Contains("not the dataset the run was trained on", wrongData.Message);

        var nothing = Assert.Throws<InvalidSettingException>(() => TrainingSession.Run(Request("empty", resume: true)));
        Assert.Contains("no run to resume", nothing.Message);
    }

    [Fact]
    public void TooFewFramesForTheEvaluationHorizonIsRefusedBeforeWritingAnything()
    {
        var config = _family.DefaultConfig with { Training = _family.DefaultConfig.Training with { EvalFrames = 9 } };
        var e = Assert.Throws<InvalidSettingException>(() => TrainingSession.Run(Request("frames", config)));
        Assert.Contains("training.eval_frames = 9", e.Message);
        Assert.False(Directory.Exists(_folder.PathOf("frames")));
    }

    [Fact]
    public void ClosedFormFamilyIsFittedOnceAndSaved()
    {
        var config = _family.DefaultConfig with { Model = TinyFamily.Model(closedForm: true, noise: 0) };
        var outcome = TrainingSession.Run(Request("fit", config));
        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.Equal(1, outcome.TotalSteps);
        using var loaded = TrainedRun.Load(outcome.RunFolder, _family);
        Assert.True(loaded.Config.ClosedForm);
        using var reader = CheckpointReader.Open(loaded.Directory.CheckpointPath);
        Assert.Equal("none", reader.Require("optimizer"));
        var map = Tensors(loaded.Directory.CheckpointPath)["model.Linear"];
        Assert.Equal(36 * 4, map.Length);
        Assert.False(loaded.Model.Module.state_dict()["Linear"].equal(eye(6)).all().item<bool>());
        Assert.Single(loaded.ReadMetrics());
    }

    [Fact]
    public void ConfigJsonRecordsTheResolvedRun()
    {
        var outcome = TrainingSession.Run(Request("run"));
        var config = new RunDirectory(outcome.RunFolder).ReadConfig();
        Assert.Equal(RunConfig.CurrentFormat, config.Format);
        Assert.Equal(TinyFamily.Settings, config.Training);
        Assert.Equal(8, config.Model.GetProperty("hidden").GetInt32());
        Assert.Equal(Path.GetFullPath(_data), config.Data.Path);
        Assert.Equal(new FileInfo(_data).Length, config.Data.Bytes);
        Assert.Equal("train=6,val=2,test=2", config.Data.Split);
        Assert.Equal(2, config.StepsPerEpoch);
        Assert.Equal(10, config.TotalSteps);
        var text = File.ReadAllText(new RunDirectory(outcome.RunFolder).ConfigPath);
        Assert.Contains("\"peak_learning_rate\"", text);
        Assert.Contains("\"normalisation\"", text);
        var lines = File.ReadAllLines(new RunDirectory(outcome.RunFolder).MetricsPath);
        Assert.Equal(10, lines.Length);
        Assert.Contains("\"lr\":", lines[0]);
        Assert.Contains("\"grad_norm\":", lines[0]);
        Assert.Contains("\"elapsed_s\":", lines[0]);
        Assert.Contains("\"parts\":{\"jitter\":", lines[0]);
    }
}
