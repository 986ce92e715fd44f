using PhysMod.Learning.Pinn;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Pinn;

/// <summary>Autograd derivatives of the PINN networks equal central differences (float64): each derivative of order k against the
/// central difference of order k − 1 (the network itself for k = 1), with a step small enough that truncation is negligible.</summary>
public sealed class PinnDerivativeTests
{
    private const double Step = 1e-6, Tolerance = 1e-6;

    [Fact]
    public void FirstAndSecondTimeDerivativesOfTheOscillatorNetworkMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        using var network = new FourierFeatureMlp("net", 1, 16, 5, 32, 3, generator, ScalarType.Float64);
        // (q, q̇, q̈) at one time, all by autograd
        double[] At(double time)
        {
            using var inner = NewDisposeScope();
            var t = tensor(new[] { time }, dtype: ScalarType.Float64).reshape(1, 1).requires_grad_(true);
            var q = network.forward(t);
            var velocity = PointwiseDerivative.Of(q, t);
            var acceleration = PointwiseDerivative.Of(velocity, t);
            return [q.item<double>(), velocity.item<double>(), acceleration.item<double>()];
        }
        double largestAcceleration = 0;
        foreach (double time in new[] { 0, 0.137, 0.5, 0.91 })
        {
            double[] here = At(time), plus = At(time + Step), minus = At(time - Step);
            for (int order = 1; order <= 2; order++)
                Close(here[order], (plus[order - 1] - minus[order - 1]) / (2 * Step), $"d^{order}q/dt^{order} at t = {time}");
            largestAcceleration = Math.Max(largestAcceleration, Math.Abs(here[2]));
        }
        Assert.True(largestAcceleration > 1, "the network is not trivially flat: the check compares something");
    }

    [Fact]
    public void SpaceAndTimeDerivativesOfTheStringNetworkMatchCentralDifferencesUpToFourthOrder()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        using var network = new FourierFeatureMlp("net", 2, 8, 1, 24, 3, generator, ScalarType.Float64);
        // (u, u_t, u_x, u_xx, u_xxx, u_xxxx, u_txx) at one point, all by autograd
        double[] At(double px, double pt)
        {
            using var inner = NewDisposeScope();
            var x = tensor(new[] { px }, dtype: ScalarType.Float64).reshape(1, 1).requires_grad_(true);
            var t = tensor(new[] { pt }, dtype: ScalarType.Float64).reshape(1, 1).requires_grad_(true);
            var u = network.forward(cat(new[] { x, t }, 1));
            var ux = PointwiseDerivative.Of(u, x);
            var uxx = PointwiseDerivative.Of(ux, x);
            var uxxx = PointwiseDerivative.Of(uxx, x);
            Tensor[] all = [u, PointwiseDerivative.Of(u, t), ux, uxx, uxxx, PointwiseDerivative.Of(uxxx, x), PointwiseDerivative.Of(uxx, t)];
            return all.Select(v => v.item<double>()).ToArray();
        }
        const int U = 0, Ut = 1, Ux = 2, Uxx = 3, Uxxx = 4, Uxxxx = 5, Utxx = 6;
        foreach (var (px, pt) in new[] { (0.1, 0.3), (0.45, 0.05), (0.8, 0.7) })
        {
            double[] here = At(px, pt), xPlus = At(px + Step, pt), xMinus = At(px - Step, pt), tPlus = At(px, pt + Step), tMinus = At(px, pt - Step);
            double Dx(int k) => (xPlus[k] - xMinus[k]) / (2 * Step);
            double Dt(int k) => (tPlus[k] - tMinus[k]) / (2 * Step);
            Close(here[Ut], Dt(U), "u_t");
            Close(here[Ux], Dx(U), "u_x");
            Close(here[Uxx], Dx(Ux), "u_xx");
            Close(here[Uxxx], Dx(Uxx), "u_xxx");
            Close(here[Uxxxx], Dx(Uxxx), "u_xxxx");
            Close(here[Utxx], Dt(Uxx), "u_txx");
        }
    }

    private static void Close(double autograd, double difference, string what) =>
        Assert.True(Math.Abs(autograd - difference) <= Tolerance * Math.Max(1, Math.Abs(difference)),
            $"{what}: autograd {autograd}, central difference {difference}");

    [Fact]
    public void ADerivativeAgainstACoordinateWithoutGradientsIsRefused()
    {
        using var scope = NewDisposeScope();
        var t = zeros(3, 1, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => PointwiseDerivative.Of(t * 2, t));
    }
}
