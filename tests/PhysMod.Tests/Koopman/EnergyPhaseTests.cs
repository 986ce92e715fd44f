using System.Numerics;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Ssm;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>energy_phase (Koopman latent dynamics and the SSM expansion layer): with A = 0 the model is the tutorial's, with
/// A ≠ 0 the rollout is λ(z₀)^k z₀ with arg λ_j = e^{θ_j}(1 + (A e)_j) computed by hand, and autograd matches central
/// differences in float64.</summary>
public sealed class EnergyPhaseTests
{
    private static KoopmanModelConfig Config(bool energyPhase) => new() { DLatent = 8, RMin = 0.9, RMax = 0.99, EnergyPhase = energyPhase };

    [Fact]
    public void KoopmanWithZeroMapEqualsTheTutorialDynamics()
    {
        using var scope = NewDisposeScope();
        var plain = new LruDynamics("dynamics", Config(false), new Generator(3), ScalarType.Float64);
        var shifted = new LruDynamics("dynamics", Config(true), new Generator(3), ScalarType.Float64);
        var z0 = randn(new long[] { 3, 8 }, dtype: ScalarType.Float64, generator: new Generator(4));
        using var noGrad = no_grad();
        Assert.Equal(0, (plain.forward(z0, 50) - shifted.forward(z0, 50)).abs().max().item<double>());
    }

    [Fact]
    public void KoopmanRolloutEqualsTheEnergyDependentEigenvaluesByHand()
    {
        using var scope = NewDisposeScope();
        var dynamics = new LruDynamics("dynamics", Config(true), new Generator(3), ScalarType.Float64);
        var a = dynamics.named_parameters().Single(p => p.name == "phase_energy").parameter;
        using (no_grad()) a.copy_(0.05 * randn(new long[] { 4, 4 }, dtype: ScalarType.Float64, generator: new Generator(5)));
        var z0 = randn(new long[] { 2, 8 }, dtype: ScalarType.Float64, generator: new Generator(4));
        const int steps = 120;
        Tensor z;
        using (no_grad()) z = dynamics.forward(z0, steps);                                     // (2, steps, 8)
        double[] nu = dynamics.Nu.data<double>().ToArray(), theta = dynamics.Theta.data<double>().ToArray();
        double[] map = a.data<double>().ToArray(), start = z0.data<double>().ToArray(), actual = z.data<double>().ToArray();
        double Energy(int b, int i) => start[b * 8 + i] * start[b * 8 + i] + start[b * 8 + 4 + i] * start[b * 8 + 4 + i];
        double worst = LatentProduct.MaxDeviation(start, actual, 2, 4, steps, (b, j) =>
        {
            double scale = 1 + Enumerable.Range(0, 4).Sum(i => map[j * 4 + i] * Energy(b, i));
            return Complex.Exp(new Complex(-Math.Exp(nu[j]), Math.Exp(theta[j]) * scale));
        });
        Assert.True(worst < 1e-11, $"closed form vs product: {worst:E2}");
    }

    [Fact]
    public void KoopmanGradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var dynamics = new LruDynamics("dynamics", Config(true) with { DLatent = 6 }, new Generator(11), ScalarType.Float64);
        var a = dynamics.named_parameters().Single(p => p.name == "phase_energy").parameter;
        using (no_grad()) a.copy_(0.1 * randn(new long[] { 3, 3 }, dtype: ScalarType.Float64, generator: new Generator(13)));
        var generator = new Generator(12);
        var z0 = randn(new long[] { 3, 6 }, dtype: ScalarType.Float64, generator: generator);
        var weights = randn(new long[] { 3, 9, 6 }, dtype: ScalarType.Float64, generator: generator);
        Tensor Loss() => (dynamics.forward(z0, 9) * weights).sum();
        double error = FiniteDifferences.MaxGradientError(dynamics.named_parameters(), Loss);
        Assert.True(error < 1e-7, $"max gradient error {error:E2}");
    }

    [Fact]
    public void SsmExpansionWithZeroMapEqualsTheTutorialModelAndItsGradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var config = new SsmModelConfig { NLayers = 1, DHidden = 3 };
        using var plain = new StackedSsm(config, 2, 2, 5, seed: 4, ScalarType.Float64);
        using var shifted = new StackedSsm(config with { EnergyPhase = true }, 2, 2, 5, seed: 4, ScalarType.Float64);
        var batch = randn(new long[] { 2, 5, 2, 2 }, dtype: ScalarType.Float64, generator: new Generator(5));
        using (no_grad())
            Assert.Equal(0, (plain.Rollout(batch.select(1, 0), 7) - shifted.Rollout(batch.select(1, 0), 7)).abs().max().item<double>());

        var a = shifted.named_parameters().Single(p => p.name == "phase_energy").parameter;
        using (no_grad()) a.copy_(0.3 * randn(new long[] { 3, 3 }, dtype: ScalarType.Float64, generator: new Generator(6)));
        using (no_grad())
            Assert.True((plain.Rollout(batch.select(1, 0), 7) - shifted.Rollout(batch.select(1, 0), 7)).abs().max().item<double>() > 1e-6);
        double error = FiniteDifferences.MaxGradientError(shifted.named_parameters(), () => shifted.Loss(batch).Total);
        Assert.True(error < 1e-7, $"max gradient error {error:E2}");
    }
}
