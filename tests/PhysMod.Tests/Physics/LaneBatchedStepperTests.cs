using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>Two code paths that must agree: the lane-batched stepper and batch simulator against the per-trajectory
/// <see cref="Simulator"/> (same scheme, sums over modes in another order), and a lane's result against its neighbours.</summary>
public sealed class LaneBatchedStepperTests(ITestOutputHelper output)
{
    private const double Rate = 16_000;
    private static readonly Location Pickup = new(0.82 * StringParameters.NylonGuitarB.L);

    private static ModalSystem String(bool tensionModulation) =>
        ModalSystem.ForString(StringParameters.NylonGuitarB, 26, tensionModulation);

    // Gaussian bumps of 2–10 mm at assorted places and widths, as the string benchmark draws them.
    private static GaussianShape[] Shapes(int count) => Enumerable.Range(0, count)
        .Select(k => new GaussianShape(0.002 + 0.008 * k / Math.Max(1, count - 1), new Location((0.2 + 0.6 * ((k * 0.37) % 1)) * StringParameters.NylonGuitarB.L),
            (0.03 + 0.05 * ((k * 0.61) % 1)) * StringParameters.NylonGuitarB.L))
        .ToArray();

    private static (double[] Q, double[] V) InitialStates(ModalSystem system, IReadOnlyList<Excitation> shapes)
    {
        int modes = system.Modes;
        var q = new double[shapes.Count * modes]; var v = new double[shapes.Count * modes];
        for (int t = 0; t < shapes.Count; t++) shapes[t].InitialState(system, q.AsSpan(t * modes, modes), v.AsSpan(t * modes, modes));
        return (q, v);
    }

    [Theory]
    [InlineData("conservative", true, 3)]
    [InlineData("conservative", true, 8)]
    [InlineData("conservative", false, 3)]
    [InlineData("impulse-invariant", true, 5)]
    public void PickupMatchesPerTrajectorySimulator(string name, bool tensionModulation, int count)
    {
        var system = String(tensionModulation);
        var integrator = Integrator.Parse(name);
        var settings = new SimulationSettings(Rate, 1.0, Pickup);
        var shapes = Shapes(count);
        var (q, v) = InitialStates(system, shapes);
        int modes = system.Modes, lanes = LaneBatchedStepper.Lanes, frames = settings.Frames;
        var q0 = new double[modes * lanes]; var v0 = new double[modes * lanes];
        for (int t = 0; t < count; t++)
            for (int i = 0; i < modes; i++) { q0[i * lanes + t] = q[t * modes + i]; v0[i * lanes + t] = v[t * modes + i]; }

        var stepper = new LaneBatchedStepper(system, 1 / Rate, integrator, system.Basis.DisplacementWeights(Pickup));
        var displacement = new double[count, frames]; var velocity = new double[count, frames];
        var (d, w) = stepper.Start(q0, v0);
        for (int n = 0; n < frames; n++)
        {
            if (n > 0) (d, w) = stepper.Advance();
            for (int t = 0; t < count; t++) { displacement[t, n] = d[t]; velocity[t, n] = w[t]; }
        }

        for (int t = 0; t < count; t++)
        {
            var reference = Simulator.Run(system, shapes[t], integrator, settings);
            double eq = PhysicsAssert.RelativeMaxError(Row(displacement, t), reference.PickupDisplacement);
            double ev = PhysicsAssert.RelativeMaxError(Row(velocity, t), reference.PickupVelocity);
            output.WriteLine($"{name}, tension modulation {tensionModulation}, lane {t} of {count}: displacement {eq:E2}, velocity {ev:E2}");
            PhysicsAssert.Within(eq, 1e-12, $"lane {t} displacement");
            PhysicsAssert.Within(ev, 1e-12, $"lane {t} velocity");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void BatchSimulatorWritesTheSimulatorsPickupAndField(int count)
    {
        var system = String(tensionModulation: true);
        var settings = new SimulationSettings(Rate, 0.25, Pickup, GridPoints: 101, FieldFrames: 200);
        var batch = new BatchSimulator(system, Integrator.Conservative, settings);
        var shapes = Shapes(count);
        var (q, v) = InitialStates(system, shapes);
        int frames = settings.Frames, fieldFrames = settings.StoredFieldFrames, points = batch.GridPoints;
        var pickup = new float[count * frames * 2]; var field = new float[count * fieldFrames * points * 2];
        batch.Run(q, v, count, pickup, field);

        for (int t = 0; t < count; t++)
        {
            var reference = Simulator.Run(system, shapes[t], Integrator.Conservative, settings);
            Assert.Equal(reference.Field.Length, fieldFrames * points * 2);
            var expected = new float[frames * 2];
            for (int n = 0; n < frames; n++)
            {
                expected[2 * n] = (float)reference.PickupDisplacement[n];
                expected[2 * n + 1] = (float)reference.PickupVelocity[n];
            }
            // the doubles agree to ~1e-12, so the stored floats are equal or one rounding step apart
            double ep = MaxError(pickup.AsSpan(t * frames * 2, frames * 2), expected, out double pickupScale);
            double ef = MaxError(field.AsSpan(t * fieldFrames * points * 2, fieldFrames * points * 2), reference.Field, out double fieldScale);
            output.WriteLine($"lane {t} of {count}: pickup {ep:E2}, field {ef:E2} (relative to the peaks)");
            Assert.True(pickupScale > 1e-4 && fieldScale > 1e-4, "the string must move");
            PhysicsAssert.Within(ep, 1e-6, $"lane {t} pickup");
            PhysicsAssert.Within(ef, 1e-6, $"lane {t} field");
        }
    }

    [Fact]
    public void LaneResultDoesNotDependOnItsNeighbours()
    {
        var system = String(tensionModulation: true);
        var settings = new SimulationSettings(Rate, 0.1, Pickup, GridPoints: 101, FieldFrames: 50);
        var batch = new BatchSimulator(system, Integrator.Conservative, settings);
        var shapes = Shapes(8);
        var (q, v) = InitialStates(system, shapes);
        int modes = system.Modes, frames = settings.Frames, fieldSize = settings.StoredFieldFrames * batch.GridPoints * 2;
        var pickupAll = new float[8 * frames * 2]; var fieldAll = new float[8 * fieldSize];
        batch.Run(q, v, 8, pickupAll, fieldAll);
        var pickupOne = new float[frames * 2]; var fieldOne = new float[fieldSize];
        batch.Run(q.AsSpan(5 * modes, modes), v.AsSpan(5 * modes, modes), 1, pickupOne, fieldOne);
        Assert.Equal(pickupOne, pickupAll.AsSpan(5 * frames * 2, frames * 2).ToArray());
        Assert.Equal(fieldOne, fieldAll.AsSpan(5 * fieldSize, fieldSize).ToArray());
    }

    private static double[] Row(double[,] values, int row) =>
        Enumerable.Range(0, values.GetLength(1)).Select(n => values[row, n]).ToArray();

    private static double MaxError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, out double scale)
    {
        double error = 0;
        scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return error / scale;
    }
}
