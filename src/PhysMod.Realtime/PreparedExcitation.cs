using PhysMod.Physics.Excitations;

namespace PhysMod.Realtime;

/// <summary>An excitation resolved against one <see cref="ModeTable"/> off the audio thread: a restart state and/or a
/// sampled point force, ready to be copied into a voice without allocating.</summary>
internal sealed class PreparedExcitation
{
    /// <summary>Longest force signal kept (s); a force whose end is unknown is cut here.</summary>
    public const double MaxForceSeconds = 60;

    private PreparedExcitation(bool restart, float[] x1, float[] d1, float firstDisplacement, float firstVelocity,
        float[]? force, float[] forceShape, int forceStart)
    {
        Restart = restart; X1 = x1; D1 = d1; FirstDisplacement = firstDisplacement; FirstVelocity = firstVelocity;
        Force = force; ForceShape = forceShape; ForceStart = forceStart;
    }

    /// <summary>True when the voice restarts from frame 1 (<see cref="X1"/>, <see cref="D1"/>, scaled coordinates).</summary>
    public bool Restart { get; }

    /// <summary>x¹. Shape: (modes).</summary>
    public float[] X1 { get; }

    /// <summary>d¹ = x¹ − x⁰ (formed in double). Shape: (modes).</summary>
    public float[] D1 { get; }

    /// <summary>Frame-0 pickup displacement.</summary>
    public float FirstDisplacement { get; }

    /// <summary>Frame-0 pickup velocity.</summary>
    public float FirstVelocity { get; }

    /// <summary>f(j Δt) for j = 0, 1, … (N), or null without a force.</summary>
    public float[]? Force { get; }

    /// <summary>Mode shapes at the forcing point K_μ(x_e). Shape: (modes).</summary>
    public float[] ForceShape { get; }

    /// <summary>Index of the force sample used by the voice's next step (1 after a restart, whose start-up used f⁰).</summary>
    public int ForceStart { get; }

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
        var x0 = new double[modes]; var x1 = new double[modes];
        (double y, double z) = (0, 0);
        if (isRestart)
        {
            var q0 = new double[modes]; var v0 = new double[modes]; var f0 = new double[modes];
            excitation.InitialState(system, q0, v0);
            if (force is not null)
                for (int i = 0; i < modes; i++) f0[i] = system.InputScale * shape[i] * excitation.ForceAt(0);
            (y, z) = table.Start(q0, v0, f0, x0, x1);
        }
        var d1 = x1.Select((v, i) => v - x0[i]).ToArray();
        return new PreparedExcitation(isRestart, ToFloat(x1), ToFloat(d1), (float)y, (float)z, force, ToFloat(shape),
            isRestart ? 1 : 0);
    }

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();
}
