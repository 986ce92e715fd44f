using PhysMod.Learning.Ssm;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Ssm;

/// <summary>The ring initialisation puts eigenvalues where the spec says and normalises B by √(1 − |λ|²).</summary>
public sealed class LruInitTests
{
    [Theory]
    [InlineData(0.9, 0.99, Math.PI / 2)]
    [InlineData(0.0, 1.0, 2 * Math.PI)]
    [InlineData(0.99, 1.0, Math.PI)]
    public void EigenvaluesLieOnTheRingAndPhasesInRange(double rMin, double rMax, double maxPhase)
    {
        using var scope = NewDisposeScope();
        using var layer = SsmTestKit.Layer(3, 20000, rMin, rMax, maxPhase, feedthrough: true, seed: 17, ScalarType.Float64);
        var lambda = layer.Lambda();                                                                   // (H) complex
        var modulus = lambda.abs();
        var phase = exp(layer.named_parameters().Single(p => p.name == "theta_log").parameter);      // arg λ = e^θ, unwrapped
        double smallest = modulus.min().item<double>(), largest = modulus.max().item<double>();
        Assert.InRange(smallest, rMin, rMax);
        Assert.InRange(largest, rMin, rMax);
        Assert.InRange(phase.min().item<double>(), 0, maxPhase);
        Assert.InRange(phase.max().item<double>(), 0, maxPhase);
        // |λ|² is uniform on [r_min², r_max²] and the phase uniform on [0, max_phase]: both spread across their range.
        var squared = modulus.square();
        double width = rMax * rMax - rMin * rMin;
        Assert.InRange((squared.mean().item<double>() - rMin * rMin) / width, 0.49, 0.51);
        Assert.InRange(phase.mean().item<double>() / maxPhase, 0.49, 0.51);
        Assert.True(squared.min().item<double>() < rMin * rMin + 0.01 * width);
        Assert.True(squared.max().item<double>() > rMax * rMax - 0.01 * width);
        Assert.False(modulus.isnan().any().item<bool>() || phase.isinf().any().item<bool>());
    }

    [Fact]
    public void GammaNormalisesByTheStationaryGainOfTheEigenvalue()
    {
        using var scope = NewDisposeScope();
        using var layer = SsmTestKit.Layer(3, 64, 0.9, 0.99, Math.PI / 2, feedthrough: true, seed: 2, ScalarType.Float64);
        var gamma = exp(layer.named_parameters().Single(p => p.name == "gamma_log").parameter);
        var expected = sqrt(1 - layer.Lambda().abs().square());
        Assert.True(SsmTestKit.RelativeMaxError(gamma, expected) < 1e-12);
    }

    [Fact]
    public void SameSeedSameLayerAndAnotherSeedAnotherLayer()
    {
        using var scope = NewDisposeScope();
        using var a = SsmTestKit.Layer(5, 8, 0.9, 0.99, 1.0, feedthrough: true, seed: 1);
        using var b = SsmTestKit.Layer(5, 8, 0.9, 0.99, 1.0, feedthrough: true, seed: 1);
        using var c = SsmTestKit.Layer(5, 8, 0.9, 0.99, 1.0, feedthrough: true, seed: 2);
        var pa = a.parameters().ToArray(); var pb = b.parameters().ToArray(); var pc = c.parameters().ToArray();
        Assert.All(pa.Zip(pb), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
        Assert.Contains(pa.Zip(pc), pair => !pair.First.equal(pair.Second).all().item<bool>());
    }
}
