using System.Numerics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>Measured global convergence order of every non-exact integrator on a strongly tension-modulated string.</summary>
/// <remarks>
/// Four modes of the nylon B string plucked 3 cm high, so the tension rises by about 30 % and the nonlinearity, not
/// the linear part, dominates the error of the linear-exact schemes. Each scheme runs at Δt = 1/(fs·m), m = 1, 2, 4, 8
/// (ω_max·Δt ≤ 0.22 with the raised tension), and is compared on common output frames with RK4 at m = 256, whose own
/// error (≈ 1e-13) is far below the finest error measured.
/// The order is log₂(e(m)/e(2m)).
/// </remarks>
public sealed class ConvergenceOrderTests(ITestOutputHelper output)
{
    private const double BaseRate = 32_000, Duration = 0.015, PluckHeight = 0.03, PluckPosition = 0.117;
    private static readonly int[] Oversamples = [1, 2, 4, 8];
    private static readonly Location Pickup = new(0.41);

    [Fact]
    public void EveryIntegratorConvergesAtItsDeclaredOrder()
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 4, tensionModulation: true);
        var pluck = new TriangularPluck(PluckHeight, PluckPosition);
        SimulationResult Run(Integrator integrator, int oversample) =>
            Simulator.Run(system, pluck, integrator, new SimulationSettings(BaseRate, Duration, Pickup, oversample));

        var q0 = new double[4]; var v0 = new double[4];
        pluck.InitialState(system, q0, v0);
        var tm = (TensionModulation)system.Nonlinearity!;
        double tensionRise = tm.Coefficient * tm.Stretch(q0) * StringParameters.NylonGuitarB.RhoA / StringParameters.NylonGuitarB.T0;
        output.WriteLine($"tension rise at release: {tensionRise:P1}; ω_max·Δt at m = 1: {system.MaxOmega * Math.Sqrt(1 + tensionRise) / BaseRate:F3}");
        Assert.True(tensionRise > 0.2, $"the pluck must modulate the tension strongly, got {tensionRise:P1}");

        var reference = Run(Integrator.RungeKutta4, 256);
        var failures = new List<string>();
        foreach (var integrator in Integrator.All.Where(i => i.Order < int.MaxValue))
        {
            var errorsQ = new List<double>(); var errorsV = new List<double>();
            foreach (int m in Oversamples)
            {
                var r = Run(integrator, m);
                errorsQ.Add(PhysicsAssert.RelativeMaxError(r.PickupDisplacement, reference.PickupDisplacement));
                errorsV.Add(PhysicsAssert.RelativeMaxError(r.PickupVelocity, reference.PickupVelocity));
            }
            double[] ordersQ = Orders(errorsQ), ordersV = Orders(errorsV);
            output.WriteLine($"{integrator.Name,-18} declared {integrator.Order}: " +
                             $"w errors {string.Join(" ", errorsQ.Select(e => e.ToString("E2")))} orders {string.Join(" ", ordersQ.Select(o => o.ToString("F2")))}; " +
                             $"ẇ errors {string.Join(" ", errorsV.Select(e => e.ToString("E2")))} orders {string.Join(" ", ordersV.Select(o => o.ToString("F2")))}");
            foreach (var (what, orders) in new[] { ("displacement", ordersQ), ("velocity", ordersV) })
            {
                double finest = orders[^1];
                if (Math.Abs(finest - integrator.Order) > 0.3)
                    failures.Add($"{integrator.Name} {what}: measured order {finest:F2}, declared {integrator.Order}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    /// <summary>A strongly damped linear oscillator (σ₂ = 20 1/s, ω₀ = 30 rad/s) against its analytic solution: the
    /// linear-exact schemes stay at round-off, the others converge at their order in displacement and velocity.</summary>
    [Fact]
    public void StronglyDampedLinearOscillatorConvergesAtDeclaredOrderOrIsExact()
    {
        const double rate = 200, duration = 0.5, omega0 = 30, sigma2 = 20, q0 = 0.6, v0 = 5;
        var system = ModalSystem.ForOscillator(new OscillatorParameters(omega0, sigma2, 0, OscillatorNonlinearity.None));
        var state = new ModalState([q0], [v0], "q0,v0");
        int frames = (int)(rate * duration);
        double sigma = sigma2 / 2, omegaD = Math.Sqrt(omega0 * omega0 - sigma * sigma);
        var c = new Complex(q0, -(v0 + sigma * q0) / omegaD);
        var s = new Complex(-sigma, omegaD);
        double[] q = new double[frames], v = new double[frames];
        for (int n = 0; n < frames; n++)
        {
            var z = c * Complex.Exp(s * (n / rate));
            q[n] = z.Real; v[n] = (z * s).Real;
        }

        var failures = new List<string>();
        foreach (var integrator in Integrator.All)
        {
            var errorsQ = new List<double>(); var errorsV = new List<double>();
            foreach (int m in Oversamples)
            {
                var r = Simulator.Run(system, state, integrator, new SimulationSettings(rate, duration, new Location(0), m));
                errorsQ.Add(PhysicsAssert.RelativeMaxError(r.PickupDisplacement, q));
                errorsV.Add(PhysicsAssert.RelativeMaxError(r.PickupVelocity, v));
            }
            output.WriteLine($"{integrator.Name,-18} w errors {string.Join(" ", errorsQ.Select(e => e.ToString("E2")))}; " +
                             $"ẇ errors {string.Join(" ", errorsV.Select(e => e.ToString("E2")))}");
            foreach (var (what, errors) in new[] { ("displacement", errorsQ), ("velocity", errorsV) })
            {
                if (integrator.ExactForLinear)
                {
                    if (errors.Max() > 1e-9) failures.Add($"{integrator.Name} {what}: error {errors.Max():E2} for a linear-exact scheme");
                    continue;
                }
                double finest = Orders(errors)[^1];
                if (Math.Abs(finest - integrator.Order) > 0.3)
                    failures.Add($"{integrator.Name} {what}: measured order {finest:F2}, declared {integrator.Order}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    /// <summary>A linear string struck by a smooth raised-cosine force: every scheme converges at second order to the
    /// continuous solution, in displacement and velocity. The force enters as samples (impulses of area Δt fⁿ for the
    /// linear-exact schemes, linearly interpolated within a step for RK4), which limits every scheme to second order.
    /// Reference: RK4 at 512× finer steps, its error ≈ 1e-9, far below the finest error measured.</summary>
    [Fact]
    public void StruckStringConvergesAtSecondOrderForEveryIntegrator()
    {
        const double rate = 24_000, duration = 0.01;
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 10, tensionModulation: false);
        var strike = new RaisedCosineForce(2.0, new Location(0.1), 0.002, 0.001, half: false);
        var settings = new SimulationSettings(rate, duration, Pickup);
        var reference = Simulator.Run(system, strike, Integrator.RungeKutta4, settings with { Oversample = 512 });
        var failures = new List<string>();
        foreach (var integrator in Integrator.All)
        {
            var errorsQ = new List<double>(); var errorsV = new List<double>();
            foreach (int m in new[] { 1, 2, 4 })
            {
                var r = Simulator.Run(system, strike, integrator, settings with { Oversample = m });
                errorsQ.Add(PhysicsAssert.RelativeMaxError(r.PickupDisplacement, reference.PickupDisplacement));
                errorsV.Add(PhysicsAssert.RelativeMaxError(r.PickupVelocity, reference.PickupVelocity));
            }
            double[] ordersQ = Orders(errorsQ), ordersV = Orders(errorsV);
            output.WriteLine($"{integrator.Name,-18} w errors {string.Join(" ", errorsQ.Select(e => e.ToString("E2")))} orders {string.Join(" ", ordersQ.Select(o => o.ToString("F2")))}; " +
                             $"ẇ errors {string.Join(" ", errorsV.Select(e => e.ToString("E2")))} orders {string.Join(" ", ordersV.Select(o => o.ToString("F2")))}");
            foreach (var (what, orders) in new[] { ("displacement", ordersQ), ("velocity", ordersV) })
                if (Math.Abs(orders[^1] - 2) > 0.3) failures.Add($"{integrator.Name} {what}: measured order {orders[^1]:F2} under a force, expected 2");
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    private static double[] Orders(IReadOnlyList<double> errors) =>
        Enumerable.Range(0, errors.Count - 1).Select(i => Math.Log2(errors[i] / errors[i + 1])).ToArray();
}
