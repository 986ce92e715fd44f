using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>The energy-conserving scheme on the tension-modulated string: conservation, dissipation, and boundedness.</summary>
public sealed class EnergyTests(ITestOutputHelper output)
{
    private const double Rate = 48_000;
    private const int Modes = 30;
    private static readonly StringParameters Lossless = StringParameters.NylonGuitarB with { D1 = 0, D3 = 0 };

    private static ConservativeStepper<double> Start(ModalSystem system, Excitation excitation)
    {
        var stepper = new ConservativeStepper<double>(system, 1 / Rate, forced: false);
        var q0 = new double[system.Modes]; var v0 = new double[system.Modes];
        excitation.InitialState(system, q0, v0);
        stepper.Start(q0, v0);
        return stepper;
    }

    // ΔT/T0 = c S ρA / T0 at the initial state: how strongly the pluck modulates the tension.
    private static double TensionRise(ModalSystem system, StringParameters p, Excitation excitation)
    {
        var q0 = new double[system.Modes]; var v0 = new double[system.Modes];
        excitation.InitialState(system, q0, v0);
        var tm = (TensionModulation)system.Nonlinearity!;
        return tm.Coefficient * tm.Stretch(q0) * p.RhoA / p.T0;
    }

    // H = Σ ½ q̇² + ½ ω² q² + (c/4) S², S = Σ λ q², with ω², λ and c recomputed here from the parameters.
    private static double ContinuousEnergy(ModalSystem system, StringParameters p, ReadOnlySpan<double> q, ReadOnlySpan<double> v)
    {
        double h = 0, s = 0, c = p.E * p.A / (2 * p.L * p.Rho * p.A) / (p.L / 2);
        for (int i = 0; i < system.Modes; i++)
        {
            double lambda = Math.Pow((i + 1) * Math.PI / p.L, 2);
            double omega2 = (p.E * p.I * lambda * lambda + p.T0 * lambda) / (p.Rho * p.A);
            h += 0.5 * v[i] * v[i] + 0.5 * omega2 * q[i] * q[i];
            s += lambda * q[i] * q[i];
        }
        return h + c / 4 * s * s;
    }

    [Fact]
    public void LosslessDiscreteEnergyIsConservedOverOneSecond()
    {
        var system = ModalSystem.ForString(Lossless, Modes, tensionModulation: true);
        var pluck = new TriangularPluck(0.02, 0.117);
        var stepper = Start(system, pluck);
        double h0 = stepper.DiscreteEnergy(), drift = 0, continuousSpread = 0;
        double e0 = ContinuousEnergy(system, Lossless, stepper.Displacement, stepper.Velocity);
        for (int n = 0; n < (int)Rate; n++)
        {
            stepper.Advance();
            drift = Math.Max(drift, Math.Abs(stepper.DiscreteEnergy() - h0) / h0);
            continuousSpread = Math.Max(continuousSpread, Math.Abs(ContinuousEnergy(system, Lossless, stepper.Displacement, stepper.Velocity) - e0) / e0);
        }
        output.WriteLine($"tension rise {TensionRise(system, Lossless, pluck):P1}; max relative energy drift over 1 s: {drift:E2}; " +
                         $"discrete vs continuous energy at start {Math.Abs(h0 - e0) / e0:E2}; continuous energy spread {continuousSpread:E2}");
        Assert.True(drift <= 1e-10, $"relative energy drift {drift:E3} > 1e-10");
        // The physical energy of the numerical solution only oscillates by O((ω_max Δt)²) (ω₃₀Δt ≈ 0.68 here).
        Assert.True(continuousSpread <= 1e-2, $"physical energy varies by {continuousSpread:E2}");
    }

