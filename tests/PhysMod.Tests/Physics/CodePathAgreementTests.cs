using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>Two code paths that compute the same thing must agree: one-step exact vs two-step impulse-invariant
/// recursion under a force, and single- vs double-precision steppers.</summary>
public sealed class CodePathAgreementTests(ITestOutputHelper output)
{
    private const double Rate = 48_000;
    private static readonly Location Pickup = new(0.41);

    [Theory]
    [InlineData("impulse-invariant")]
    [InlineData("conservative")]
    public void ExactAndTwoStepRecursionAgreeOnStruckLinearString(string name)
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 30, tensionModulation: false);
        var strike = new RaisedCosineForce(2.0, new Location(0.1), 0.002, 0.001, half: false);
        var settings = new SimulationSettings(Rate, 0.1, Pickup);
        var exact = Simulator.Run(system, strike, Integrator.Exact, settings);
        var twoStep = Simulator.Run(system, strike, Integrator.Parse(name), settings);
        double q = PhysicsAssert.RelativeMaxError(twoStep.PickupDisplacement, exact.PickupDisplacement);
        double v = PhysicsAssert.RelativeMaxError(twoStep.PickupVelocity, exact.PickupVelocity);
        output.WriteLine($"{name} vs exact under a strike: displacement {q:E2}, velocity {v:E2}; peak {exact.PickupDisplacement.Max(Math.Abs):E3} m");
        Assert.True(exact.PickupDisplacement.Max(Math.Abs) > 1e-5, "the strike must move the string");
        PhysicsAssert.Within(q, 1e-10, "displacement");
        PhysicsAssert.Within(v, 1e-10, "velocity");
    }

    /// <summary>A struck string starts at rest; before the strike starts nothing moves, and the response is linear in the force.</summary>
    [Fact]
    public void StrikeResponseIsCausalAndLinearInAmplitude()
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 30, tensionModulation: false);
        var settings = new SimulationSettings(Rate, 0.05, Pickup);
        var one = Simulator.Run(system, new RaisedCosineForce(1.0, new Location(0.1), 0.002, 0.001, half: false), Integrator.Exact, settings);
        var three = Simulator.Run(system, new RaisedCosineForce(3.0, new Location(0.1), 0.002, 0.001, half: false), Integrator.Exact, settings);
        for (int n = 0; n <= 0.002 * Rate; n++) Assert.Equal(0, one.PickupDisplacement[n]);
        PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(three.PickupDisplacement, one.PickupDisplacement.Select(w => 3 * w).ToArray()), 1e-12, "linearity");
    }

    public static TheoryData<string> AllIntegrators => new() { "conservative", "impulse-invariant", "exact", "verlet", "stormer", "rk4" };

    /// <summary>Single precision follows double precision closely over a short run. The two-step and rotation forms lose
    /// about ε_float/(ω₁Δt) of phase per step on the lowest mode (≈ 2e-6 rad at 48 kHz), so 5 ms (240 steps) stays near 1e-4.</summary>
    [Theory]
    [MemberData(nameof(AllIntegrators))]
    public void SingleAndDoublePrecisionAgreeOverShortRun(string name)
    {
        var integrator = Integrator.Parse(name);
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 20, tensionModulation: integrator != Integrator.Exact);
        var pluck = new TriangularPluck(0.005, 0.117);
        const int frames = 240;
        var (wDouble, vDouble) = PhysicsAssert.RunStepper<double>(integrator, system, pluck, Rate, frames, Pickup);
        var (wSingle, vSingle) = PhysicsAssert.RunStepper<float>(integrator, system, pluck, Rate, frames, Pickup);
        double q = PhysicsAssert.RelativeMaxError(wSingle, wDouble), v = PhysicsAssert.RelativeMaxError(vSingle, vDouble);
        output.WriteLine($"{name}: float vs double over {frames} frames: displacement {q:E2}, velocity {v:E2}");
        PhysicsAssert.Within(q, 3e-4, "displacement");
        PhysicsAssert.Within(v, 3e-4, "velocity");
    }
}
