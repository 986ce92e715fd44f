using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Evaluation;

/// <summary>The evaluator end to end on hand-made datasets with test-local models: exact metrics for known models, test split
/// only, the files it writes, and clear failures.</summary>
public sealed class EvaluatorTests : IDisposable
{
    private const int Count = 10, Train = 6, Validation = 2, TestCount = 2, Frames = 120, Horizon = 40, ListenFrames = 100;
    private static readonly double[] Scale = [1.0 / 512, 16]; // powers of two: normalising and denormalising are exact
    private readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    private static EvaluationOptions Options => new()
    {
        TrainingHorizon = Horizon, BlockFrames = 10, ListenSeconds = ListenFrames / EvaluationTestData.SampleRate, ListenTrajectories = TestCount,
        FigureTrajectories = 0, ListenFftSize = 64, ListenHop = 16,
    };

    private (TestSplit Data, float[] NormalisedTest) Dataset(bool poison = false)
    {
        string path = scratch.PathOf($"data-{Guid.NewGuid():N}.safetensors");
        var fields = EvaluationTestData.Write(path, Count, Train, Validation, Frames, poison);
        return (TestSplit.Load(path), EvaluationTestData.NormalisedTest(fields, Train + Validation, TestCount, Frames, Scale));
    }

    private static FunctionModel Oracle(float[] truth, float gain = 1f) =>
        FunctionModel.Oracle(truth, TestCount, Frames, EvaluationTestData.Points, 2, gain);

    [Fact]
    public void OracleHasZeroErrorsAndSeesOnlyTheTestSplit()
    {
        // Training and validation rows are NaN: any use of them would make a metric NaN. The oracle throws for any
        // initial state that is not a test trajectory's frame 0.
        var (data, truth) = Dataset(poison: true);
        using var model = Oracle(truth);
        var report = new Evaluator(Options).Evaluate(model, Scale, data, scratch.PathOf("eval"));

        Assert.Equal([Train + Validation, Train + Validation + 1], report.TestIndices);
        Assert.Equal(new[] { 40, 80 }, report.Horizons.Select(h => h.Frames));
        Assert.All(model.Calls, c => Assert.True(c.X0.All(float.IsFinite)));
        Assert.Equal(1 + TestCount, model.Calls.Count); // one batch to 80 frames, one listening rollout per test trajectory
        foreach (var horizon in report.Horizons)
        {
            foreach (var errors in horizon.Field.Values)
            {
                Assert.Equal(0, errors.Mse);
                Assert.Equal(0, errors.RelativeL2);
                Assert.Equal(0, errors.RelativeMae);
            }
            Assert.All(horizon.PickupLsd.Values, s => Assert.Equal(0, s.LsdDb));
        }
        Assert.All(report.RelativeMaeBlocks.RelativeMae.Values, curve => Assert.All(curve, v => Assert.Equal(0, v)));
        Assert.NotNull(report.Listening);
        Assert.All(report.Listening!.Trajectories, t => Assert.All(t.LsdDb.Values, v => Assert.Equal(0, v)));
    }

    [Fact]
    public void ZeroModelHasRelativeErrorsOfOne()
    {
        var (data, _) = Dataset();
        using var model = FunctionModel.Zeros();
        var report = new Evaluator(Options).Evaluate(model, Scale, data, scratch.PathOf("eval"));
        foreach (var horizon in report.Horizons)
            foreach (var (name, errors) in horizon.Field)
            {
                Assert.Equal(1, errors.RelativeL2, 12);
                Assert.Equal(1, errors.RelativeL2TrajectoryMean, 12);
                Assert.Equal(1, errors.RelativeMae, 12);
            }
        Assert.All(report.RelativeMaeBlocks.RelativeMae.Values, curve => Assert.All(curve, v => Assert.Equal(1, v, 12)));
        Assert.Equal(0, report.Listening!.Trajectories[0].PeakModel["velocity"]);
    }

