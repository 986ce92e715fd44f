using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Operators;

/// <summary>One-shot and autoregressive FNO models: shapes, rollout bookkeeping, update variants, losses and configs.</summary>
public sealed class FnoModelTests
{
    [Fact]
    public void TheOneShotModelPredictsTheRestOfTheHorizonAndRestartsFromItsLastFrame()
    {
        using var scope = NewDisposeScope();
        using var model = new FnoModel(new FnoModelConfig { Hidden = 6, NModes = 5, Layers = 2, ProjectionHidden = 8, GridChannel = true }, 9, 2, trainFrames: 6, seed: 1);
        using var generator = new Generator(2, CPU);
        var x0 = randn([3, 9, 2], generator: generator);                                                // (B, W, C)
        using var noGrad = no_grad();
        var predicted = model.forward(x0);                                                              // (B, T − 1, W, C)
        Assert.Equal(new long[] { 3, 5, 9, 2 }, predicted.shape);
        var rollout = model.Rollout(x0, 14);                                                            // (B, 14, W, C)
        Assert.Equal(new long[] { 3, 14, 9, 2 }, rollout.shape);
        Assert.Equal(0, (rollout.select(1, 0) - x0).abs().max().item<float>());
        Assert.Equal(0, (rollout.narrow(1, 1, 5) - predicted).abs().max().item<float>());
        var second = model.forward(predicted.select(1, 4));                                             // restart from frame 5
        Assert.Equal(0, (rollout.narrow(1, 6, 5) - second).abs().max().item<float>());
        Assert.Equal(0, (rollout.narrow(1, 11, 3) - model.forward(second.select(1, 4)).narrow(1, 0, 3)).abs().max().item<float>());
        Assert.Equal(new long[] { 3, 1, 9, 2 }, model.Rollout(x0, 1).shape);
    }

    [Fact]
    public void TheOneShotLossIsTheMseOfFramesOneOnward()
    {
        using var scope = NewDisposeScope();
        using var model = new FnoModel(new FnoModelConfig { Hidden = 4, NModes = 3, Layers = 1, ProjectionHidden = 0 }, 7, 2, trainFrames: 4, seed: 2);
        using var generator = new Generator(3, CPU);
        var batch = randn([2, 4, 7, 2], generator: generator);                                          // (B, T, W, C)
        var (loss, parts) = model.Loss(batch);
        var expected = (model.forward(batch.select(1, 0)) - batch.narrow(1, 1, 3)).square().mean();
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
        Assert.Contains("mse", parts.Keys);
        Assert.Throws<ArgumentException>(() => model.Loss(randn([2, 5, 7, 2])));
    }

