using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>At vanishing amplitude the tension-modulated string becomes linear, so the schemes that are exact for
/// linear systems must reproduce the exact recursion on the linearised system.</summary>
public sealed class LinearLimitTests(ITestOutputHelper output)
{
    private const double Rate = 48_000, Duration = 0.2;
    private const int Modes = 30;
    private static readonly Location Pickup = new(0.41);

    [Theory]
    [InlineData("conservative")]
    [InlineData("impulse-invariant")]
    public void TinyPluckOnNonlinearStringMatchesExactLinearSolution(string name)
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, Modes, tensionModulation: true);
        var settings = new SimulationSettings(Rate, Duration, Pickup);
        double Error(double height, out double velocityError)
        {
            var pluck = new TriangularPluck(height, 0.117);
            var exact = Simulator.Run(system.Linearised(), pluck, Integrator.Exact, settings);
            var result = Simulator.Run(system, pluck, Integrator.Parse(name), settings);
            velocityError = PhysicsAssert.RelativeMaxError(result.PickupVelocity, exact.PickupVelocity);
            return PhysicsAssert.RelativeMaxError(result.PickupDisplacement, exact.PickupDisplacement);
        }

        double tiny = Error(1e-7, out double tinyVelocity);
        double large = Error(0.02, out _);
        output.WriteLine($"{name}: relative difference from the linear solution at h = 1e-7 m: {tiny:E2} (velocity {tinyVelocity:E2}); at h = 2 cm: {large:E2}");
        PhysicsAssert.Within(tiny, 1e-6, "displacement at h = 1e-7 m");
        PhysicsAssert.Within(tinyVelocity, 1e-6, "velocity at h = 1e-7 m");
        Assert.True(large > 1e-2, $"at h = 2 cm the nonlinearity must change the signal, difference only {large:E2}");
    }
}
