using System.Numerics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>The block render of a stepper (one call for many frames, the voice's path) and its step-by-step path
/// (<see cref="ModalStepper{T}.Advance"/> and the pickup read-outs per frame) compute the same signal: the same per-mode
/// operations with the sums over modes grouped differently, so they agree to round-off, and stepping on after a block
/// continues the same trajectory.</summary>
public sealed class BlockRenderTests(ITestOutputHelper output)
{
    private const double Rate = 48_000;

    [Theory]
    [InlineData("impulse-invariant", true, 1)]
    [InlineData("conservative", true, 1)]
    [InlineData("stormer", true, 2)]
    [InlineData("verlet", true, 2)]
    [InlineData("verlet", false, 3)]
    [InlineData("verlet", false, 2)]
    [InlineData("conservative", false, 1)]
    [InlineData("impulse-invariant", false, 2)]
    public void BlockRenderAgreesWithStepByStepInDouble(string name, bool tension, int oversample) =>
        Compare<double>(name, tension, oversample, 1e-11);

    [Theory]
    [InlineData("impulse-invariant", 1)]
    [InlineData("conservative", 1)]
    [InlineData("verlet", 2)]
    [InlineData("verlet", 3)]
    public void BlockRenderAgreesWithStepByStepInFloat(string name, int oversample) => Compare<float>(name, true, oversample, 2e-4);

    /// <summary>A forced stepper takes its force per step: the block render refuses it rather than run without it.</summary>
    [Fact]
    public void ForcedStepperRefusesBlockRender()
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 10, tensionModulation: false);
        var stepper = Integrator.ImpulseInvariant.CreateStepper<double>(system, 1 / Rate, forced: true);
        stepper.SetPickup(system.Basis.DisplacementWeights(new Location(0.3)));
        Assert.Throws<InvalidOperationException>(() => stepper.Render(new double[4], default));
    }

    private void Compare<T>(string name, bool tension, int oversample, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // 37 modes: the padded length is not a multiple of two 512-bit vectors, so the kernels' odd last vector runs too
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 37, tensionModulation: tension);
        var integrator = Integrator.Parse(name);
        var pluck = new TriangularPluck(0.004, 0.13);
        var q0 = new double[system.Modes]; var v0 = new double[system.Modes];
        pluck.InitialState(system, q0, v0);
        var pickup = system.Basis.DisplacementWeights(new Location(0.533)).Select(T.CreateTruncating).ToArray();
        double dt = 1 / (Rate * oversample);
        const int frames = 3000, blocks = 3, extra = 50;

        ModalStepper<T> Started()
        {
            var stepper = integrator.CreateStepper<T>(system, dt, forced: false);
            stepper.SetPickup(pickup);
            stepper.Start(q0.Select(T.CreateTruncating).ToArray(), v0.Select(T.CreateTruncating).ToArray());
            return stepper;
        }

        // reference: step by step, reading both pickup signals each frame
        var reference = Started();
        var expectedD = new double[frames + extra]; var expectedV = new double[frames + extra];
        for (int n = 0; n < frames + extra; n++)
        {
            for (int j = 0; j < oversample; j++) reference.Advance();
            expectedD[n] = double.CreateTruncating(reference.PickupDisplacement);
            expectedV[n] = double.CreateTruncating(reference.PickupVelocity);
        }

        // block: three blocks (with velocity, without, with), then step by step again
        var block = Started();
        var d = new T[frames]; var v = new T[frames];
        int size = frames / blocks;
        block.Render(d.AsSpan(0, size), v.AsSpan(0, size), oversample);
        block.Render(d.AsSpan(size, size), default, oversample);
        block.Render(d.AsSpan(2 * size), v.AsSpan(2 * size), oversample);
        var actualD = new double[frames + extra]; var actualV = new double[frames + extra];
        for (int n = 0; n < frames; n++) { actualD[n] = double.CreateTruncating(d[n]); actualV[n] = double.CreateTruncating(v[n]); }
        for (int n = frames; n < frames + extra; n++)
        {
            for (int j = 0; j < oversample; j++) block.Advance();
            actualD[n] = double.CreateTruncating(block.PickupDisplacement);
            actualV[n] = double.CreateTruncating(block.PickupVelocity);
        }

        double displacementError = PhysicsAssert.RelativeMaxError(actualD, expectedD);
        double velocityError = Math.Max(PhysicsAssert.RelativeMaxError(actualV[..size], expectedV[..size]),
            PhysicsAssert.RelativeMaxError(actualV[(2 * size)..], expectedV[(2 * size)..]));
        output.WriteLine($"{name} {typeof(T).Name} tension={tension} oversample={oversample}: displacement {displacementError:E2}, velocity {velocityError:E2}");
        Assert.True(actualV[size..(2 * size)].All(x => x == 0), "a block rendered without velocity must leave the velocity output alone");
        PhysicsAssert.Within(displacementError, tolerance, "displacement");
        PhysicsAssert.Within(velocityError, tolerance, "velocity");
    }
}