    [Fact]
    public void DoubledOracleHasRelativeL2OfOneAndSixDecibelsLsd()
    {
        var (data, truth) = Dataset();
        using var model = Oracle(truth, gain: 2f);
        var report = new Evaluator(Options with { LsdFloorDb = 200 }).Evaluate(model, Scale, data, scratch.PathOf("eval"));
        double sixDb = 20 * Math.Log10(2);
        foreach (var horizon in report.Horizons)
        {
            Assert.All(horizon.Field.Values, e => Assert.Equal(1, e.RelativeL2, 5));
            Assert.All(horizon.PickupLsd.Values, s => Assert.Equal(sixDb, s.LsdDb, 9));
        }
        Assert.All(report.Listening!.Trajectories, t => Assert.All(t.LsdDb.Values, v => Assert.Equal(sixDb, v, 9)));
        Assert.All(report.Listening.Trajectories, t => Assert.Equal(2 * t.PeakGt["velocity"], t.PeakModel["velocity"], 9));
    }

    [Fact]
    public void WritesMetricsFiguresAndAudio()
    {
        var (data, _) = Dataset();
        var log = Enumerable.Range(1, 20).Select(s => new MetricsRecord
        {
            Step = s, Epoch = s, Loss = 1.0 / s, LearningRate = 1e-3, GradNorm = 1, ElapsedSeconds = s,
            Parts = new Dictionary<string, double> { ["prediction"] = 0.8 / s, ["reconstruction"] = 0.2 / s },
        }).ToArray();
        string eval = scratch.PathOf("run/eval");
        using var model = FunctionModel.Persistence();
        var report = new Evaluator(Options with { FigureTrajectories = 2 }).Evaluate(model, Scale, data, eval, log);

        EvaluationTestData.AssertPng(Path.Combine(eval, "heatmap_00.png"), 1000, 1020);
        EvaluationTestData.AssertPng(Path.Combine(eval, "heatmap_01.png"), 1000, 1020);
        EvaluationTestData.AssertPng(Path.Combine(eval, "relative_mae_blocks.png"), 1000, 450);
        EvaluationTestData.AssertPng(Path.Combine(eval, "loss_curves.png"), Plots.DefaultWidth, Plots.DefaultHeight);
        Assert.Equal(["heatmap_00.png", "heatmap_01.png", "loss_curves.png", "relative_mae_blocks.png"], report.Figures.Order(StringComparer.Ordinal));
        foreach (string name in new[] { "gt_00", "model_00", "gt_00_displacement", "model_00_displacement", "gt_01", "model_01" })
        {
            var wav = WavFile.Read(Path.Combine(eval, "audio", name + ".wav"));
            Assert.Equal(16000, wav.SampleRate);
            Assert.Equal(ListenFrames, wav.Samples.Length);
            // Persistence repeats the initial state, whose velocity is zero here: its velocity file is silent, the rest peak at 0.9.
            Assert.Equal(name.StartsWith("model_", StringComparison.Ordinal) && !name.EndsWith("displacement", StringComparison.Ordinal) ? 0 : 0.9,
                wav.Samples.Max(Math.Abs), 6);
        }
        Assert.Empty(Directory.GetFiles(eval, "*.tmp", SearchOption.AllDirectories));

        // A rerun replaces the folder as a whole: no stale heatmap from the first run, no staging folder left beside it.
        new Evaluator(Options with { FigureTrajectories = 1 }).Evaluate(model, Scale, data, eval);
        Assert.True(File.Exists(Path.Combine(eval, "heatmap_00.png")));
        Assert.False(File.Exists(Path.Combine(eval, "heatmap_01.png")));
        Assert.False(File.Exists(Path.Combine(eval, "loss_curves.png")));
        Assert.Equal(["eval"], Directory.GetFileSystemEntries(scratch.PathOf("run")).Select(Path.GetFileName));
    }

