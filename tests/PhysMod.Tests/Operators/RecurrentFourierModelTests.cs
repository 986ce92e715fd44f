using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Physics;
using PhysMod.Tests.Koopman;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PhysMod.Tests.Operators;

/// <summary>The DAFx22 recurrent Fourier models (FRNN, FGRU): rollout bookkeeping, the GRU equations, the log-MSE loss,
/// float64 gradients through a rollout, and their family registrations.</summary>
public sealed class RecurrentFourierModelTests(ITestOutputHelper output)
{
    public static TheoryData<string> Families => new() { "frnn", "fgru" };

    private static ITrajectoryModel Small(string family, int points, bool logLoss, ScalarType dtype = ScalarType.Float32) => family switch
    {
        "frnn" => new FrnnModel(new FrnnModelConfig { Width = 4, Depth = 2, NModes = 3, LogLoss = logLoss }, points, 2, seed: 1, dtype),
        _ => new FgruModel(new FgruModelConfig { Width = 4, NModes = 3, LogLoss = logLoss }, points, 2, seed: 1, dtype),
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void RolloutsStartAtTheInitialFrameAndStayFiniteToTwiceTheHorizon(string family)
    {
        using var scope = NewDisposeScope();
        using var model = Small(family, 12, logLoss: true);
        using var generator = new Generator(2, CPU);
        var x0 = randn([3, 12, 2], generator: generator);                                               // (B, W, C)
        using var noGrad = no_grad();
        var rollout = model.Rollout(x0, 200);                                                           // (B, 200, W, C)
        Assert.Equal(new long[] { 3, 200, 12, 2 }, rollout.shape);
        Assert.True(isfinite(rollout).all().item<bool>());
        Assert.Equal(0, (rollout.select(1, 0) - x0).abs().max().item<float>());
        // A shorter rollout is the prefix of a longer one (the recurrence does not depend on the length asked for).
        Assert.Equal(0, (model.Rollout(x0, 7) - rollout.narrow(1, 0, 7)).abs().max().item<float>());
        Assert.Equal(new long[] { 3, 5, 23, 2 }, model.Rollout(randn([3, 23, 2], generator: generator), 5).shape);
    }

    [Fact]
    public void TheGruCellFollowsTheGruEquations()
    {
        using var scope = NewDisposeScope();
        using var model = new FgruModel(new FgruModelConfig { Width = 3, NModes = 4 }, 6, 2, seed: 3, ScalarType.Float64);
        using var generator = new Generator(4, CPU);
        var h = randn([2, 3, 6], dtype: float64, generator: generator);                                // (B, H, W)
        var layers = model.named_children().Where(c => c.module is SpectralConv1d).ToDictionary(c => c.name, c => (SpectralConv1d)c.module, StringComparer.Ordinal);
        using var noGrad = no_grad();
        var z = sigmoid(layers["update_gate"].forward(h));
        var r = sigmoid(layers["reset_gate"].forward(h));
        var expected = (1 - z) * h + z * tanh(layers["candidate"].forward(r * h));
        Assert.True((model.Cell(h) - expected).abs().max().item<double>() < 1e-14);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void TheLossIsLog10OfTheRolloutMseOrTheMseItself(string family)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        var batch = randn([2, 6, 8, 2], generator: generator);                                          // (B, T, W, C)
        foreach (bool logLoss in new[] { true, false })
        {
            using var model = Small(family, 8, logLoss);
            var (total, parts) = model.Loss(batch);
            double mse = (model.Rollout(batch.select(1, 0), 6).narrow(1, 1, 5) - batch.narrow(1, 1, 5)).square().mean().item<float>();
            Assert.Equal(mse, parts["mse"].item<float>(), 5);
            Assert.Equal(logLoss ? Math.Log10(mse) : mse, total.item<float>(), 5);
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void RolloutGradientsMatchCentralDifferences(string family)
    {
        using var scope = NewDisposeScope();
        using var model = Small(family, 6, logLoss: true, ScalarType.Float64);
        using var generator = new Generator(6, CPU);
        var batch = randn([2, 4, 6, 2], dtype: float64, generator: generator);
        double worst = FiniteDifferences.MaxGradientError(model.Module.named_parameters(), () => model.Loss(batch).Total);
        output.WriteLine($"{family}: worst relative gradient error {worst:E2}");
        Assert.True(worst < 1e-6, $"gradient error {worst:E3}");
    }

    [Fact]
    public void FamiliesAreRegisteredWithThePapersDefaults()
    {
        var frnn = ModelFamilies.Find("frnn");
        var fgru = ModelFamilies.Find("fgru");
        var rnn = FrnnModelConfig.FromJson(frnn.DefaultConfig.Model);
        Assert.Equal((16, 3, "relu", true, true), (rnn.Width, rnn.Depth, rnn.Activation, rnn.SpectralBias, rnn.LogLoss));
        var gru = FgruModelConfig.FromJson(fgru.DefaultConfig.Model);
        Assert.Equal((16, true, true), (gru.Width, gru.SpectralBias, gru.LogLoss));
        foreach (var family in new[] { frnn, fgru })
        {
            var training = family.DefaultConfig.Training.Validate();
            Assert.Equal((1e-3, 0.5, 5000), (training.PeakLearningRate, training.ClipNorm, training.Epochs));
            family.QuickConfig.Training.Validate();
            using var model = family.Create(family.QuickConfig.Model, 101, 2, 100, 1);
            Assert.Equal(family.Name, model.Family);
        }
        Assert.Contains("activation", Assert.Throws<InvalidSettingException>(() =>
            FrnnModelConfig.FromJson(JsonDocument.Parse("""{"activation": "swish"}""").RootElement)).Message);
        Assert.Contains("depth", Assert.Throws<InvalidSettingException>(() =>
            FgruModelConfig.FromJson(JsonDocument.Parse("""{"depth": 2}""").RootElement)).Message);
    }
}
