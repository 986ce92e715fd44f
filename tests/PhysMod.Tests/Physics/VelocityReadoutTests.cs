using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;

namespace PhysMod.Tests.Physics;

/// <summary>The velocity the two-step schemes report, checked against their own displacement sequence.</summary>
public sealed class VelocityReadoutTests
{
    /// <summary>Störmer–Verlet reports the plain centred difference (q^{n+1} − q^{n−1})/(2Δt), damping or not.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StormerVelocityIsTheCentredDifferenceOfItsDisplacements(bool tensionModulation)
    {
        var p = StringParameters.NylonGuitarB with { D1 = 0.05, D3 = 1e-4 };   // strong damping makes any r-scaling visible
        var system = ModalSystem.ForString(p, 8, tensionModulation);
        const double rate = 48_000;
        var (w, wDot) = PhysicsAssert.RunStepper<double>(Integrator.Stormer, system, new TriangularPluck(0.005, 0.2), rate, 400, new Location(0.3));
        var centred = new double[w.Length - 2]; var reported = new double[w.Length - 2];
        for (int n = 1; n < w.Length - 1; n++)
        {
            centred[n - 1] = (w[n + 1] - w[n - 1]) * rate / 2;
            reported[n - 1] = wDot[n];
        }
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(reported, centred), 1e-9, "Störmer velocity vs centred difference");
    }

    /// <summary>The linear-exact two-step schemes report q̇ⁿ from q^{n±1} through the exact relation
    /// q^{n±1} = e^{∓γΔt}[qⁿ cos ω_dΔt ± (q̇ⁿ + γqⁿ) sin(ω_dΔt)/ω_d], so on a linear system it equals the exact stepper's.</summary>
    [Theory]
    [InlineData("impulse-invariant")]
    [InlineData("conservative")]
    public void ExactReadoutEqualsExactStepperVelocityOnLinearString(string name)
    {
        var p = StringParameters.NylonGuitarB with { D1 = 0.05, D3 = 1e-4 };
        var system = ModalSystem.ForString(p, 8, tensionModulation: false);
        var pluck = new TriangularPluck(0.005, 0.2);
        var (_, exact) = PhysicsAssert.RunStepper<double>(Integrator.Exact, system, pluck, 48_000, 400, new Location(0.3));
        var (_, twoStep) = PhysicsAssert.RunStepper<double>(Integrator.Parse(name), system, pluck, 48_000, 400, new Location(0.3));
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(twoStep, exact), 1e-9, $"{name} velocity vs exact");
    }
}