    [Fact]
    public void MetricsJsonParsesWithTheDocumentedKeys()
    {
        var (data, _) = Dataset();
        string eval = scratch.PathOf("eval");
        using var model = FunctionModel.Persistence();
        var report = new Evaluator(Options).Evaluate(model, Scale, data, eval);
        string json = File.ReadAllText(Path.Combine(eval, "metrics.json"));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string[] topLevel =
        [
            "format", "family", "dataset", "sample_rate_hz", "grid_points", "length_m", "channels", "channel_units", "normalisation_scale",
            "split", "test_indices", "training_horizon_frames", "training_horizon_seconds", "pickup_grid_index", "pickup_position_m",
            "pickup_grid_position_m", "lsd_floor_db", "horizons", "relative_mae_blocks", "listening", "rollout_seconds", "figures",
            "notes", "definitions",
        ];
        Assert.Equal(topLevel.Order(StringComparer.Ordinal), root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(EvaluationReport.FormatTag, root.GetProperty("format").GetString());
        Assert.Equal(8, root.GetProperty("pickup_grid_index").GetInt32());
        var horizon = root.GetProperty("horizons")[1];
        Assert.Equal(80, horizon.GetProperty("frames").GetInt32());
        Assert.Equal(2, horizon.GetProperty("multiple").GetInt32());
        foreach (string channel in new[] { "displacement", "velocity", "normalised_all_channels" })
        {
            var errors = horizon.GetProperty("field").GetProperty(channel);
            foreach (string key in new[] { "mse", "relative_l2", "relative_l2_trajectory_mean", "relative_mae" })
                Assert.True(errors.GetProperty(key).GetDouble() > 0, $"{channel}.{key}");
            Assert.True(errors.GetProperty("relative_l2_trajectory_std").GetDouble() >= 0);
        }
        Assert.Equal("m^2", horizon.GetProperty("field").GetProperty("displacement").GetProperty("mse_unit").GetString());
        var lsd = horizon.GetProperty("pickup_lsd").GetProperty("velocity");
        Assert.Equal(64, lsd.GetProperty("fft_size").GetInt32());
        Assert.True(lsd.GetProperty("lsd_db").GetDouble() > 0);
        var blocks = root.GetProperty("relative_mae_blocks");
        Assert.Equal(8, blocks.GetProperty("first_frames").GetArrayLength());
        Assert.Equal(8, blocks.GetProperty("relative_mae").GetProperty("displacement").GetArrayLength());
        var listened = root.GetProperty("listening").GetProperty("trajectories")[0];
        Assert.Equal("audio/gt_00.wav", listened.GetProperty("audio").GetProperty("gt").GetString());
        foreach (string key in new[] { "mse", "relative_l2", "relative_mae", "pickup_lsd", "relative_mae_blocks", "listening", "audio" })
            Assert.True(root.GetProperty("definitions").TryGetProperty(key, out _), key);

        var back = JsonSerializer.Deserialize<EvaluationReport>(json, EvaluationReport.Json)!;
        Assert.Equal(report.Horizons[0].Field["velocity"], back.Horizons[0].Field["velocity"]);
        Assert.Equal(report.Listening!.LsdDbMean["velocity"], back.Listening!.LsdDbMean["velocity"]);
    }

    [Fact]
    public void ChunkedListeningEqualsOneRolloutForAMarkovModel()
    {
        var (data, _) = Dataset();
        using var model = FunctionModel.Decay(0.99);
        var single = new Evaluator(Options with { ListenTrajectories = 1 }).Evaluate(model, Scale, data, scratch.PathOf("single"));
        int before = model.Calls.Count;
        var chunked = new Evaluator(Options with { ListenTrajectories = 1, ListenChunkFrames = 7 }).Evaluate(model, Scale, data, scratch.PathOf("chunked"));
        Assert.Equal((ListenFrames + 6) / 7, model.Calls.Count - before - 1); // one metrics rollout, then ceil(100 / 7) chunks
        Assert.Contains("restarted every 7 frames", chunked.Listening!.Mode);
        var a = WavFile.Read(scratch.PathOf("single/audio/model_00.wav")).Samples;
        var b = WavFile.Read(scratch.PathOf("chunked/audio/model_00.wav")).Samples;
        Assert.Equal(ListenFrames, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 4);
        Assert.Equal(single.Listening!.LsdDbMean["velocity"], chunked.Listening.LsdDbMean["velocity"], 3);
    }

    [Fact]
    public void ModelThatCannotRollOutLongStillGetsMetricsAndANote()
    {
        var (data, _) = Dataset();
        using var model = new FunctionModel("short", (x0, steps) => steps > 90
            ? throw new NotSupportedException("rollouts longer than 90 frames are not implemented")
            : x0.unsqueeze(1).expand(x0.shape[0], steps, x0.shape[1], x0.shape[2]).contiguous());
        string eval = scratch.PathOf("eval");
        var report = new Evaluator(Options).Evaluate(model, Scale, data, eval);
        Assert.Null(report.Listening);
        Assert.Contains(report.Notes, n => n.Contains("could not roll out 100 frames") && n.Contains("90 frames"));
        Assert.True(File.Exists(Path.Combine(eval, "metrics.json")));
        Assert.False(Directory.Exists(Path.Combine(eval, "audio")));
    }

    [Fact]
    public void RejectsRequestsTheDataCannotServeAndWrongModelShapes()
    {
        var (data, _) = Dataset();
        using var persistence = FunctionModel.Persistence();
        var tooLong = Assert.Throws<InvalidSettingException>(() =>
            new Evaluator(Options with { TrainingHorizon = 61 }).Evaluate(persistence, Scale, data, scratch.PathOf("a")));
        Assert.Contains("122 frames", tooLong.Message);
        Assert.Contains("≤ 60", tooLong.Message);
        var tooMuchAudio = Assert.Throws<InvalidSettingException>(() =>
            new Evaluator(Options with { ListenSeconds = 1 }).Evaluate(persistence, Scale, data, scratch.PathOf("b")));
        Assert.Contains("listen 1 s", tooMuchAudio.Message);
        Assert.Throws<InvalidSettingException>(() => new Evaluator(Options).Evaluate(persistence, [1.0, 2.0, 3.0], data, scratch.PathOf("c")));
        using var wrong = new FunctionModel("wrong", (x0, steps) => TorchSharp.torch.zeros(x0.shape[0], steps - 1, x0.shape[1], x0.shape[2]));
        var shape = Assert.Throws<InvalidOperationException>(() => new Evaluator(Options).Evaluate(wrong, Scale, data, scratch.PathOf("d")));
        Assert.Contains("[2, 79, 11, 2]", shape.Message);
        Assert.Throws<InvalidSettingException>(() => new Evaluator(Options with { ShortFftSize = 48 }));
    }

    [Fact]
    public void GeneratedBenchmarkDatasetPickupIsTheFieldAtTheNearestGridPoint()
    {
        // The real generator: its pickup tensor (0.82·L) must equal the field at grid index 82, which the evaluator relies on.
        string path = scratch.PathOf("benchmark.safetensors");
        DatasetFile.Write(path, DatasetGenerator.Generate(DatasetPresets.StringBenchmark with { Duration = 0.02 }, 10, 3, DatasetShard.Whole, 2));
        var data = TestSplit.Load(path);
        Assert.Equal(82, data.PickupGridIndex);
        Assert.Equal(9, data.FirstIndex);
        for (int f = 0; f < data.FieldFrames; f++)
            for (int c = 0; c < 2; c++)
                Assert.Equal(data.Fields[((long)f * data.GridPoints + 82) * 2 + c], data.Pickup[f * 2 + c], 6);
        using var model = FunctionModel.Persistence();
        var report = new Evaluator(new EvaluationOptions { ListenSeconds = 0.02, FigureTrajectories = 1 })
            .Evaluate(model, [0.01, 20], data, scratch.PathOf("eval"));
        Assert.Equal(new[] { 100, 200 }, report.Horizons.Select(h => h.Frames));
        Assert.Equal(320, WavFile.Read(scratch.PathOf("eval/audio/model_00.wav")).Samples.Length);
        Assert.DoesNotContain(report.Notes, n => n.Contains("not on a grid point"));
    }
}
