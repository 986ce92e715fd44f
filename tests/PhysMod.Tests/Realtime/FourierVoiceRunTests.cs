using PhysMod.Cli;
using PhysMod.Cli.Commands;
using PhysMod.Learning.Data;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Export;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Training;
using PhysMod.Physics.Datasets;
using PhysMod.Realtime.Models;
using PhysMod.Tests.Cli;
using Xunit.Abstractions;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;
using static TorchSharp.torch;

namespace PhysMod.Tests.Realtime;

/// <summary>FRNN and FGRU runs trained for a few steps on a small string dataset play through <see cref="RunVoices"/> and
/// <c>physmod render RUN</c>, and the voice equals the trained torch model's rollout from the test trajectory.</summary>
public sealed class FourierVoiceRunTests(ITestOutputHelper output)
{
    private static readonly DatasetConfig Recipe = DatasetPresets.StringBenchmark with { Duration = 0.004, GridPoints = 17, FieldFrames = 24 };

    public static TheoryData<string> Families => ["frnn", "fgru"];

    [Theory]
    [MemberData(nameof(Families))]
    public void TrainedRunRendersAndMatchesTheTorchRollout(string family)
    {
        using var folder = new TempRun();
        string dataPath = Path.Combine(folder.Folder, "data.safetensors");
        DatasetFile.Write(dataPath, DatasetGenerator.Generate(Recipe, 10, 5, DatasetShard.Whole, 1));
        IModelFamily modelFamily = family == "frnn" ? new FrnnFamily() : new FgruFamily();
        object modelConfig = family == "frnn"
            ? new FrnnModelConfig { Width = 8, Depth = 2, NModes = 9, IdentityInit = true }
            : new FgruModelConfig { Width = 8, NModes = 9, UpdateGateBias = -3 };
        var settings = new TrainingSettings { Epochs = 4, BatchSize = 4, PeakLearningRate = 3e-3, TrainFrames = 12, EvalFrames = 24, Seed = 5 };
        var config = new FamilyConfig(settings, System.Text.Json.JsonSerializer.SerializeToElement(modelConfig, DatasetConfig.Json));
        string runFolder = Path.Combine(folder.Folder, "run");
        var outcome = TrainingSession.Run(new TrainingRequest { Family = modelFamily, Config = config, DataPath = dataPath, RunFolder = runFolder });
        Assert.Equal(TrainingStatus.Completed, outcome.Status);

        var voice = RunVoices.Load(runFolder);
        Assert.Equal(family, voice.Model.Family);
        int frames = 24, size = voice.FrameSize;
        var played = new float[frames * size];
        voice.ProcessFrames(played);

        using var trained = TrainedRun.Load(runFolder);
        var split = TestSplit.Load(dataPath);
        var scale = trained.Normalisation.Scale;
        var x0 = split.Fields.AsSpan(0, size).ToArray().Select((v, i) => (float)(v / scale[i % 2])).ToArray();
        double[] expected;
        using (no_grad())
        {
            trained.Model.Module.eval();
            var rollout = trained.Model.Rollout(tensor(x0, [1, Recipe.GridPoints, 2]), frames) * tensor(scale.ToArray()).to(ScalarType.Float32);
            expected = rollout.to(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        }
        double error = RelativeMaxError(played, expected);
        output.WriteLine($"{family}: trained run, {frames} frames from test:0: voice vs torch float32 {error:E2}");
        Assert.True(error <= 1e-4, $"{family}: voice vs trained torch rollout {error:E3}");

        string wav = Path.Combine(folder.Folder, "x.wav");
        var result = CliHarness.RunWith([RenderCommand.Create(RunVoiceFactory.Create)], "render", runFolder, "--excite", "test:0", "--duration", "0.5", "--out", wav);
        Assert.True(result.ExitCode == 0, result.ToString());
        var (samples, rate) = PhysMod.Audio.WavFile.Read(wav);
        Assert.Equal((int)Math.Round(voice.SampleRate), rate);
        Assert.Equal((int)Math.Round(0.5 * voice.SampleRate), samples.Length);
        Assert.All(samples, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(samples, v => v != 0);
    }

    [Fact]
    public void DivergingFrnnFallsSilentInsteadOfOverflowing()
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, new FrnnFamily(), new FrnnModelConfig { Width = 4, Depth = 1, IdentityInit = true }, 6, 2, seed: 1);
        using (no_grad())
            foreach (var (name, p) in model.Module.named_parameters())
                if (name.StartsWith("pointwise", StringComparison.Ordinal)) p.mul_(3);                 // |W h| triples every step
        var json = System.Text.Json.JsonSerializer.SerializeToElement(((FrnnModel)model).Config, DatasetConfig.Json);
        UntrainedRun.Write(run.Folder, model, json, ModelVoiceTestKit.Data(6, 2), new Normalisation { Scale = Scales }, 20, 1);
        var voice = Voice(run.Folder, InitialFrame(6, 2, 1), 0.5);
        var samples = new float[200];
        voice.Process(samples);
        var frnn = (FourierRecurrentFrameModel)voice.Model;
        Assert.True(frnn.Diverged);
        Assert.All(samples, v => Assert.True(float.IsFinite(v)));
        int silent = Array.FindLastIndex(samples, v => v != 0) + 1;
        Assert.InRange(silent, 30, 120);                                                             // 3^k × O(1) passes float.MaxValue near k ≈ 80
        voice.Reset();
        Assert.False(frnn.Diverged);
        voice.Process(samples.AsSpan(0, 10));
        Assert.Contains(samples[..10], v => v != 0);
    }

    [Fact]
    public void ExportedModelsReportTheTorchParameterCount()
    {
        using var frnnRun = new TempRun();
        using var frnn = (FrnnModel)WriteRun(frnnRun.Folder, new FrnnFamily(), new FrnnModelConfig { Width = 5, Depth = 3, NModes = 4, GridChannel = true }, 7, 2, seed: 1);
        Assert.Equal(frnn.ParameterCount, VoiceExport.Load(frnnRun.Folder).Model.ParameterCount);
        using var fgruRun = new TempRun();
        using var fgru = (FgruModel)WriteRun(fgruRun.Folder, new FgruFamily(), new FgruModelConfig { Width = 6, SpectralBias = false }, 7, 2, seed: 1);
        Assert.Equal(fgru.ParameterCount, VoiceExport.Load(fgruRun.Folder).Model.ParameterCount);
    }
}
