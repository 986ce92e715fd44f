using PhysMod.Learning.Pinn;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;

namespace PhysMod.Tests.Pinn;

/// <summary>The residual operators vanish on exact solutions built from the Physics coefficients (so the losses are the right
/// equations) and do not vanish when a coefficient is wrong (so the check can fail).</summary>
public sealed class PinnResidualTests
{
    private const double Sigma2 = 3.5, Omega0 = 30, Q0 = 0.75, V0 = 0.4;

    // q(t) = e^{−σt} [q₀ cos ω_d t + (v₀ + σq₀)/ω_d sin ω_d t] written with torch operations, so autograd can differentiate it
    private static Tensor Exact(Tensor t)
    {
        double sigma = Sigma2 / 2, wd = Math.Sqrt(Omega0 * Omega0 - sigma * sigma);
        return (-sigma * t).exp() * (Q0 * (wd * t).cos() + (V0 + sigma * Q0) / wd * (wd * t).sin());
    }

    private static double MaxResidual(double sigma2, double omega0)
    {
        using var scope = NewDisposeScope();
        var t = linspace(0, 1, 257, dtype: ScalarType.Float64).reshape(-1, 1).requires_grad_(true);
        var (q, velocity, _, residual) = OscillatorResidual.Evaluate(Exact, t, tensor(sigma2, ScalarType.Float64), tensor(omega0, ScalarType.Float64));
        // the torch formula is the Physics analytic solution (value and derivative)
        double[] times = t.detach().reshape(-1).data<double>().ToArray(), qs = q.detach().reshape(-1).data<double>().ToArray();
        double[] vs = velocity.detach().reshape(-1).data<double>().ToArray();
        for (int i = 0; i < times.Length; i += 16)
        {
            Assert.Equal(DampedOscillator.Displacement(Omega0, Sigma2, Q0, V0, times[i]), qs[i], 1e-12);
            Assert.Equal(DampedOscillator.Velocity(Omega0, Sigma2, Q0, V0, times[i]), vs[i], 1e-10);
        }
        return residual.abs().max().item<double>() / (Omega0 * Omega0 * Q0);
    }

    [Fact]
    public void TheOscillatorResidualOfTheAnalyticSolutionIsZero() => Assert.True(MaxResidual(Sigma2, Omega0) < 1e-12);

    [Fact]
    public void TheOscillatorResidualDetectsAWrongFrequencyOrDamping()
    {
        Assert.True(MaxResidual(Sigma2, Omega0 * 1.01) > 1e-3);
        Assert.True(MaxResidual(Sigma2 * 1.1, Omega0) > 1e-3);
    }

    // The modal solution of a stiff lossy string, u(x̂, t̂) = Σ_μ c_μ q_μ(T t̂) sin(μπ x̂), with ω_μ², γ₂,μ from ModalSystem.
    private static double StringResidualOf(StringParameters p, StringPdeCoefficients coefficients, double duration)
    {
        using var scope = NewDisposeScope();
        var system = ModalSystem.ForString(p, 6, tensionModulation: false);
        Tensor Field(Tensor x, Tensor t)
        {
            Tensor? sum = null;
            for (int m = 0; m < system.Modes; m++)
            {
                double gamma = system.Gamma2[m] / 2, wd = Math.Sqrt(system.Omega2[m] - gamma * gamma), c = 1.0 / (m + 1);
                var time = t * duration;
                var q = (-gamma * time).exp() * ((wd * time).cos() + gamma / wd * (wd * time).sin());
                var term = c * q * (Math.PI * (m + 1) * x).sin();
                sum = sum is null ? term : sum + term;
            }
            return sum!;
        }
        var x = rand(200, 1, dtype: ScalarType.Float64).requires_grad_(true);
        var t = rand(200, 1, dtype: ScalarType.Float64).requires_grad_(true);
        var (_, residual) = StringResidual.Evaluate(Field, x, t, coefficients);
        // scale: the size of the tension term a₂ u_x̂x̂ of the highest mode
        double scale = coefficients.Wave * Math.Pow(Math.PI * system.Modes, 2) / system.Modes;
        return residual.abs().max().item<double>() / scale;
    }

    [Fact]
    public void TheStringResidualOfTheModalSolutionIsZeroWithStiffnessAndBothDampings()
    {
        var p = StringParameters.NylonGuitarB;
        const double duration = 0.005;
        Assert.True(StringResidualOf(p, StringPdeCoefficients.From(p, duration), duration) < 1e-10);
    }

    [Fact]
    public void TheStringResidualDetectsAMissingTerm()
    {
        var p = StringParameters.NylonGuitarB with { E = 5.4e11, D3 = 1.4e-3 };   // stiffness and d3 large enough to matter
        const double duration = 0.005;
        var exact = StringPdeCoefficients.From(p, duration);
        Assert.True(StringResidualOf(p, exact, duration) < 1e-10);
        Assert.True(StringResidualOf(p, exact with { Stiffness = 0 }, duration) > 1e-4);
        Assert.True(StringResidualOf(p, exact with { FrequencyDamping = 0 }, duration) > 1e-4);
        Assert.True(StringResidualOf(p, exact with { Wave = exact.Wave * 1.01 }, duration) > 1e-4);
    }
}
