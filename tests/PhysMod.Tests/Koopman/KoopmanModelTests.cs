using PhysMod.Learning.Koopman;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>The deep Koopman network: loss definition, gradients, rollout shapes and determinism.</summary>
public sealed class KoopmanModelTests
{
    private static readonly KoopmanModelConfig Tiny = new() { DLatent = 4, Width = 5, Depth = 2, RMin = 0.8, RMax = 0.99 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AutogradMatchesCentralDifferencesForTheWholeLoss(bool modulation)
    {
        using var scope = NewDisposeScope();
        var config = Tiny with { UseModulation = modulation, ModulationWidth = 3, ModulationDepth = 1 };
        using var model = new KoopmanModel(config, gridPoints: 3, channels: 2, seed: 5, ScalarType.Float64);
        var batch = randn(new long[] { 2, 4, 3, 2 }, dtype: ScalarType.Float64, generator: new Generator(6));
        double error = FiniteDifferences.MaxGradientError(model.named_parameters(), () => model.Loss(batch).Total);
        Assert.True(error < 1e-7, $"max gradient error {error:E2}");
    }

    [Fact]
    public void LossIsTheWeightedSumOfPredictionReconstructionAndConsistency()
    {
        using var scope = NewDisposeScope();
        var config = Tiny with { PredictionWeight = 0.7, ReconstructionWeight = 1.3, ConsistencyWeight = 0.25 };
        using var model = new KoopmanModel(config, 3, 2, seed: 1, ScalarType.Float64);
        var batch = randn(new long[] { 3, 6, 3, 2 }, dtype: ScalarType.Float64, generator: new Generator(2));
        var (total, parts) = model.Loss(batch);
        Assert.Equal(new[] { "consistency", "prediction", "reconstruction" }, parts.Keys.Order());

        var predicted = model.Rollout(batch[.., 0], 6);
        var reconstructed = model.Decode(model.Encode(batch));
        var consistency = (model.Dynamics.forward(model.Encode(batch[.., 0]), 6) - model.Encode(batch)).square().mean();
        double expectedPrediction = (predicted - batch).square().mean().item<double>();
        double expectedReconstruction = (reconstructed - batch).square().mean().item<double>();
        Assert.Equal(expectedPrediction, parts["prediction"].item<double>(), 12);
        Assert.Equal(expectedReconstruction, parts["reconstruction"].item<double>(), 12);
        Assert.Equal(consistency.item<double>(), parts["consistency"].item<double>(), 12);
        Assert.Equal(0.7 * expectedPrediction + 1.3 * expectedReconstruction + 0.25 * consistency.item<double>(), total.item<double>(), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(200)]
    public void RolloutHasTheRequestedLengthAndAgreesWithShorterRollouts(int steps)
    {
        using var scope = NewDisposeScope();
        using var model = new KoopmanModel(new KoopmanModelConfig { DLatent = 16, Width = 32 }, 101, 2, seed: 3);
        var x0 = randn(new long[] { 4, 101, 2 }, generator: new Generator(4));
        using var noGrad = no_grad();
        var rollout = model.Rollout(x0, steps);
        Assert.Equal(new long[] { 4, steps, 101, 2 }, rollout.shape);
        Assert.Equal(ScalarType.Float32, rollout.dtype);
        var first = model.Rollout(x0, 1);
        Assert.True(first[.., 0].allclose(rollout[.., 0]));
        // frame 0 is φ⁻¹(φ(x0)): Λ⁰ is the identity
        Assert.True(model.Decode(model.Encode(x0)).allclose(rollout[.., 0]));
    }

    [Fact]
    public void TheDefaultModelHasTheTutorialArchitecture()
    {
        using var model = new KoopmanModel(new KoopmanModelConfig(), 101, 2, seed: 0);
        // encoder 202→256→256→256→128, decoder 128→256→256→256→202, 64 (ν, θ) pairs
        long encoder = 202 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 128 + 128;
        long decoder = 128 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 202 + 202;
        Assert.Equal(encoder + decoder + 128, model.ParameterCount);
        Assert.Equal(433_098, model.ParameterCount);
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("dynamics.nu_log", names);
        Assert.Contains("dynamics.theta_log", names);
        Assert.Contains("encoder.layers.3.weight", names);
        Assert.DoesNotContain("encoder.layers.4.weight", names);
    }

    [Fact]
    public void WeightsFollowLecunUniformAndBiasesTheEquinoxDefault()
    {
        using var scope = NewDisposeScope();
        using var model = new KoopmanModel(new KoopmanModelConfig(), 101, 2, seed: 9);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.StartsWith("encoder.layers.0") || p.name.StartsWith("decoder.layers.3")))
        {
            double fanIn = name.StartsWith("encoder") ? 202 : 256;
            double bound = name.EndsWith("weight") ? Math.Sqrt(3 / fanIn) : 1 / Math.Sqrt(fanIn);
            double max = p.abs().max().item<float>();
            Assert.InRange(max, 0.95 * bound, bound);
            if (name.EndsWith("weight")) Assert.InRange(p.square().mean().item<float>(), 0.95 / fanIn, 1.05 / fanIn);   // variance 1/fan_in
        }
    }

    [Fact]
    public void TheSeedDeterminesEveryParameter()
    {
        using var scope = NewDisposeScope();
        using var a = new KoopmanModel(Tiny, 3, 2, seed: 17);
        using var b = new KoopmanModel(Tiny, 3, 2, seed: 17);
        using var c = new KoopmanModel(Tiny, 3, 2, seed: 18);
        foreach (var ((name, pa), (_, pb), (_, pc)) in a.named_parameters().Zip(b.named_parameters(), c.named_parameters()))
        {
            Assert.True(pa.allclose(pb, rtol: 0, atol: 0), name);
            Assert.False(pa.allclose(pc, rtol: 0, atol: 0), name);
        }
    }

    [Fact]
    public void BadShapesGiveOneClearError()
    {
        using var scope = NewDisposeScope();
        using var model = new KoopmanModel(Tiny, 3, 2, seed: 0);
        var error = Assert.Throws<ArgumentException>(() => model.Rollout(zeros(2, 4, 2), 5));
        Assert.Contains("(W, C) = (3, 2)", error.Message);
        Assert.Throws<ArgumentException>(() => model.Loss(zeros(2, 3, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Rollout(zeros(2, 3, 2), 0));
        Assert.Throws<NotSupportedException>(() => model.Fit(zeros(2, 4, 3, 2)));
    }
}
