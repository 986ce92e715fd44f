using System.Numerics;
using System.Runtime.InteropServices;

namespace PhysMod.Physics.Integrators;

/// <summary>The running state of one integrator on one modal system, advanced one time step at a time.</summary>
/// <remarks>
/// Frame n holds q^n and q̇^n. The caller writes the modal force f^{n+1} into <see cref="NextForce"/> before each
/// <see cref="Advance"/> (and f^0 before <see cref="Start"/>); a stepper created without forcing ignores it.
/// Arrays are padded to a multiple of the SIMD width with inert zero modes.
/// </remarks>
public abstract class ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Allocates padded state for <paramref name="modes"/> modes.</summary>
    protected ModalStepper(int modes, bool forced)
    {
        Modes = modes;
        Padded = (modes + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count;
        Q = new T[Padded]; V = new T[Padded];
        Forced = forced;
        CurrentForce = new T[Padded]; NextForceBuffer = new T[Padded];
    }

    /// <summary>Number of physical modes.</summary>
    public int Modes { get; }

    /// <summary>Length of the padded arrays.</summary>
    protected int Padded { get; }

    /// <summary>Whether an external force is applied.</summary>
    protected bool Forced { get; }

    /// <summary>Displacement q^n, padded.</summary>
    protected T[] Q { get; set; }

    /// <summary>Velocity q̇^n, padded.</summary>
    protected T[] V { get; }

    /// <summary>f^n, padded.</summary>
    protected T[] CurrentForce { get; private set; }

    /// <summary>f^{n+1}, padded.</summary>
    protected T[] NextForceBuffer { get; private set; }

    /// <summary>q^n. Shape: (modes).</summary>
    public ReadOnlySpan<T> Displacement => Q.AsSpan(0, Modes);

    /// <summary>q̇^n. Shape: (modes).</summary>
    public ReadOnlySpan<T> Velocity => V.AsSpan(0, Modes);

    /// <summary>Where the caller writes the modal force of the next frame. Shape: (modes).</summary>
    public Span<T> NextForce => NextForceBuffer.AsSpan(0, Modes);

    /// <summary>Sets frame 0 from q^0, q̇^0 (and f^0 in <see cref="NextForce"/>).</summary>
    public void Start(ReadOnlySpan<T> q0, ReadOnlySpan<T> v0)
    {
        Array.Clear(Q); Array.Clear(V);
        q0.CopyTo(Q); v0.CopyTo(V);
        SwapForces();
        OnStart();
    }

    /// <summary>Moves from frame n to frame n+1 using f^n and f^{n+1} (written into <see cref="NextForce"/>).</summary>
    public void Advance()
    {
        OnAdvance();
        SwapForces();
    }

    /// <summary>Initialises scheme-specific state after q^0, q̇^0 and f^0 (in <see cref="CurrentForce"/>) are set.</summary>
    protected abstract void OnStart();

    /// <summary>Computes frame n+1 into Q and V from f^n (<see cref="CurrentForce"/>) and f^{n+1} (<see cref="NextForceBuffer"/>).</summary>
    protected abstract void OnAdvance();

    private void SwapForces()
    {
        if (!Forced) return;
        (CurrentForce, NextForceBuffer) = (NextForceBuffer, CurrentForce);
    }

    /// <summary>Views a padded array as SIMD vectors.</summary>
    protected static Span<Vector<T>> Lanes(T[] x) => MemoryMarshal.Cast<T, Vector<T>>(x.AsSpan());

    /// <summary>Converts a double array to a padded T array.</summary>
    protected T[] Pad(ReadOnlySpan<double> values, double padValue = 0)
    {
        var result = new T[Padded];
        for (int i = 0; i < Padded; i++) result[i] = T.CreateTruncating(i < values.Length ? values[i] : padValue);
        return result;
    }

    /// <summary>Converts per-mode values computed by <paramref name="f"/> to a padded T array (pad modes get <paramref name="padValue"/>).</summary>
    protected T[] Pad(Func<int, double> f, double padValue = 0)
    {
        var result = new T[Padded];
        for (int i = 0; i < Padded; i++) result[i] = T.CreateTruncating(i < Modes ? f(i) : padValue);
        return result;
    }
}
