using System.Text.Json;
using PhysMod.Learning.Ssm;
using PhysMod.Physics;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PhysMod.Tests.Ssm;

/// <summary>Shapes, loss, parameter count, configs and the family contract of the stacked LRU model.</summary>
public sealed class StackedSsmTests(ITestOutputHelper output)
{
    [Fact]
    public void RollsOutAnyNumberOfFramesFromTheInitialFrame()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig { DHidden = 8 }, gridPoints: 5, channels: 2, trainFrames: 10, seed: 1);
        var x0 = randn(3, 5, 2);                                                                       // (B, W, C)
        using var _ = no_grad();
        Assert.Equal(new long[] { 3, 10, 5, 2 }, model.forward(x0).shape);
        Assert.Equal(new long[] { 3, 20, 5, 2 }, model.Rollout(x0, 20).shape);
        Assert.Equal(new long[] { 3, 1, 5, 2 }, model.Rollout(x0, 1).shape);
        // Causal: the first 10 frames of a 20-frame rollout are the 10-frame rollout.
        Assert.True(SsmTestKit.RelativeMaxError(model.Rollout(x0, 20).narrow(1, 0, 10), model.Rollout(x0, 10)) < 1e-6);
        Assert.Throws<ArgumentException>(() => model.Rollout(randn(3, 4, 2), 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Rollout(x0, 0));
    }

    [Fact]
    public void LossIsTheMeanSquaredErrorOverEveryFrameIncludingTheFirst()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig { DHidden = 8 }, 5, 2, 10, seed: 2);
        var batch = randn(4, 7, 5, 2);                                                                 // (B, T, W, C)
        var (total, parts) = model.Loss(batch);
        var expected = (model.Rollout(batch.select(1, 0), 7) - batch).square().mean();
        Assert.Equal(0, total.dim());
        Assert.Equal(["mse"], parts.Keys);
        Assert.Equal(expected.item<float>(), total.item<float>(), 6);
        Assert.Equal("ssm", model.Family);
        Assert.False(model.ClosedForm);
        Assert.Same(model, model.Module);
        Assert.Throws<NotSupportedException>(() => model.Fit(batch));
    }

    [Fact]
    public void DefaultModelOnTheStringBenchmarkHasTheExpectedParameterCount()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig(), gridPoints: 101, channels: 2, trainFrames: 100, seed: 42);
        const long d = 202, h = 128;
        long expansion = 3 * h + 4 * h * d;                         // ν, θ, γ, B_re, B_im, C_re, C_im (no D)
        long sequenceLayer = 2 * d + 3 * h + 4 * h * d + d;         // LayerNorm scale and shift, then the LRU with D
        Assert.Equal(expansion + 2 * sequenceLayer, model.ParameterCount);
        output.WriteLine($"default ssm on 101 × 2 frames: {model.ParameterCount} parameters");
        Assert.Equal(312_636, model.ParameterCount);
        var names = model.named_parameters().Select(p => p.name).ToArray();
        Assert.Contains("first.nu_log", names);
        Assert.Contains("layers.1.lru.C_im", names);
        Assert.DoesNotContain("first.D", names);
        Assert.All(model.parameters(), p => Assert.False(p.is_complex()));
    }

    [Fact]
    public void ConvertsToFloat64AndKeepsItsOutputs()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig { DHidden = 6 }, 4, 2, 8, seed: 3);
        var x0 = randn(2, 4, 2);
        using var _ = no_grad();
        var single = model.Rollout(x0, 12);
        model.to(float64);
        var wide = model.Rollout(x0.to(float64), 12);
        Assert.Equal(ScalarType.Float64, wide.dtype);
        Assert.True(SsmTestKit.RelativeMaxError(single, wide) < 1e-5);
    }

    [Fact]
    public void AFewAdamStepsReduceTheLoss()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig { DHidden = 16 }, 6, 2, 20, seed: 5);
        // Targets from a damped rotation of the initial frame: learnable by the expansion layer alone.
        var x0 = randn(8, 6, 2);
        var decay = exp(-0.05 * arange(20, dtype: float32)).reshape(1, 20, 1, 1) * cos(0.3 * arange(20, dtype: float32)).reshape(1, 20, 1, 1);
        var batch = x0.unsqueeze(1) * decay;                                                           // (B, T, W, C)
        using var optimiser = optim.Adam(model.parameters(), 3e-3);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            optimiser.zero_grad();
            var (loss, _) = model.Loss(batch);
            loss.backward();
            optimiser.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        output.WriteLine($"loss {first:G4} → {last:G4} after 60 Adam steps");
        Assert.True(last < 0.5 * first, $"{first} → {last}");
    }

    [Fact]
    public void AllScanFormsGiveTheSameModelOutput()
    {
        using var scope = NewDisposeScope();
        using var model = new StackedSsm(new SsmModelConfig { DHidden = 16, Activation = "half_glu1" }, 7, 2, 30, seed: 6);
        var x0 = randn(3, 7, 2);
        using var _ = no_grad();
        model.UseScan(LruScan.Recurrence);
        var recurrence = model.Rollout(x0, 45);
        model.UseScan(LruScan.Convolution);
        var convolution = model.Rollout(x0, 45);
        model.UseScan(LruScan.Parallel);
        var scan = model.Rollout(x0, 45);
        model.UseScan(LruScan.Fused);
        var fused = model.Rollout(x0, 45);
        Assert.True(SsmTestKit.RelativeMaxError(scan, recurrence) < 1e-5);
        Assert.True(SsmTestKit.RelativeMaxError(fused, recurrence) < 1e-5);
        Assert.True(SsmTestKit.RelativeMaxError(convolution, recurrence) < 1e-5);
    }
}

