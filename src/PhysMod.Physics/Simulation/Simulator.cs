using System.Numerics;
using System.Numerics.Tensors;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Simulation;

/// <summary>Runs a modal system from an excitation with an integrator, reading out the pickup and the field.</summary>
public static class Simulator
{
    /// <summary>Runs one simulation in double precision. Throws <see cref="InvalidSettingException"/> on bad settings or divergence.</summary>
    public static SimulationResult Run(ModalSystem system, Excitation excitation, Integrator integrator, SimulationSettings settings,
        Action<double>? progress = null)
    {
        settings.Validate();
        excitation.Validate(system.Basis);
        system.Basis.ValidateInside("pickup", settings.Pickup);
        integrator.CheckStable(system, settings.SampleRate, settings.Oversample);

        int modes = system.Modes, frames = settings.Frames, m = settings.Oversample;
        double dt = 1 / (settings.SampleRate * m);
        var q0 = new double[modes]; var v0 = new double[modes];
        excitation.InitialState(system, q0, v0);

        double[]? forceWeights = null;
        if (excitation.ForceLocation is { } at)
        {
            forceWeights = new double[modes];
            system.Basis.ShapesAt(at, forceWeights);
            for (int i = 0; i < modes; i++) forceWeights[i] *= system.InputScale;
        }
        var stepper = integrator.CreateStepper<double>(system, dt, forceWeights is not null);
        double[] pickup = system.Basis.DisplacementWeights(settings.Pickup);

        Location[] grid = settings.GridPoints > 0 ? system.Basis.Grid(settings.GridPoints) : [];
        int fieldFrames = settings.StoredFieldFrames, points = grid.Length;
        double[] reconstruction = points > 0 ? system.Basis.ReconstructionMatrix(grid) : [];
        var field = new float[(long)fieldFrames * points * 2];
        var displacement = new double[frames]; var velocity = new double[frames];

        SetForce(stepper, forceWeights, excitation, 0);
        stepper.Start(q0, v0);
        int step = 0;
        for (int n = 0; n < frames; n++)
        {
            if (n > 0)
            {
                for (int j = 0; j < m; j++)
                {
                    step++;
                    SetForce(stepper, forceWeights, excitation, step * dt);
                    stepper.Advance();
                }
            }
            var q = stepper.Displacement; var v = stepper.Velocity;
            displacement[n] = TensorPrimitives.Dot(q, pickup);
            velocity[n] = TensorPrimitives.Dot(v, pickup);
            if (!double.IsFinite(displacement[n]) || !double.IsFinite(velocity[n]))
                throw new InvalidSettingException(
                    $"simulation diverged at t = {n / settings.SampleRate:G6} s (frame {n}) with integrator {integrator.Name}: " +
                    "use --integrator conservative, a larger --oversample or a smaller amplitude");
            if (n < fieldFrames) WriteField(field, n, q, v, reconstruction, points, modes);
            if (progress is not null && (n & 0xFFFF) == 0) progress((double)n / frames);
        }
        progress?.Invoke(1);
        return new SimulationResult(settings.SampleRate, displacement, velocity, grid, fieldFrames, field);
    }

    private static void SetForce<T>(ModalStepper<T> stepper, double[]? weights, Excitation excitation, double time)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights is null) return;
        double f = excitation.ForceAt(time);
        var target = stepper.NextForce;
        for (int i = 0; i < weights.Length; i++) target[i] = T.CreateTruncating(weights[i] * f);
    }

    private static void WriteField(float[] field, int frame, ReadOnlySpan<double> q, ReadOnlySpan<double> v, double[] reconstruction, int points, int modes)
    {
        long offset = (long)frame * points * 2;
        for (int j = 0; j < points; j++)
        {
            var row = reconstruction.AsSpan(j * modes, modes);
            field[offset + 2 * j] = (float)TensorPrimitives.Dot(row, q);
            field[offset + 2 * j + 1] = (float)TensorPrimitives.Dot(row, v);
        }
    }
}
