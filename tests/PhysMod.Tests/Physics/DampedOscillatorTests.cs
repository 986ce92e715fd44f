using System.Numerics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;

namespace PhysMod.Tests.Physics;

/// <summary>The single damped oscillator against its closed-form solution, written here with complex exponentials.</summary>
public sealed class DampedOscillatorTests
{
    private const double Rate = 1000, Duration = 1, Q0 = 0.75, V0 = 0;

    // Underdamped: q(t) = Re(C e^{st}), q̇(t) = Re(C s e^{st}), C = q0 − i(v0 + σ q0)/ω_d, s = −σ + iω_d.
    private static (double Q, double V) Underdamped(double omega0, double sigma2, double q0, double v0, double t)
    {
        double sigma = sigma2 / 2, omegaD = Math.Sqrt(omega0 * omega0 - sigma * sigma);
        var c = new Complex(q0, -(v0 + sigma * q0) / omegaD);
        var s = new Complex(-sigma, omegaD);
        var z = c * Complex.Exp(s * t);
        return (z.Real, (z * s).Real);
    }

    // Any damping: q = a e^{s1 t} + b e^{s2 t} with s1,2 = −σ ± √(σ² − ω0²), a + b = q0, a s1 + b s2 = v0.
    private static (double Q, double V) TwoRoots(double omega0, double sigma2, double q0, double v0, double t)
    {
        double sigma = sigma2 / 2;
        var root = Complex.Sqrt(sigma * sigma - omega0 * omega0);
        Complex s1 = -sigma + root, s2 = -sigma - root;
        var a = (v0 - s2 * q0) / (s1 - s2);
        var b = q0 - a;
        Complex e1 = Complex.Exp(s1 * t), e2 = Complex.Exp(s2 * t);
        return ((a * e1 + b * e2).Real, (a * s1 * e1 + b * s2 * e2).Real);
    }

    // Critical damping (σ = ω0): q = (q0 + (v0 + σ q0) t) e^{−σt}.
    private static (double Q, double V) Critical(double sigma2, double q0, double v0, double t)
    {
        double sigma = sigma2 / 2, b = v0 + sigma * q0, e = Math.Exp(-sigma * t);
        return ((q0 + b * t) * e, (b - sigma * (q0 + b * t)) * e);
    }

    private static (double[] Q, double[] V) Sampled(Func<double, (double Q, double V)> solution, int frames)
    {
        var q = new double[frames]; var v = new double[frames];
        for (int n = 0; n < frames; n++) (q[n], v[n]) = solution(n / Rate);
        return (q, v);
    }

    public static TheoryData<string> LinearExactIntegrators => new() { "exact", "impulse-invariant", "conservative" };

    [Theory]
    [MemberData(nameof(LinearExactIntegrators))]
    public void LinearExactIntegratorMatchesAnalyticTutorialOscillator(string name)
    {
        var p = OscillatorParameters.TutorialDamped;
        Assert.Equal(3.5, p.Sigma2);
        Assert.Equal(30, p.Omega0);
        var settings = new SimulationSettings(Rate, Duration, new Location(0));
        var result = Simulator.Run(ModalSystem.ForOscillator(p), new ModalState([Q0], [V0], "q0=0.75"), Integrator.Parse(name), settings);
        Assert.Equal(1000, result.Frames);

        var (q, v) = Sampled(t => Underdamped(p.Omega0, p.Sigma2, Q0, V0, t), result.Frames);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(result.PickupDisplacement, q), 1e-9, $"{name} displacement");
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(result.PickupVelocity, v), 1e-9, $"{name} velocity");
    }

    [Fact]
    public void ExactStepperMatchesAnalyticWithInitialVelocity()
    {
        var p = OscillatorParameters.TutorialDamped;
        const double q0 = -0.2, v0 = 4.0;
        var result = Simulator.Run(ModalSystem.ForOscillator(p), new ModalState([q0], [v0], "q0,v0"), Integrator.Exact,
            new SimulationSettings(Rate, Duration, new Location(0)));
        var (q, v) = Sampled(t => Underdamped(p.Omega0, p.Sigma2, q0, v0, t), result.Frames);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(result.PickupDisplacement, q), 1e-9, "displacement");
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(result.PickupVelocity, v), 1e-9, "velocity");
    }

    [Fact]
    public void DampedOscillatorFormulaMatchesAnalyticUnderdamped()
    {
        var p = OscillatorParameters.TutorialDamped;
        var (q, v) = Sampled(t => Underdamped(p.Omega0, p.Sigma2, Q0, V0, t), 1000);
        var (qa, va) = Sampled(t => (DampedOscillator.Displacement(p.Omega0, p.Sigma2, Q0, V0, t),
            DampedOscillator.Velocity(p.Omega0, p.Sigma2, Q0, V0, t)), 1000);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(qa, q), 1e-9, "displacement");
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(va, v), 1e-9, "velocity");
    }

    [Theory]
    [InlineData(30, 3.5, 0.75, 0)]       // underdamped, checked against the two-root form as well
    [InlineData(3, 10, 0.75, 0)]         // overdamped: σ = 5 > ω0 = 3
    [InlineData(3, 10, -0.4, 2.5)]       // overdamped with initial velocity
    [InlineData(1, 400, 1, -1)]          // strongly overdamped: σ = 200
    public void DampedOscillatorFormulaMatchesTwoRootSolution(double omega0, double sigma2, double q0, double v0)
    {
        var (q, v) = Sampled(t => TwoRoots(omega0, sigma2, q0, v0, t), 1000);
        var (qa, va) = Sampled(t => (DampedOscillator.Displacement(omega0, sigma2, q0, v0, t),
            DampedOscillator.Velocity(omega0, sigma2, q0, v0, t)), 1000);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(qa, q), 1e-9, "displacement");
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(va, v), 1e-9, "velocity");
    }

    [Fact]
    public void DampedOscillatorFormulaMatchesCriticalDamping()
    {
        const double omega0 = 5, sigma2 = 10, q0 = 0.3, v0 = 1.2;
        var (q, v) = Sampled(t => Critical(sigma2, q0, v0, t), 1000);
        var (qa, va) = Sampled(t => (DampedOscillator.Displacement(omega0, sigma2, q0, v0, t),
            DampedOscillator.Velocity(omega0, sigma2, q0, v0, t)), 1000);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(qa, q), 1e-9, "displacement");
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(va, v), 1e-9, "velocity");
    }

    [Theory]
    [MemberData(nameof(LinearExactIntegrators))]
    public void LinearExactIntegratorMatchesAnalyticOverdampedOscillator(string name)
    {
        var p = new OscillatorParameters(20, 60, 0, OscillatorNonlinearity.None);   // σ = 30 > ω0 = 20
        const double q0 = 0.5, v0 = -3;
        var result = Simulator.Run(ModalSystem.ForOscillator(p), new ModalState([q0], [v0], "q0,v0"), Integrator.Parse(name),
            new SimulationSettings(Rate, 0.5, new Location(0)));
        var (q, v) = Sampled(t => TwoRoots(p.Omega0, p.Sigma2, q0, v0, t), result.Frames);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(result.PickupDisplacement, q), 1e-9, $"{name} displacement");
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(result.PickupVelocity, v), 1e-9, $"{name} velocity");
    }
}
