using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>Shared machinery of the two-step (q^{n−1}, q^n → q^{n+1}) schemes: start-up and velocity read-out.</summary>
/// <remarks>
/// Start: q¹ = exact free step of (q⁰, q̇⁰) + b1 (f⁰ − ½ f_nl(q⁰)), accurate to O(Δt³).
/// The stepper runs one step ahead so that frame n can report a centred velocity: either the exact linear read-out
/// q̇ⁿ = (q^{n+1}/r − r q^{n−1}) / (2S) − γ qⁿ (for the linear-exact schemes) or (q^{n+1} − q^{n−1}) / (2Δt).
/// The read-out is computed only when the velocity is asked for. Each step also returns the tension sum
/// S^{n+1} = Σ λ (q^{n+1})² of the values it writes (as the reference C++ loop does), so the next step need not re-read them.
/// A step is one pass over the modes (<see cref="Sweep{TRecursion}"/>) that also accumulates the pickup read-outs of the
/// frame being entered. Schemes of the form q^{n+1} = α qⁿ + β q^{n−1} + b (fⁿ − f_nl(qⁿ)) share
/// <see cref="RecursionStep"/>; with tension modulation f_nl = c S λ q is folded into α − g S (g = b c λ).
/// </remarks>
public abstract class TwoStepStepper<T> : ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ModalSystem _system;
    private readonly double _dt;
    private const int ReadoutCoefficients = 3, PickupCoefficients = 4;
    private readonly T[] _readAlpha, _readBeta, _readGamma;
    private readonly T[] _readout;        // q̇ⁿ = α q^{n+1} − β q^{n−1} − γ qⁿ: α, β, γ interleaved
    private T[]? _pickup;                 // w, w α, w β, w γ interleaved
    private readonly bool _exactReadout;
    private T _stretch, _stretchNext;     // S(qⁿ), S(q^{n+1}) for tension modulation, else zero
    private bool _velocityStale;

    /// <summary>Sets up the look-ahead buffers and the velocity read-out.</summary>
    protected TwoStepStepper(ModalSystem system, double dt, bool forced, bool exactReadout) : base(system.Modes, forced)
    {
        _system = system; _dt = dt; _exactReadout = exactReadout;
        Previous = NewPadded(); Next = NewPadded(); NonlinearForce = NewPadded();
        Kernel = NonlinearKernel<T>.Create(system.Nonlinearity, Padded);
        var c = Enumerable.Range(0, system.Modes).Select(i => ModeCoefficients.Of(system.Omega2[i], system.Gamma2[i], dt)).ToArray();
        Coefficients = c;
        // α = 1/(2 r S), β = r/(2S), γ = γ (exact), or α = β = 1/(2Δt), γ = 0 (centred difference: there r = 1, since
        // scaling by r would add an O(1) error γ q to the velocity)
        _readAlpha = exactReadout ? Pad(i => 0.5 / (c[i].R * c[i].S)) : Pad(_ => 0.5 / dt);
        _readBeta = exactReadout ? Pad(i => 0.5 * c[i].R / c[i].S) : Pad(_ => 0.5 / dt);
        _readGamma = exactReadout ? Pad(i => c[i].Gamma) : NewPadded();
        _readout = Interleave(_readAlpha, _readBeta, _readGamma);
    }

    /// <summary>Exact linear coefficients per mode (unpadded).</summary>
    protected IReadOnlyList<ModeCoefficients> Coefficients { get; }

    /// <summary>The nonlinear force kernel, or null.</summary>
    protected NonlinearKernel<T>? Kernel { get; }

    /// <summary>q^{n−1}, padded.</summary>
    protected T[] Previous { get; private set; }

    /// <summary>q^{n+1}, padded.</summary>
    protected T[] Next { get; private set; }

    /// <summary>Scratch for f_nl, padded.</summary>
    protected T[] NonlinearForce { get; }

    /// <summary>True when the nonlinearity is tension modulation, whose S = Σ λ q² the steps carry along.</summary>
    protected bool TensionModulated => Kernel is { IsTensionModulation: true };

    /// <inheritdoc />
    protected override void OnStart()
    {
        Kernel?.Evaluate(Q, NonlinearForce);
        for (int i = 0; i < Modes; i++)
        {
            var c = Coefficients[i];
            double q = double.CreateTruncating(Q[i]), v = double.CreateTruncating(V[i]);
            double drive = (Forced ? double.CreateTruncating(CurrentForce[i]) : 0)
                           - 0.5 * (Kernel is null ? 0 : double.CreateTruncating(NonlinearForce[i]));
            Next[i] = T.CreateTruncating(c.NextQ(q, v) + c.B1(_dt) * drive);
        }
        _stretch = TensionModulated ? Kernel!.Stretch(Q) : T.Zero;
        _stretchNext = TensionModulated ? Kernel!.Stretch(Next) : T.Zero;
        _velocityStale = false;     // frame 0 reports the given q̇⁰
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void OnAdvance()
    {
        (Previous, Q, Next) = (Q, Next, Previous);      // q^{n−1} ← q^n, q^n ← q^{n+1}; old q^{n−1} buffer is reused
        _stretch = _stretchNext;
        // q^{n+2} from q^n, q^{n+1} and the caller's f^{n+1}
        _stretchNext = Kernel is { IsTensionModulation: false }
            ? GeneralStep(Previous, Q, Next, NextForceBuffer)
            : Step(Previous, Q, Next, NextForceBuffer, _stretch);
        _velocityStale = true;
    }

    /// <summary>Computes q^{n+1} into <paramref name="next"/> from q^{n−1}, q^n and f^n (padded arrays) for a linear or
    /// tension-modulated system and returns S(q^{n+1}) = Σ λ (q^{n+1})² for tension modulation (otherwise zero).
    /// Implementations are one <see cref="Sweep{TRecursion}"/> with no calls around it (see <see cref="GeneralStep"/>).</summary>
    /// <param name="previous">q^{n−1}.</param>
    /// <param name="current">q^n.</param>
    /// <param name="next">q^{n+1} (output).</param>
    /// <param name="force">f^n (ignored unless forced).</param>
    /// <param name="stretch">S(q^n) for tension modulation, otherwise zero.</param>
    protected abstract T Step(T[] previous, T[] current, T[] next, T[] force, T stretch);

    /// <summary>As <see cref="Step"/> for any other nonlinearity (f_nl evaluated first), kept apart so that the
    /// tension-modulation kernel has no calls in it: with one, the JIT keeps its sums in memory.</summary>
    /// <param name="previous">q^{n−1}.</param>
    /// <param name="current">q^n.</param>
    /// <param name="next">q^{n+1} (output).</param>
    /// <param name="force">f^n (ignored unless forced).</param>
    protected virtual T GeneralStep(T[] previous, T[] current, T[] next, T[] force) =>
        throw new NotSupportedException($"{GetType().Name} handles linear and tension-modulated systems only");

    /// <inheritdoc />
    protected override void OnPickupSet()
    {
        var w = PickupWeights!;
        _pickup = Interleave(w, Weighted(_readAlpha), Weighted(_readBeta), Weighted(_readGamma));
        _block = null;
    }

    // w x per mode, padded.
    private T[] Weighted(T[] x)
    {
        var w = PickupWeights!;
        var r = NewPadded();
        for (int i = 0; i < Padded; i++) r[i] = w[i] * x[i];
        return r;
    }

    private const int BlockCoefficients = 8;
    private T[]? _block;     // the scheme's first four coefficients, then w, wα, wβ, wγ, interleaved at BlockWidth

    /// <summary>The block form of <see cref="OnAdvance"/> for a scheme written as an <see cref="IBlockRecursion"/> whose
    /// interleaved coefficients (<paramref name="coefficients"/>, <see cref="RecursionCoefficientsOf"/> layout, five per mode
    /// with λ in slot 3) are those of its <see cref="Step"/>; other nonlinearities go step by step.</summary>
    /// <remarks>One call steps the whole block with q^{n−1}, qⁿ, q^{n+1} and S as locals, the tension sum kept in every lane
    /// of a vector (a butterfly reduction, no broadcast) and the vectors as wide as the hardware runs them (see
    /// <see cref="ModalStepper{T}.BlockWidth"/>). Same per-mode operations as <see cref="Sweep{TRecursion}"/>; the sums over
    /// modes are grouped differently, so the two agree to round-off.</remarks>
    private protected void RenderRecursion<TScheme>(T[] coefficients, Span<T> displacement, Span<T> velocity, int oversample)
        where TScheme : struct, IBlockRecursion
    {
        if (Kernel is { IsTensionModulation: false })
        {
            base.OnRender(displacement, velocity, oversample);
            return;
        }
        int width = BlockWidth;
        _block ??= InterleaveFor(width, Deinterleave(coefficients, 5, 0), Deinterleave(coefficients, 5, 1), Deinterleave(coefficients, 5, 2),
            Deinterleave(coefficients, 5, 3), PickupWeights!, Weighted(_readAlpha), Weighted(_readBeta), Weighted(_readGamma));
        bool tension = TensionModulated, wantVelocity = !velocity.IsEmpty;
        if (width == Vector512<T>.Count && Vector512.IsHardwareAccelerated)
        {
            switch ((tension, wantVelocity))
            {
                case (true, true): RenderBlock<Lanes512<T>, Vector512<T>, TScheme, On, On>(displacement, velocity, oversample); break;
                case (true, false): RenderBlock<Lanes512<T>, Vector512<T>, TScheme, On, Off>(displacement, velocity, oversample); break;
                case (false, true): RenderBlock<Lanes512<T>, Vector512<T>, TScheme, Off, On>(displacement, velocity, oversample); break;
                default: RenderBlock<Lanes512<T>, Vector512<T>, TScheme, Off, Off>(displacement, velocity, oversample); break;
            }
        }
        else
        {
            switch ((tension, wantVelocity))
            {
                case (true, true): RenderBlock<LanesVector<T>, Vector<T>, TScheme, On, On>(displacement, velocity, oversample); break;
                case (true, false): RenderBlock<LanesVector<T>, Vector<T>, TScheme, On, Off>(displacement, velocity, oversample); break;
                case (false, true): RenderBlock<LanesVector<T>, Vector<T>, TScheme, Off, On>(displacement, velocity, oversample); break;
                default: RenderBlock<LanesVector<T>, Vector<T>, TScheme, Off, Off>(displacement, velocity, oversample); break;
            }
        }
    }

    // The sample loop: per frame, oversample steps, the last of which also accumulates the pickup read-outs of the frame it
    // enters. No calls inside, so the JIT keeps every running value in registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void RenderBlock<TLanes, TVector, TScheme, TTension, TVelocity>(Span<T> displacement, Span<T> velocity, int oversample)
        where TLanes : struct, ILanes<TVector, T> where TVector : struct where TScheme : struct, IBlockRecursion
        where TTension : struct, IFlag where TVelocity : struct, IFlag
    {
        T[] previous = Previous, current = Q, next = Next;
        ref T c = ref At(_block!);
        nuint length = (nuint)Padded;
        var s = TLanes.Create(_stretchNext);      // S of the newest frame computed (the look-ahead)
        var entered = TLanes.Create(_stretch);
        T y = T.Zero, z = T.Zero;
        for (int k = 0; k < displacement.Length; k++)
        {
            for (int j = 0; j < oversample; j++)
            {
                (previous, current, next) = (current, next, previous);
                entered = s;
                if (j + 1 < oversample)
                    s = Sweep<TLanes, TVector, TScheme, TTension, Off, Off>(ref At(previous), ref At(current), ref At(next), ref c, length, s, out _, out _);
                else
                    s = Sweep<TLanes, TVector, TScheme, TTension, On, TVelocity>(ref At(previous), ref At(current), ref At(next), ref c, length, s, out y, out z);
            }
            displacement[k] = y;
            if (TVelocity.Set) velocity[k] = z;
        }
        Previous = previous; Q = current; Next = next;
        _stretch = TTension.Set ? TLanes.First(entered) : T.Zero;
        _stretchNext = TTension.Set ? TLanes.First(s) : T.Zero;
        _velocityStale = true;
        ReportPickupDisplacement(y);
        if (TVelocity.Set) ReportPickupVelocity(z);
    }

    // One step of the block kernel: q^{n+1} into next from q^{n−1}, qⁿ and Sⁿ (in every lane of s); returns S^{n+1} in every
    // lane and, when TEmit, frame n's Σ w qⁿ (and, when TVelocity, Σ w q̇ⁿ). Two vectors per turn with separate partial sums.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Sweep<TLanes, TVector, TScheme, TTension, TEmit, TVelocity>(ref T p, ref T q, ref T n, ref T c, nuint length,
        TVector s, out T displacement, out T velocity)
        where TLanes : struct, ILanes<TVector, T> where TVector : struct where TScheme : struct, IBlockRecursion
        where TTension : struct, IFlag where TEmit : struct, IFlag where TVelocity : struct, IFlag
    {
        nuint width = (nuint)TLanes.Count, stride = BlockCoefficients * width;
        TVector zero = TLanes.Create(T.Zero), acc0 = zero, acc1 = zero, y0 = zero, y1 = zero, z0 = zero, z1 = zero;
        nuint i = 0, k = 0;
        for (; i + width < length; i += 2 * width, k += 2 * stride)
        {
            nuint j = i + width, l = k + stride;
            TVector p0 = TLanes.Load(ref p, i), q0 = TLanes.Load(ref q, i), p1 = TLanes.Load(ref p, j), q1 = TLanes.Load(ref q, j);
            var n0 = TScheme.Next<TLanes, TVector>(ref c, k, width, p0, q0, s);
            var n1 = TScheme.Next<TLanes, TVector>(ref c, l, width, p1, q1, s);
            TLanes.Store(n0, ref n, i);
            TLanes.Store(n1, ref n, j);
            if (TTension.Set)
            {
                acc0 = TLanes.MultiplyAdd(TLanes.Multiply(TLanes.Load(ref c, k + 3 * width), n0), n0, acc0);
                acc1 = TLanes.MultiplyAdd(TLanes.Multiply(TLanes.Load(ref c, l + 3 * width), n1), n1, acc1);
            }
            if (TEmit.Set)
            {
                y0 = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 4 * width), q0, y0);
                y1 = TLanes.MultiplyAdd(TLanes.Load(ref c, l + 4 * width), q1, y1);
                if (TVelocity.Set)
                {
                    // Σ w q̇ⁿ = Σ (wα) q^{n+1} − (wβ) q^{n−1} − (wγ) qⁿ
                    z0 = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 5 * width), n0, z0);
                    z1 = TLanes.MultiplyAdd(TLanes.Load(ref c, l + 5 * width), n1, z1);
                    z0 = TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, k + 6 * width), p0, z0);
                    z1 = TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, l + 6 * width), p1, z1);
                    z0 = TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, k + 7 * width), q0, z0);
                    z1 = TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, l + 7 * width), q1, z1);
                }
            }
        }
        if (i < length)      // an odd last vector
        {
            TVector p0 = TLanes.Load(ref p, i), q0 = TLanes.Load(ref q, i);
            var n0 = TScheme.Next<TLanes, TVector>(ref c, k, width, p0, q0, s);
            TLanes.Store(n0, ref n, i);
            if (TTension.Set) acc0 = TLanes.MultiplyAdd(TLanes.Multiply(TLanes.Load(ref c, k + 3 * width), n0), n0, acc0);
            if (TEmit.Set)
            {
                y0 = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 4 * width), q0, y0);
                if (TVelocity.Set)
                {
                    z0 = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 5 * width), n0, z0);
                    z0 = TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, k + 6 * width), p0, z0);
                    z0 = TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, k + 7 * width), q0, z0);
                }
            }
        }
        displacement = TEmit.Set ? TLanes.Sum(TLanes.Add(y0, y1)) : T.Zero;
        velocity = TEmit.Set && TVelocity.Set ? TLanes.Sum(TLanes.Add(z0, z1)) : T.Zero;
        return TTension.Set ? TLanes.AllSum(TLanes.Add(acc0, acc1)) : zero;
    }

    /// <summary>A two-step scheme's update of one SIMD vector of modes for the block kernel, at any vector width.</summary>
    private protected interface IBlockRecursion
    {
        /// <summary>q^{n+1} from q^{n−1}, qⁿ and Sⁿ (every lane); <paramref name="c"/>[k + j·width] holds coefficient j
        /// (j &lt; 3: the scheme's first three coefficients of <see cref="RecursionCoefficientsOf"/> layout) of these modes.</summary>
        static abstract TVector Next<TLanes, TVector>(ref T c, nuint k, nuint width, TVector previous, TVector current, TVector stretch)
            where TLanes : struct, ILanes<TVector, T> where TVector : struct;
    }

    /// <summary>The linear or tension-modulated recursion (α − g S) qⁿ + β q^{n−1} of <see cref="RecursionStep"/>, for
    /// <see cref="RenderRecursion{TScheme}"/>.</summary>
    private protected readonly struct LinearBlockRecursion : IBlockRecursion
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Next<TLanes, TVector>(ref T c, nuint k, nuint width, TVector previous, TVector current, TVector stretch)
            where TLanes : struct, ILanes<TVector, T> where TVector : struct =>
            TLanes.MultiplyAdd(TLanes.NegatedMultiplyAdd(TLanes.Load(ref c, k + 2 * width), stretch, TLanes.Load(ref c, k)), current,
                TLanes.Multiply(TLanes.Load(ref c, k + width), previous));
    }

    /// <summary>A two-step scheme's update of one SIMD vector of modes, for <see cref="Sweep{TRecursion}"/>: its per-mode
    /// coefficients are interleaved vector by vector (see <see cref="ModalStepper{T}.Interleave"/>) with λ in slot 3.</summary>
    protected interface IRecursion
    {
        /// <summary>Number of interleaved coefficients per mode.</summary>
        static abstract int Coefficients { get; }

        /// <summary>q^{n+1} from q^{n−1}, qⁿ, fⁿ and S(qⁿ); <paramref name="c"/>[k + j·W] is coefficient j of these modes.</summary>
        static abstract Vector<T> Next(ref T c, nuint k, Vector<T> previous, Vector<T> current, Vector<T> force, Vector<T> stretch, bool forced);
    }

    /// <summary>One step of a two-step scheme in one pass: q^{n+1} into <paramref name="next"/>, and on the way S(q^{n+1})
    /// (returned for tension modulation, else zero) and the pickup read-outs of frame n, Σ w qⁿ and (once asked for)
    /// Σ w q̇ⁿ with the velocity read-out of this class.</summary>
    /// <param name="previous">q^{n−1}.</param>
    /// <param name="current">qⁿ.</param>
    /// <param name="next">q^{n+1} (output).</param>
    /// <param name="force">fⁿ (ignored unless forced).</param>
    /// <param name="stretch">S(qⁿ) for tension modulation, otherwise zero.</param>
    /// <param name="coefficients">The scheme's interleaved coefficients.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected T Sweep<TRecursion>(T[] previous, T[] current, T[] next, T[] force, T stretch, T[] coefficients)
        where TRecursion : struct, IRecursion
    {
        ref T p = ref At(previous), q = ref At(current), n = ref At(next), f = ref At(force), c = ref At(coefficients);
        ref T w = ref At(_pickup ?? current);
        bool forced = Forced, pickup = _pickup is not null, velocity = pickup && PickupVelocityWanted;
        nuint width = (nuint)Vector<T>.Count, length = (nuint)Padded, k = (nuint)TRecursion.Coefficients;
        var s = new Vector<T>(stretch);
        // S(q^{n+1}) gates the next step: four partial sums, two per turn in rotation, keep its dependency chains short
        Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero, acc2 = Vector<T>.Zero, acc3 = Vector<T>.Zero;
        Vector<T> y0 = Vector<T>.Zero, y1 = Vector<T>.Zero, z0 = Vector<T>.Zero, z1 = Vector<T>.Zero;
        for (nuint i = 0; i < length; i += 2 * width)      // two vectors per turn
        {
            nuint j = i + width;
            Vector<T> p0 = Vector.LoadUnsafe(ref p, i), q0 = Vector.LoadUnsafe(ref q, i), p1 = Vector.LoadUnsafe(ref p, j), q1 = Vector.LoadUnsafe(ref q, j);
            var n0 = TRecursion.Next(ref c, i * k, p0, q0, forced ? Vector.LoadUnsafe(ref f, i) : default, s, forced);
            var n1 = TRecursion.Next(ref c, j * k, p1, q1, forced ? Vector.LoadUnsafe(ref f, j) : default, s, forced);
            n0.StoreUnsafe(ref n, i);
            n1.StoreUnsafe(ref n, j);
            var sum0 = MulAdd(Vector.LoadUnsafe(ref c, i * k + 3 * width) * n0, n0, acc0);
            var sum1 = MulAdd(Vector.LoadUnsafe(ref c, j * k + 3 * width) * n1, n1, acc1);
            (acc0, acc1, acc2, acc3) = (acc2, acc3, sum0, sum1);
            if (pickup)
            {
                y0 = MulAdd(Vector.LoadUnsafe(ref w, i * PickupCoefficients), q0, y0);
                y1 = MulAdd(Vector.LoadUnsafe(ref w, j * PickupCoefficients), q1, y1);
            }
            if (velocity)
            {
                // Σ w q̇ⁿ = Σ (wα) q^{n+1} − (wβ) q^{n−1} − (wγ) qⁿ
                z0 = MulAdd(Vector.LoadUnsafe(ref w, i * PickupCoefficients + width), n0, z0);
                z1 = MulAdd(Vector.LoadUnsafe(ref w, j * PickupCoefficients + width), n1, z1);
                z0 = MulAdd(-Vector.LoadUnsafe(ref w, i * PickupCoefficients + 2 * width), p0, z0);
                z1 = MulAdd(-Vector.LoadUnsafe(ref w, j * PickupCoefficients + 2 * width), p1, z1);
                z0 = MulAdd(-Vector.LoadUnsafe(ref w, i * PickupCoefficients + 3 * width), q0, z0);
                z1 = MulAdd(-Vector.LoadUnsafe(ref w, j * PickupCoefficients + 3 * width), q1, z1);
            }
        }
        if (pickup) ReportPickupDisplacement(Vector.Sum(y0 + y1));
        if (velocity) ReportPickupVelocity(Vector.Sum(z0 + z1));
        return TensionModulated ? Vector.Sum((acc0 + acc1) + (acc2 + acc3)) : T.Zero;
    }

    /// <summary>Interleaved coefficients for <see cref="RecursionStep"/> from per-mode α, β and b (pad modes get zero).</summary>
    protected T[] RecursionCoefficientsOf(Func<int, double> alpha, Func<int, double> beta, Func<int, double> b)
    {
        double c = (System.Nonlinearity as TensionModulation)?.Coefficient ?? 0;
        var lambda = TensionModulated ? Kernel!.Lambda : NewPadded();
        return Interleave(Pad(alpha), Pad(beta), Pad(i => b(i) * c * System.Lambda[i]), lambda, Pad(b));
    }

    /// <summary>q^{n+1} = (α − g S) qⁿ + β q^{n−1} + b fⁿ for a linear or tension-modulated system into
    /// <paramref name="next"/> (a <see cref="Sweep{TRecursion}"/>).</summary>
    /// <param name="previous">q^{n−1}.</param>
    /// <param name="current">qⁿ.</param>
    /// <param name="next">q^{n+1} (output).</param>
    /// <param name="force">fⁿ (ignored unless forced).</param>
    /// <param name="stretch">S(qⁿ) for tension modulation, otherwise zero.</param>
    /// <param name="coefficients">From <see cref="RecursionCoefficientsOf"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected T RecursionStep(T[] previous, T[] current, T[] next, T[] force, T stretch, T[] coefficients) =>
        Sweep<LinearRecursion>(previous, current, next, force, stretch, coefficients);

    // Linear or tension-modulated: (α − g S) qⁿ + β q^{n−1} (+ b fⁿ); coefficients α, β, g, λ, b.
    private readonly struct LinearRecursion : IRecursion
    {
        public static int Coefficients => 5;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Next(ref T c, nuint k, Vector<T> previous, Vector<T> current, Vector<T> force, Vector<T> stretch, bool forced)
        {
            nuint width = (nuint)Vector<T>.Count;
            var n = MulAdd(MulAdd(-Vector.LoadUnsafe(ref c, k + 2 * width), stretch, Vector.LoadUnsafe(ref c, k)), current,
                           Vector.LoadUnsafe(ref c, k + width) * previous);
            return forced ? MulAdd(Vector.LoadUnsafe(ref c, k + 4 * width), force, n) : n;
        }
    }

    /// <summary>q^{n+1} = α qⁿ + β q^{n−1} + b (fⁿ − f_nl(qⁿ)) for any nonlinearity, f_nl evaluated into
    /// <see cref="NonlinearForce"/> first.</summary>
    /// <param name="previous">q^{n−1}.</param>
    /// <param name="current">qⁿ.</param>
    /// <param name="next">q^{n+1} (output).</param>
    /// <param name="force">fⁿ (ignored unless forced).</param>
    /// <param name="coefficients">From <see cref="RecursionCoefficientsOf"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected T GeneralRecursionStep(T[] previous, T[] current, T[] next, T[] force, T[] coefficients)
    {
        Kernel!.Evaluate(current, NonlinearForce);
        ref T p = ref At(previous), q = ref At(current), n = ref At(next), f = ref At(force), c = ref At(coefficients), nl = ref At(NonlinearForce);
        bool forced = Forced;
        nuint width = (nuint)Vector<T>.Count;
        for (nuint i = 0, length = (nuint)Padded; i < length; i += width)
        {
            nuint k = i * (nuint)LinearRecursion.Coefficients;
            var b = Vector.LoadUnsafe(ref c, k + 4 * width);
            var ni = MulAdd(Vector.LoadUnsafe(ref c, k), Vector.LoadUnsafe(ref q, i), Vector.LoadUnsafe(ref c, k + width) * Vector.LoadUnsafe(ref p, i));
            ni = MulAdd(-b, Vector.LoadUnsafe(ref nl, i), ni);
            if (forced) ni = MulAdd(b, Vector.LoadUnsafe(ref f, i), ni);
            ni.StoreUnsafe(ref n, i);
        }
        return T.Zero;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void EnsureVelocity()
    {
        if (!_velocityStale) return;
        ref T v = ref At(V), q = ref At(Q), p = ref At(Previous), n = ref At(Next), c = ref At(_readout);
        for (nuint i = 0, length = (nuint)Padded; i < length; i += (nuint)Vector<T>.Count)
            Readout(ref c, ref p, ref q, ref n, i).StoreUnsafe(ref v, i);
        _velocityStale = false;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override T ReadPickupVelocity(T[] weights)
    {
        if (!_velocityStale) return base.ReadPickupVelocity(weights);
        // the read-out fused with the dot product: q̇ⁿ itself is not stored
        ref T w = ref At(weights), q = ref At(Q), p = ref At(Previous), n = ref At(Next), c = ref At(_readout);
        var velocity = Vector<T>.Zero;
        for (nuint i = 0, length = (nuint)Padded; i < length; i += (nuint)Vector<T>.Count)
            velocity = MulAdd(Readout(ref c, ref p, ref q, ref n, i), Vector.LoadUnsafe(ref w, i), velocity);
        return Vector.Sum(velocity);
    }

    // q̇ⁿ = α q^{n+1} − β q^{n−1} − γ qⁿ for the vector of modes starting at i.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Readout(ref T c, ref T p, ref T q, ref T n, nuint i)
    {
        nuint k = i * ReadoutCoefficients, width = (nuint)Vector<T>.Count;
        var v = MulAdd(Vector.LoadUnsafe(ref c, k), Vector.LoadUnsafe(ref n, i), -(Vector.LoadUnsafe(ref c, k + width) * Vector.LoadUnsafe(ref p, i)));
        return MulAdd(-Vector.LoadUnsafe(ref c, k + 2 * width), Vector.LoadUnsafe(ref q, i), v);
    }

    /// <summary>The system being integrated.</summary>
    protected ModalSystem System => _system;

    /// <summary>The time step.</summary>
    protected double TimeStep => _dt;

    /// <summary>Whether the velocity read-out is the exact linear one.</summary>
    protected bool ExactReadout => _exactReadout;
}