    [Theory]
    [InlineData("direct")]
    [InlineData("residual")]
    public void TheAutoregressiveRolloutHasTheRightShapeAndStaysFiniteToTwiceTheHorizon(string update)
    {
        using var scope = NewDisposeScope();
        var config = new FnoArModelConfig { Hidden = 8, Layers = 2, ProjectionHidden = 16, Update = update, WindowFrames = 5, WindowsPerTrajectory = 3 };
        using var model = new FnoArModel(config, 16, 2, seed: 4);
        using var generator = new Generator(5, CPU);
        var x0 = randn([2, 16, 2], generator: generator) * 0.5;                                          // (B, W, C)
        using (no_grad())
        {
            var rollout = model.Rollout(x0, 200);                                                       // 2× a 100-frame horizon
            Assert.Equal(new long[] { 2, 200, 16, 2 }, rollout.shape);
            Assert.True(isfinite(rollout).all().item<bool>(), "the rollout contains NaN or ∞");
            Assert.Equal(0, (rollout.select(1, 0) - x0).abs().max().item<float>());
            var step = model.forward(x0);
            Assert.Equal(0, (rollout.select(1, 1) - step).abs().max().item<float>());
            var network = model.Network.forward(x0);
            Assert.Equal(0, (step - (update == "residual" ? x0 + network : network)).abs().max().item<float>());
        }
        var (loss, _) = model.Loss(randn([3, 20, 16, 2], generator: generator));
        Assert.True(float.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
        loss.backward();
        Assert.All(model.parameters(), p => Assert.True(p.grad is not null && isfinite(p.grad).all().item<bool>()));
    }

    [Fact]
    public void TheWindowLossOfAWindowLongBatchIsTheRolloutMse()
    {
        // With T = L every window starts at frame 0, so the loss is the rollout's MSE over frames 1..L−1, independent of the draw.
        using var scope = NewDisposeScope();
        var config = new FnoArModelConfig { Hidden = 4, Layers = 1, ProjectionHidden = 0, Update = "residual", WindowFrames = 4, WindowsPerTrajectory = 2 };
        using var model = new FnoArModel(config, 6, 2, seed: 6);
        using var generator = new Generator(7, CPU);
        var batch = randn([2, 4, 6, 2], generator: generator);
        var (loss, _) = model.Loss(batch);
        var expected = (model.Rollout(batch.select(1, 0), 4).narrow(1, 1, 3) - batch.narrow(1, 1, 3)).square().mean();
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
    }

    [Fact]
    public void OperatorsRunOnAFinerGridThanTheyWereBuiltFor()
    {
        using var scope = NewDisposeScope();
        using var oneShot = new FnoModel(new FnoModelConfig { Hidden = 4, Layers = 1, ProjectionHidden = 0 }, 11, 2, trainFrames: 3, seed: 8);
        using var ar = new FnoArModel(new FnoArModelConfig { Hidden = 4, Layers = 1, ProjectionHidden = 0, GridChannel = true }, 11, 2, seed: 9);
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 5, 21, 2 }, oneShot.Rollout(zeros([1, 21, 2]), 5).shape);
        Assert.Equal(new long[] { 1, 5, 21, 2 }, ar.Rollout(zeros([1, 21, 2]), 5).shape);
        Assert.Contains("n_modes = 11", Assert.Throws<InvalidSettingException>(() => ar.Rollout(zeros([1, 10, 2]), 2)).Message);
    }

    [Fact]
    public void FamiliesAreRegisteredWithTutorialDefaultsAndValidQuickPresets()
    {
        var fno = ModelFamilies.Find("fno");
        var ar = ModelFamilies.Find("fno-ar");
        Assert.IsType<FnoFamily>(fno);
        Assert.IsType<FnoArFamily>(ar);
        var oneShot = FnoModelConfig.FromJson(fno.DefaultConfig.Model);
        Assert.Equal((32, 0, 4, 128, false), (oneShot.Hidden, oneShot.NModes, oneShot.Layers, oneShot.ProjectionHidden, oneShot.GridChannel));
        Assert.Equal(101, oneShot.ModesFor(101));
        var training = fno.DefaultConfig.Training.Validate();
        Assert.Equal((1000, 128, 5e-3, 1.0), (training.Epochs, training.BatchSize, training.PeakLearningRate, training.ClipNorm));
        var step = FnoArModelConfig.FromJson(ar.DefaultConfig.Model);
        Assert.Equal(("direct", 10, 32, 4), (step.Update, step.WindowFrames, step.WindowsPerTrajectory, step.Layers));
        Assert.Equal((25, 1e-3), (ar.DefaultConfig.Training.BatchSize, ar.DefaultConfig.Training.PeakLearningRate));
        foreach (var family in new[] { fno, ar })
        {
            family.QuickConfig.Training.Validate();
            using var model = family.Create(family.QuickConfig.Model, 101, 2, 100, 1);
            Assert.Equal(family.Name, model.Family);
        }
    }

    [Theory]
    [InlineData("""{"hidden": 0}""", "hidden")]
    [InlineData("""{"n_modes": -1}""", "n_modes")]
    [InlineData("""{"update": "sideways"}""", "update")]
    [InlineData("""{"window_frames": 1}""", "window_frames")]
    [InlineData("""{"modes": 3}""", "modes")]
    public void BadAutoregressiveConfigsAreNamed(string json, string name)
    {
        var error = Assert.Throws<InvalidSettingException>(() => FnoArModelConfig.FromJson(JsonDocument.Parse(json).RootElement));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void TooManyModesForTheTrainingGridAreRefusedWhenTheModelIsBuilt()
    {
        var json = new FnoModelConfig { NModes = 102 }.ToJson();
        var error = Assert.Throws<InvalidSettingException>(() => new FnoFamily().Create(json, 101, 2, 100, 1));
        Assert.Contains("n_modes = 102", error.Message);
    }
}
