using PhysMod.Physics.Excitations;

namespace PhysMod.Realtime;

/// <summary>An excitation resolved against one <see cref="ModeTable"/> off the audio thread: a restart state and/or a
/// sampled point force, ready to be copied into a voice without allocating.</summary>
internal sealed class PreparedExcitation
{
    /// <summary>Longest force signal kept (s); a force whose end is unknown is cut here.</summary>
    public const double MaxForceSeconds = 60;

    private PreparedExcitation(bool restart, float[] x0, float[] d0, float[]? force, float[] forceShape)
    {
        Restart = restart; X0 = x0; D0 = d0; Force = force; ForceShape = forceShape;
    }

    /// <summary>True when the voice restarts from frame 0 (<see cref="X0"/>, <see cref="D0"/>, scaled coordinates).</summary>
    public bool Restart { get; }

    /// <summary>x⁰. Shape: (modes).</summary>
    public float[] X0 { get; }

    /// <summary>d⁰ (see <see cref="ModeTable.Start"/>). Shape: (modes).</summary>
    public float[] D0 { get; }

    /// <summary>f(j Δt) for j = 0, 1, … (N), or null without a force.</summary>
    public float[]? Force { get; }

    /// <summary>Mode shapes at the forcing point K_μ(x_e). Shape: (modes).</summary>
    public float[] ForceShape { get; }

    /// <summary>Resolves <paramref name="excitation"/>; <paramref name="restart"/> forces a restart from the excitation's
    /// initial state even for a pure force (as at construction, from rest).</summary>
    public static PreparedExcitation Create(Excitation excitation, ModeTable table, bool restart)
    {
        var system = table.System;
        excitation.Validate(system.Basis);
        int modes = table.Modes;
        bool isRestart = restart || excitation.ForceLocation is null;
        var shape = new double[modes];
        float[]? force = null;
        if (excitation.ForceLocation is { } at)
        {
            system.Basis.ShapesAt(at, shape);
            double end = Math.Min(excitation.ForceEnd, MaxForceSeconds);
            int count = (int)Math.Ceiling(end / table.TimeStep) + 2;
            force = new float[count];
            for (int j = 0; j < count; j++) force[j] = (float)excitation.ForceAt(j * table.TimeStep);
        }
        var x0 = new double[modes]; var d0 = new double[modes];
        if (isRestart)
        {
            var q0 = new double[modes]; var v0 = new double[modes]; var f0 = new double[modes];
            excitation.InitialState(system, q0, v0);
            if (force is not null)
                for (int i = 0; i < modes; i++) f0[i] = system.InputScale * shape[i] * excitation.ForceAt(0);
            table.Start(q0, v0, f0, x0, d0);
        }
        return new PreparedExcitation(isRestart, ToFloat(x0), ToFloat(d0), force, ToFloat(shape));
    }

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();
}
