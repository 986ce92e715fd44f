using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhysMod.Physics.Integrators;

/// <summary>The running state of one integrator on one modal system, advanced one time step at a time.</summary>
/// <remarks>
/// Frame n holds q^n and q̇^n. The caller writes the modal force f^{n+1} into <see cref="NextForce"/> before each
/// <see cref="Advance"/> (and f^0 before <see cref="Start"/>); a stepper created without forcing ignores it.
/// Arrays are padded to a multiple of two SIMD vectors with inert zero modes and allocated 64-byte aligned where possible.
/// A scheme that derives the velocity from its state may compute it only when <see cref="Velocity"/> is read (see
/// <see cref="EnsureVelocity"/>). A voice that needs only the signal at a point sets <see cref="SetPickup"/> once and reads
/// <see cref="PickupDisplacement"/> (and <see cref="PickupVelocity"/>) per frame; the schemes accumulate these while they
/// write the state, as a hand-fused loop would. The per-step methods are compiled fully optimised from the first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): a simulation is a few long calls, which tiered compilation
/// would otherwise run as unoptimised code for much of their length.
/// </remarks>
public abstract class ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int DisplacementReported = 1, VelocityReported = 2;
    private T _pickupDisplacement, _pickupVelocity;
    private int _pickupReported;     // which of the two belong to the current frame

    /// <summary>Allocates padded state for <paramref name="modes"/> modes.</summary>
    protected ModalStepper(int modes, bool forced)
    {
        Modes = modes;
        Padded = (modes + Block - 1) / Block * Block;
        Q = NewPadded(); V = NewPadded();
        Forced = forced;
        CurrentForce = NewPadded(); NextForceBuffer = NewPadded();
    }

    /// <summary>Padding unit: two SIMD vectors (64 bytes with 256-bit vectors), so that loops can take two vectors per turn
    /// with separate partial sums (shorter dependency chains for the reductions).</summary>
    protected static int Block => 2 * Vector<T>.Count;

    /// <summary>Number of physical modes.</summary>
    public int Modes { get; }

    /// <summary>Length of the padded arrays.</summary>
    protected int Padded { get; }

    /// <summary>Whether an external force is applied.</summary>
    protected bool Forced { get; }

    /// <summary>Displacement q^n, padded.</summary>
    protected T[] Q { get; set; }

    /// <summary>Velocity q̇^n, padded (valid after <see cref="EnsureVelocity"/>).</summary>
    protected T[] V { get; }

    /// <summary>f^n, padded.</summary>
    protected T[] CurrentForce { get; private set; }

    /// <summary>f^{n+1}, padded.</summary>
    protected T[] NextForceBuffer { get; private set; }

    /// <summary>q^n. Shape: (modes).</summary>
    public ReadOnlySpan<T> Displacement => Q.AsSpan(0, Modes);

    /// <summary>q̇^n. Shape: (modes).</summary>
    public ReadOnlySpan<T> Velocity
    {
        get
        {
            EnsureVelocity();
            return V.AsSpan(0, Modes);
        }
    }

    /// <summary>Where the caller writes the modal force of the next frame. Shape: (modes).</summary>
    public Span<T> NextForce => NextForceBuffer.AsSpan(0, Modes);

    /// <summary>Sets frame 0 from q^0, q̇^0 (and f^0 in <see cref="NextForce"/>).</summary>
    public void Start(ReadOnlySpan<T> q0, ReadOnlySpan<T> v0)
    {
        _pickupReported = 0;
        Array.Clear(Q); Array.Clear(V);
        q0.CopyTo(Q); v0.CopyTo(V);
        SwapForces();
        OnStart();
    }

    /// <summary>Moves from frame n to frame n+1 using f^n and f^{n+1} (written into <see cref="NextForce"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance()
    {
        _pickupReported = 0;
        OnAdvance();
        SwapForces();
    }

    /// <summary>Advances frame by frame, <paramref name="oversample"/> steps per frame, and writes the pickup read-outs of
    /// every frame reached: Σ w qⁿ into <paramref name="displacement"/> and, unless it is empty, Σ w q̇ⁿ into
    /// <paramref name="velocity"/> (same length). The block form of <see cref="Advance"/> followed by
    /// <see cref="PickupDisplacement"/> and <see cref="PickupVelocity"/>, which is what a voice needs: schemes step the block
    /// in one call with their state in locals (a tight loop, no per-sample calls), where the JIT's widest vectors are used.
    /// For unforced steppers (a forced one takes its force step by step through <see cref="NextForce"/>); needs
    /// <see cref="SetPickup"/>. Results agree with the step-by-step path to round-off (sums may be grouped differently).</summary>
    public void Render(Span<T> displacement, Span<T> velocity, int oversample = 1)
    {
        if (Forced) throw new InvalidOperationException("a forced stepper takes its force step by step: write NextForce and call Advance");
        if (PickupWeights is null) throw new InvalidOperationException("no pickup: call SetPickup first");
        ArgumentOutOfRangeException.ThrowIfLessThan(oversample, 1);
        if (!velocity.IsEmpty && velocity.Length != displacement.Length)
            throw new ArgumentException($"{velocity.Length} velocity samples for {displacement.Length} displacement samples", nameof(velocity));
        if (displacement.IsEmpty) return;
        _pickupReported = 0;
        OnRender(displacement, velocity, oversample);
    }

    /// <summary>Does <see cref="Render"/> (arguments checked); by default step by step.</summary>
    protected virtual void OnRender(Span<T> displacement, Span<T> velocity, int oversample)
    {
        for (int k = 0; k < displacement.Length; k++)
        {
            for (int j = 0; j < oversample; j++) Advance();
            displacement[k] = PickupDisplacement;
            if (!velocity.IsEmpty) velocity[k] = PickupVelocity;
        }
    }

    /// <summary>The SIMD width (elements) of the block kernels: <see cref="Vector512{T}"/> where the hardware accelerates it
    /// (and it divides the padding), otherwise <see cref="Vector{T}"/>.</summary>
    private protected int BlockWidth =>
        Vector512.IsHardwareAccelerated && Padded % Vector512<T>.Count == 0 ? Vector512<T>.Count : Vector<T>.Count;

    /// <summary>Per-mode coefficients interleaved SIMD vector by SIMD vector for a width of <paramref name="width"/>
    /// elements (see <see cref="Interleave"/>), each taken from a padded per-mode array.</summary>
    private protected static T[] InterleaveFor(int width, params T[][] coefficients)
    {
        int k = coefficients.Length, padded = coefficients[0].Length;
        var result = AlignedArrays.New<T>(padded * k);
        for (int i = 0; i < padded; i += width)
            for (int j = 0; j < k; j++)
                coefficients[j].AsSpan(i, width).CopyTo(result.AsSpan(i * k + j * width, width));
        return result;
    }

    /// <summary>Coefficient <paramref name="index"/> of every mode, from an array made by <see cref="Interleave"/> with
    /// <paramref name="count"/> coefficients per mode. Shape: (padded).</summary>
    private protected T[] Deinterleave(T[] interleaved, int count, int index)
    {
        int width = Vector<T>.Count;
        var result = NewPadded();
        for (int i = 0; i < Padded; i += width) interleaved.AsSpan(i * count + index * width, width).CopyTo(result.AsSpan(i, width));
        return result;
    }

    /// <summary>Initialises scheme-specific state after q^0, q̇^0 and f^0 (in <see cref="CurrentForce"/>) are set.</summary>
    protected abstract void OnStart();

    /// <summary>Computes frame n+1 into Q (and V, or leaves V to <see cref="EnsureVelocity"/>) from f^n
    /// (<see cref="CurrentForce"/>) and f^{n+1} (<see cref="NextForceBuffer"/>).</summary>
    protected abstract void OnAdvance();

    /// <summary>Brings V up to date with the current frame; schemes whose velocity is a read-out of their state compute it
    /// here, once per frame and only when asked for.</summary>
    protected virtual void EnsureVelocity() { }

    /// <summary>Sets the pickup: modal weights w (e.g. the mode shapes at a point) read by <see cref="PickupDisplacement"/>
    /// and <see cref="PickupVelocity"/>. Shape: (modes).</summary>
    public void SetPickup(ReadOnlySpan<T> weights)
    {
        if (weights.Length != Modes) throw new ArgumentException($"{weights.Length} pickup weights for {Modes} modes", nameof(weights));
        var padded = NewPadded();
        weights.CopyTo(padded);
        PickupWeights = padded;
        _pickupReported = 0;
        OnPickupSet();
    }

    /// <summary>Σ w qⁿ for the weights of <see cref="SetPickup"/>: the displacement at the pickup. Schemes that can
    /// accumulate it while they write qⁿ do so, which makes reading it free.</summary>
    public T PickupDisplacement => (_pickupReported & DisplacementReported) != 0 ? _pickupDisplacement : ReadPickup(false);

    /// <summary>Σ w q̇ⁿ for the weights of <see cref="SetPickup"/>: the velocity at the pickup. Once it has been read, schemes
    /// that can accumulate it during the step do so from the next step on.</summary>
    public T PickupVelocity => (_pickupReported & VelocityReported) != 0 ? _pickupVelocity : ReadPickup(true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]     // it runs every frame from the first, too soon to tier up
    private T ReadPickup(bool velocity)
    {
        var weights = PickupWeights ?? throw new InvalidOperationException("no pickup: call SetPickup first");
        if (!velocity) return Dot(Q, weights);
        PickupVelocityWanted = true;
        return ReadPickupVelocity(weights);
    }

    /// <summary>Padded pickup weights, or null before <see cref="SetPickup"/>.</summary>
    protected T[]? PickupWeights { get; private set; }

    /// <summary>True once <see cref="PickupVelocity"/> has been read: worth accumulating during the step from then on.</summary>
    protected bool PickupVelocityWanted { get; private set; }

    /// <summary>Called when the pickup weights change (after <see cref="PickupWeights"/> is set).</summary>
    protected virtual void OnPickupSet() { }

    /// <summary>Called by <see cref="OnAdvance"/> with Σ w qⁿ of the frame being entered, accumulated while writing it.</summary>
    protected void ReportPickupDisplacement(T value)
    {
        _pickupDisplacement = value;
        _pickupReported |= DisplacementReported;
    }

    /// <summary>Called by <see cref="OnAdvance"/> with Σ w q̇ⁿ of the frame being entered.</summary>
    protected void ReportPickupVelocity(T value)
    {
        _pickupVelocity = value;
        _pickupReported |= VelocityReported;
    }

    /// <summary>Σ w q̇ⁿ for padded weights w; by default from <see cref="V"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected virtual T ReadPickupVelocity(T[] weights)
    {
        EnsureVelocity();
        return Dot(V, weights);
    }

    /// <summary>A zeroed padded array.</summary>
    protected T[] NewPadded() => AlignedArrays.New<T>(Padded);

    /// <summary>a·b + c, rounded once where the hardware has fused multiply–add (otherwise a·b rounded, then the sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> MulAdd(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(double))
            return Vector.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        if (typeof(T) == typeof(float))
            return Vector.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SwapForces()
    {
        if (!Forced) return;
        (CurrentForce, NextForceBuffer) = (NextForceBuffer, CurrentForce);
    }

    /// <summary>Views a padded array as SIMD vectors.</summary>
    protected static Span<Vector<T>> Lanes(T[] x) => MemoryMarshal.Cast<T, Vector<T>>(x.AsSpan());

    /// <summary>The first element of an array, for unchecked SIMD access to padded arrays (every index below
    /// <see cref="Padded"/> is in range; loops step by <see cref="Vector{T}.Count"/>, which divides <see cref="Padded"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static ref T At(T[] x) => ref MemoryMarshal.GetArrayDataReference(x);

    /// <summary>Σ x w over padded arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected T Dot(T[] x, T[] w)
    {
        ref T rx = ref At(x), rw = ref At(w);
        var acc = Vector<T>.Zero;
        for (nuint i = 0, n = (nuint)Padded; i < n; i += (nuint)Vector<T>.Count)
            acc += Vector.LoadUnsafe(ref rx, i) * Vector.LoadUnsafe(ref rw, i);
        return Vector.Sum(acc);
    }

    /// <summary>Interleaves padded per-mode coefficient arrays SIMD vector by SIMD vector, so that one reference reaches
    /// them all: for the vector of modes starting at i, coefficient k is the vector at i·K + k·W (K arrays, W lanes).</summary>
    protected static T[] Interleave(params T[][] coefficients) => InterleaveFor(Vector<T>.Count, coefficients);

    /// <summary>Converts a double array to a padded T array.</summary>
    protected T[] Pad(ReadOnlySpan<double> values, double padValue = 0)
    {
        var result = NewPadded();
        for (int i = 0; i < Padded; i++) result[i] = T.CreateTruncating(i < values.Length ? values[i] : padValue);
        return result;
    }

    /// <summary>Converts per-mode values computed by <paramref name="f"/> to a padded T array (pad modes get <paramref name="padValue"/>).</summary>
    protected T[] Pad(Func<int, double> f, double padValue = 0)
    {
        var result = NewPadded();
        for (int i = 0; i < Padded; i++) result[i] = T.CreateTruncating(i < Modes ? f(i) : padValue);
        return result;
    }
}
