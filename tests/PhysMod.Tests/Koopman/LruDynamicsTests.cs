using System.Numerics;
using PhysMod.Learning.Koopman;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>The diagonal complex latent dynamics: ring initialisation, closed-form powers against repeated complex
/// multiplication, and autograd against central differences.</summary>
public sealed class LruDynamicsTests
{
    [Theory]
    [InlineData(0.99, 1.0, Math.PI)]
    [InlineData(0.9, 0.99, Math.PI / 2)]
    [InlineData(0.0, 1.0, 2 * Math.PI)]
    public void RingInitialisationStaysInsideTheRingAndPhaseRange(double rMin, double rMax, double maxPhase)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        const int count = 20000;
        var modulus = (-LruDynamics.NuInit(count, rMin, rMax, generator).exp()).exp().data<double>().ToArray();
        var phase = LruDynamics.ThetaInit(count, maxPhase, generator).exp().data<double>().ToArray();
        Assert.All(modulus, r => Assert.InRange(r, rMin - 1e-12, rMax + 1e-12));
        Assert.All(phase, p => Assert.InRange(p, 0, maxPhase + 1e-12));
        Assert.DoesNotContain(modulus, double.IsNaN);
        // |λ|² is uniform on [r_min², r_max²] (uniform in area on the ring), the phase uniform on (0, max_phase]
        double meanSquare = modulus.Average(r => r * r), expected = (rMin * rMin + rMax * rMax) / 2, spread = rMax * rMax - rMin * rMin;
        Assert.InRange(meanSquare, expected - 0.02 * spread, expected + 0.02 * spread);
        Assert.InRange(phase.Average(), 0.48 * maxPhase, 0.52 * maxPhase);
    }

    [Fact]
    public void ClosedFormPowersEqualRepeatedComplexMultiplication()
    {
        using var scope = NewDisposeScope();
        var config = new KoopmanModelConfig { DLatent = 8, RMin = 0.9, RMax = 1.0 };
        var dynamics = new LruDynamics("dynamics", config, new Generator(3), ScalarType.Float64);
        var z0 = randn(new long[] { 2, 8 }, dtype: ScalarType.Float64, generator: new Generator(4));
        const int steps = 300;
        Tensor z;
        using (no_grad()) z = dynamics.forward(z0, steps);                                  // (2, steps, 8)
        Assert.Equal(new long[] { 2, steps, 8 }, z.shape);
        var nu = dynamics.Nu.data<double>().ToArray();
        var theta = dynamics.Theta.data<double>().ToArray();
        var start = z0.data<double>().ToArray();
        var actual = z.data<double>().ToArray();
        double worst = LatentProduct.MaxDeviation(start, actual, 2, 4, steps, (_, j) => Complex.Exp(new Complex(-Math.Exp(nu[j]), Math.Exp(theta[j]))));
        Assert.True(worst < 1e-11, $"closed form vs product: {worst:E2}");
    }

    [Fact]
    public void ClippingKeepsEveryModulusBelowOne()
    {
        using var scope = NewDisposeScope();
        var config = new KoopmanModelConfig { DLatent = 6, ClipEigs = true };
        var dynamics = new LruDynamics("dynamics", config, new Generator(1), ScalarType.Float64);
        using (no_grad()) dynamics.Nu.fill_(-40.0);                                           // e^ν ≈ 4e-18: |λ| would round to 1
        Assert.All(dynamics.LogModulus().data<double>().ToArray(), v => Assert.Equal(LruDynamics.ClipLogModulus, v));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AutogradMatchesCentralDifferences(bool modulation)
    {
        using var scope = NewDisposeScope();
        var config = new KoopmanModelConfig { DLatent = 6, RMin = 0.8, RMax = 0.99, UseModulation = modulation, ModulationWidth = 5, ModulationDepth = 2 };
        var dynamics = new LruDynamics("dynamics", config, new Generator(11), ScalarType.Float64);
        var generator = new Generator(12);
        var z0 = randn(new long[] { 3, 6 }, dtype: ScalarType.Float64, generator: generator);
        var weights = randn(new long[] { 3, 9, 6 }, dtype: ScalarType.Float64, generator: generator);
        Tensor Loss() => (dynamics.forward(z0, 9) * weights).sum() + dynamics.forward(z0, 9).square().mean();
        double error = FiniteDifferences.MaxGradientError(dynamics.named_parameters(), Loss);
        Assert.True(error < 1e-7, $"max gradient error {error:E2}");
    }
}