    /// <summary>H^{½} approximates the physical energy of the initial state to second order in Δt.</summary>
    [Fact]
    public void DiscreteEnergyConvergesToPhysicalEnergyAtSecondOrder()
    {
        var system = ModalSystem.ForString(Lossless, Modes, tensionModulation: true);
        var pluck = new TriangularPluck(0.02, 0.117);
        var q0 = new double[Modes]; var v0 = new double[Modes];
        pluck.InitialState(system, q0, v0);
        double physical = ContinuousEnergy(system, Lossless, q0, v0);
        double Gap(int oversample)
        {
            var stepper = new ConservativeStepper<double>(system, 1 / (Rate * oversample), forced: false);
            stepper.Start(q0, v0);
            return Math.Abs(stepper.DiscreteEnergy() - physical) / physical;
        }
        double[] gaps = [Gap(1), Gap(2), Gap(4), Gap(8)];
        output.WriteLine($"|H½ − H(q⁰, q̇⁰)|/H at Δt/1, /2, /4, /8: {string.Join(" ", gaps.Select(g => g.ToString("E2")))}");
        Assert.True(gaps[0] <= 2e-2, $"discrete energy differs from the physical one by {gaps[0]:E2}");
        for (int i = 0; i < gaps.Length - 1; i++)
        {
            double order = Math.Log2(gaps[i] / gaps[i + 1]);
            Assert.True(Math.Abs(order - 2) <= 0.3, $"discrete energy converges at order {order:F2}, expected 2");
        }
    }

    [Fact]
    public void LossyDiscreteEnergyNeverIncreases()
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, Modes, tensionModulation: true);
        var stepper = Start(system, new TriangularPluck(0.02, 0.117));
        double h0 = stepper.DiscreteEnergy(), previous = h0, worstRise = double.NegativeInfinity;
        for (int n = 0; n < (int)Rate; n++)
        {
            stepper.Advance();
            double h = stepper.DiscreteEnergy();
            worstRise = Math.Max(worstRise, (h - previous) / previous);
            Assert.True(h <= previous * (1 + 1e-13), $"energy rose at step {n + 1}: {previous:R} → {h:R}");
            previous = h;
        }
        output.WriteLine($"energy after 1 s: {previous / h0:P2} of the initial; largest step-to-step relative change {worstRise:E2}");
        Assert.True(previous < 0.9 * h0, "with losses the energy must actually decay");
    }

    /// <summary>At an absurd 0.2 m pluck the tension rises many-fold: velocity Verlet (stable only for the linear ω·Δt)
    /// blows up, while the conservative scheme stays bounded by its energy.</summary>
    [Fact]
    public void ConservativeStaysBoundedWhereVerletDiverges()
    {
        var system = ModalSystem.ForString(Lossless, 20, tensionModulation: true);
        var pluck = new TriangularPluck(0.2, 0.117);
        var settings = new SimulationSettings(Rate, 0.2, new Location(0.41));
        Integrator.Verlet.CheckStable(system, Rate, 1);   // linearly stable, so only the nonlinearity can make it diverge
        output.WriteLine($"tension rise {TensionRise(system, Lossless, pluck):P0}; linear ω_max·Δt = {system.MaxOmega / Rate:F3}");

        var message = PhysicsAssert.Refuses(() => Simulator.Run(system, pluck, Integrator.Verlet, settings));
        output.WriteLine(message);
        Assert.Contains("diverged", message);

        var result = Simulator.Run(system, pluck, Integrator.Conservative, settings);
        double peak = result.PickupDisplacement.Max(Math.Abs);
        output.WriteLine($"conservative: peak pickup displacement {peak:G4} m");
        Assert.All(result.PickupDisplacement, w => Assert.True(double.IsFinite(w)));
        Assert.True(peak <= 2 * pluck.Height, $"peak displacement {peak} m exceeds twice the pluck height");

        var stepper = Start(system, pluck);
        double h0 = stepper.DiscreteEnergy(), drift = 0;
        for (int n = 0; n < result.Frames; n++)
        {
            stepper.Advance();
            drift = Math.Max(drift, Math.Abs(stepper.DiscreteEnergy() - h0) / h0);
        }
        output.WriteLine($"conservative at 0.2 m: max relative energy drift {drift:E2}");
        Assert.True(drift <= 1e-10, $"relative energy drift {drift:E3} > 1e-10 at large amplitude");
    }
}