/// <summary>The model config's JSON form and the family registration.</summary>
public sealed class SsmConfigTests
{
    [Fact]
    public void ConfigRoundTripsAsSnakeCaseJsonAndRejectsUnknownKeys()
    {
        var config = new SsmModelConfig { DHidden = 32, Activation = "half_glu1" };
        var json = config.ToJson();
        Assert.Equal(32, json.GetProperty("d_hidden").GetInt32());
        Assert.Equal(Math.PI / 2, json.GetProperty("max_phase").GetDouble());
        Assert.Equal(config, SsmModelConfig.FromJson(json));
        var unknown = JsonDocument.Parse("""{"n_layers": 2, "d_hiden": 64}""").RootElement;
        Assert.Contains("d_hiden", Assert.Throws<InvalidSettingException>(() => SsmModelConfig.FromJson(unknown)).Message);
    }

    [Theory]
    [InlineData("""{"d_hidden": 0}""", "model.d_hidden")]
    [InlineData("""{"n_layers": -1}""", "model.n_layers")]
    [InlineData("""{"r_min": 0.99, "r_max": 0.9}""", "model.r_min")]
    [InlineData("""{"r_max": 1.5}""", "model.r_min")]
    [InlineData("""{"max_phase": 0}""", "model.max_phase")]
    [InlineData("""{"activation": "relu"}""", "model.activation")]
    [InlineData("""{"scan": "cumsum"}""", "model.scan")]
    public void BadValuesAreNamed(string text, string name)
    {
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Contains(name, Assert.Throws<InvalidSettingException>(() => SsmModelConfig.FromJson(json)).Message);
    }

    [Fact]
    public void FamilyBuildsModelsFromItsDefaultAndQuickConfigs()
    {
        var family = new SsmFamily();
        Assert.Equal("ssm", family.Name);
        var model0 = SsmModelConfig.FromJson(family.DefaultConfig.Model);
        Assert.True(model0.EnergyPhase);
        Assert.False(SsmFamily.TutorialConfig.EnergyPhase);
        Assert.Equal((2, 128, 0.9, 0.99, Math.PI / 2), (SsmFamily.TutorialConfig.NLayers, SsmFamily.TutorialConfig.DHidden, SsmFamily.TutorialConfig.RMin, SsmFamily.TutorialConfig.RMax, SsmFamily.TutorialConfig.MaxPhase));
        Assert.True(family.DefaultConfig.Training.KeepBest && family.DefaultConfig.Training.ValidateEvery > 0);
        Assert.Equal(100, family.DefaultConfig.Training.TrainFrames);
        Assert.Equal(200, family.DefaultConfig.Training.EvalFrames);
        family.DefaultConfig.Training.Validate();
        family.QuickConfig.Training.Validate();
        using var model = family.Create(family.QuickConfig.Model, 5, 2, 100, seed: 1);
        Assert.Equal("ssm", model.Family);
        Assert.IsType<StackedSsm>(model);
    }
}
