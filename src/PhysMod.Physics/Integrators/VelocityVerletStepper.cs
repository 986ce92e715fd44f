using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>Damped velocity Verlet (the neural-ODE step of the tutorial, spec §1.5b).</summary>
/// <remarks>
/// v½ = v + ½Δt(−γ₂ v + a), q⁺ = q + Δt v½, a⁺ = −ω² q⁺ − f_nl(q⁺) + f⁺, v⁺ = (v½ + ½Δt a⁺)/(1 + γ₂Δt/2),
/// with a = −ω² q − f_nl(q) + f. One pass over the modes per step and one force evaluation: the pass finishes frame n
/// (aⁿ, q̇ⁿ) and goes on to u = Δt v^{n+½} = A u⁻ + B aⁿ, q^{n+1} = qⁿ + u and, for tension modulation,
/// S(q^{n+1}) = Σ λ (q^{n+1})², where A = (1 − ½γ₂Δt) g, B = ½Δt² ((1 − ½γ₂Δt) g + 1), g = 1/(1 + γ₂Δt/2), from
/// q̇ⁿ = g (v^{n−½} + ½Δt aⁿ). q̇ⁿ itself is computed only when it is read.
/// </remarks>
public sealed class VelocityVerletStepper<T> : ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int StepCoefficients = 5, ReadoutCoefficients = 4;
    private readonly T[] _step;          // A, −B c λ, −B ω², λ, B interleaved (c = 0 unless tension-modulated)
    private readonly T[] _readout;       // g/Δt, ½Δt g, ω², c λ interleaved: q̇ⁿ = (g/Δt) u + ½Δt g aⁿ
    private readonly T[] _u, _nl;        // u = Δt v^{n−½}; f_nl scratch
    private readonly double[] _gain;
    private readonly double _dt;
    private readonly NonlinearKernel<T>? _kernel;
    private T _stretch;                  // S(qⁿ) = Σ λ (qⁿ)² for tension modulation
    private bool _velocityStale;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public VelocityVerletStepper(ModalSystem system, double dt, bool forced) : base(system.Modes, forced)
    {
        _dt = dt;
        _kernel = NonlinearKernel<T>.Create(system.Nonlinearity, Padded);
        double c = (system.Nonlinearity as TensionModulation)?.Coefficient ?? 0;
        double Gain(int i) => 1 / (1 + system.Gamma2[i] * dt / 2);
        double A(int i) => (1 - system.Gamma2[i] * dt / 2) * Gain(i);
        double B(int i) => dt * dt / 2 * (A(i) + 1);
        var lambda = TensionModulated ? _kernel!.Lambda : NewPadded();
        _step = Interleave(Pad(A), Pad(i => -B(i) * c * system.Lambda[i]), Pad(i => -B(i) * system.Omega2[i]), lambda, Pad(B));
        _readout = Interleave(Pad(i => Gain(i) / dt), Pad(i => dt / 2 * Gain(i)), Pad(system.Omega2), Pad(i => c * system.Lambda[i]));
        _u = NewPadded(); _nl = NewPadded();
        _gain = Enumerable.Range(0, system.Modes).Select(Gain).ToArray();
    }

    private bool TensionModulated => _kernel is { IsTensionModulation: true };

    /// <inheritdoc />
    protected override void OnStart()
    {
        _stretch = TensionModulated ? _kernel!.Stretch(Q) : T.Zero;
        // u = Δt v^{−½} chosen so that frame 0 finishes with the given q̇⁰ = g (v^{−½} + ½Δt a⁰)
        var a = NewPadded();
        Acceleration(a);
        for (int i = 0; i < Modes; i++)
            _u[i] = T.CreateTruncating(_dt * (double.CreateTruncating(V[i]) / _gain[i] - _dt / 2 * double.CreateTruncating(a[i])));
        _velocityStale = false;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void OnAdvance()
    {
        bool general = _kernel is { IsTensionModulation: false };
        if (general) _kernel!.Evaluate(Q, _nl);
        _stretch = Sweep(general);
        _velocityStale = true;
    }

    // The step's one pass, in a method with no calls in it (with one, the JIT keeps the sums in memory); returns S(q^{n+1}).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private T Sweep(bool general)
    {
        ref T q = ref At(Q), u = ref At(_u), f = ref At(CurrentForce), c = ref At(_step), nl = ref At(_nl);
        bool forced = Forced;
        nuint width = (nuint)Vector<T>.Count, length = (nuint)Padded;
        var s = new Vector<T>(_stretch);
        // four partial sums for S(q^{n+1}), two per turn in rotation: short dependency chains, as S gates the next step
        Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero, acc2 = Vector<T>.Zero, acc3 = Vector<T>.Zero;
        for (nuint i = 0; i < length; i += 2 * width)
        {
            var q0 = Update(ref c, ref q, ref u, ref f, ref nl, i, s, forced, general);
            var q1 = Update(ref c, ref q, ref u, ref f, ref nl, i + width, s, forced, general);
            var next0 = MulAdd(Vector.LoadUnsafe(ref c, i * StepCoefficients + 3 * width) * q0, q0, acc0);
            var next1 = MulAdd(Vector.LoadUnsafe(ref c, (i + width) * StepCoefficients + 3 * width) * q1, q1, acc1);
            (acc0, acc1, acc2, acc3) = (acc2, acc3, next0, next1);
        }
        return TensionModulated ? Vector.Sum((acc0 + acc1) + (acc2 + acc3)) : T.Zero;
    }

    // u = A u⁻ + B aⁿ = A u⁻ − (B ω² + B c λ Sⁿ) qⁿ − B f_nl + B fⁿ and q^{n+1} = qⁿ + u for the vector of modes starting at i.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Update(ref T c, ref T q, ref T u, ref T f, ref T nl, nuint i, Vector<T> s, bool forced, bool general)
    {
        nuint k = i * StepCoefficients, width = (nuint)Vector<T>.Count;
        var qi = Vector.LoadUnsafe(ref q, i);
        var negativeStiffness = MulAdd(Vector.LoadUnsafe(ref c, k + width), s, Vector.LoadUnsafe(ref c, k + 2 * width));
        var ui = MulAdd(negativeStiffness, qi, Vector.LoadUnsafe(ref c, k) * Vector.LoadUnsafe(ref u, i));
        if (general) ui = MulAdd(-Vector.LoadUnsafe(ref c, k + 4 * width), Vector.LoadUnsafe(ref nl, i), ui);
        if (forced) ui = MulAdd(Vector.LoadUnsafe(ref c, k + 4 * width), Vector.LoadUnsafe(ref f, i), ui);
        ui.StoreUnsafe(ref u, i);
        var next = qi + ui;
        next.StoreUnsafe(ref q, i);
        return next;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void EnsureVelocity()
    {
        if (!_velocityStale) return;
        Acceleration(V);
        ref T u = ref At(_u), v = ref At(V), c = ref At(_readout);
        nuint width = (nuint)Vector<T>.Count;
        for (nuint i = 0, length = (nuint)Padded; i < length; i += width)
        {
            nuint k = i * ReadoutCoefficients;
            MulAdd(Vector.LoadUnsafe(ref c, k), Vector.LoadUnsafe(ref u, i), Vector.LoadUnsafe(ref c, k + width) * Vector.LoadUnsafe(ref v, i)).StoreUnsafe(ref v, i);
        }
        _velocityStale = false;
    }

    /// <inheritdoc />
    protected override void OnPickupSet() => _block = null;

    private const int BlockCoefficients = 8;
    private T[]? _block;     // A, −B c λ, −B ω², λ, then w, w g/Δt, −w ½Δt g ω², −w ½Δt g c λ, interleaved at BlockWidth

    /// <summary>The block form of <see cref="OnAdvance"/> (linear or tension-modulated systems; others go step by step):
    /// the state and S stay in locals, S in every lane of a vector, and the pickup read-outs of the frame entered are
    /// accumulated in the same pass: Σ w q̇ⁿ = Σ (w g/Δt) u − Σ (w ½Δt g ω²) qⁿ − Sⁿ Σ (w ½Δt g c λ) qⁿ (the read-out of
    /// <see cref="EnsureVelocity"/> with aⁿ = −(ω² + c λ Sⁿ) qⁿ, summed in another order).</summary>
    protected override void OnRender(Span<T> displacement, Span<T> velocity, int oversample)
    {
        if (_kernel is { IsTensionModulation: false })
        {
            base.OnRender(displacement, velocity, oversample);
            return;
        }
        int width = BlockWidth;
        if (_block is null)
        {
            T[] Step(int j) => Deinterleave(_step, StepCoefficients, j);
            T[] Read(int j) => Deinterleave(_readout, ReadoutCoefficients, j);
            var w = PickupWeights!;
            T[] gainOverDt = Read(0), halfDtGain = Read(1), omega2 = Read(2), tension = Read(3);
            T[] weighted(Func<int, T> f) { var r = NewPadded(); for (int i = 0; i < Padded; i++) r[i] = f(i); return r; }
            _block = InterleaveFor(width, Step(0), Step(1), Step(2), Step(3), w, weighted(i => w[i] * gainOverDt[i]),
                weighted(i => -(w[i] * halfDtGain[i] * omega2[i])), weighted(i => -(w[i] * halfDtGain[i] * tension[i])));
        }
        bool tensionModulated = TensionModulated, wantVelocity = !velocity.IsEmpty;
        if (width == Vector512<T>.Count && Vector512.IsHardwareAccelerated)
        {
            switch ((tensionModulated, wantVelocity))
            {
                case (true, true): RenderBlock<Lanes512<T>, Vector512<T>, On, On>(displacement, velocity, oversample); break;
                case (true, false): RenderBlock<Lanes512<T>, Vector512<T>, On, Off>(displacement, velocity, oversample); break;
                case (false, true): RenderBlock<Lanes512<T>, Vector512<T>, Off, On>(displacement, velocity, oversample); break;
                default: RenderBlock<Lanes512<T>, Vector512<T>, Off, Off>(displacement, velocity, oversample); break;
            }
        }
        else
        {
            switch ((tensionModulated, wantVelocity))
            {
                case (true, true): RenderBlock<LanesVector<T>, Vector<T>, On, On>(displacement, velocity, oversample); break;
                case (true, false): RenderBlock<LanesVector<T>, Vector<T>, On, Off>(displacement, velocity, oversample); break;
                case (false, true): RenderBlock<LanesVector<T>, Vector<T>, Off, On>(displacement, velocity, oversample); break;
                default: RenderBlock<LanesVector<T>, Vector<T>, Off, Off>(displacement, velocity, oversample); break;
            }
        }
    }

    // The sample loop: oversample steps per frame, the last accumulating the frame's pickup read-outs; no calls inside.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private void RenderBlock<TLanes, TVector, TTension, TVelocity>(Span<T> displacement, Span<T> velocity, int oversample)
        where TLanes : struct, ILanes<TVector, T> where TVector : struct where TTension : struct, IFlag where TVelocity : struct, IFlag
    {
        ref T q = ref At(Q), u = ref At(_u), c = ref At(_block!);
        nuint length = (nuint)Padded;
        var s = TLanes.Create(_stretch);
        T y = T.Zero, z = T.Zero;
        for (int k = 0; k < displacement.Length; k++)
        {
            for (int j = 1; j < oversample; j++) s = Sweep<TLanes, TVector, TTension, Off, Off>(ref q, ref u, ref c, length, s, out _, out _);
            s = Sweep<TLanes, TVector, TTension, On, TVelocity>(ref q, ref u, ref c, length, s, out y, out z);
            displacement[k] = y;
            if (TVelocity.Set) velocity[k] = z;
        }
        _stretch = TTension.Set ? TLanes.First(s) : T.Zero;
        _velocityStale = true;
        ReportPickupDisplacement(y);
        if (TVelocity.Set) ReportPickupVelocity(z);
    }

    // One step of the block kernel (Update for two vectors per turn, then any odd last vector); returns S^{n+1} in every lane
    // and, when TEmit, the pickup read-outs of frame n+1.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Sweep<TLanes, TVector, TTension, TEmit, TVelocity>(ref T q, ref T u, ref T c, nuint length, TVector s,
        out T displacement, out T velocity)
        where TLanes : struct, ILanes<TVector, T> where TVector : struct
        where TTension : struct, IFlag where TEmit : struct, IFlag where TVelocity : struct, IFlag
    {
        nuint width = (nuint)TLanes.Count, stride = BlockCoefficients * width;
        TVector zero = TLanes.Create(T.Zero), acc0 = zero, acc1 = zero, y = zero, za = zero, zb = zero, zc = zero;
        nuint i = 0, k = 0;
        for (; i < length; i += width, k += stride)
        {
            var qi = TLanes.Load(ref q, i);
            var negativeStiffness = TTension.Set ? TLanes.MultiplyAdd(TLanes.Load(ref c, k + width), s, TLanes.Load(ref c, k + 2 * width))
                : TLanes.Load(ref c, k + 2 * width);
            var ui = TLanes.MultiplyAdd(negativeStiffness, qi, TLanes.Multiply(TLanes.Load(ref c, k), TLanes.Load(ref u, i)));
            TLanes.Store(ui, ref u, i);
            var next = TLanes.Add(qi, ui);
            TLanes.Store(next, ref q, i);
            if (TTension.Set)
            {
                (acc0, acc1) = (acc1, TLanes.MultiplyAdd(TLanes.Multiply(TLanes.Load(ref c, k + 3 * width), next), next, acc0));
            }
            if (TEmit.Set)
            {
                y = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 4 * width), next, y);
                if (TVelocity.Set)
                {
                    za = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 5 * width), ui, za);
                    zb = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 6 * width), next, zb);
                    zc = TLanes.MultiplyAdd(TLanes.Load(ref c, k + 7 * width), next, zc);
                }
            }
        }
        var stretch = TTension.Set ? TLanes.AllSum(TLanes.Add(acc0, acc1)) : zero;
        displacement = TEmit.Set ? TLanes.Sum(y) : T.Zero;
        velocity = TEmit.Set && TVelocity.Set
            ? TLanes.Sum(TLanes.Add(za, zb)) + TLanes.First(stretch) * TLanes.Sum(zc)
            : T.Zero;
        return stretch;
    }

    // aⁿ = fⁿ − ω² qⁿ − f_nl(qⁿ) into a (padded).
    private void Acceleration(T[] a)
    {
        bool general = _kernel is { IsTensionModulation: false }, forced = Forced;
        if (general) _kernel!.Evaluate(Q, _nl);
        ref T q = ref At(Q), f = ref At(CurrentForce), c = ref At(_readout), nl = ref At(_nl), r = ref At(a);
        var s = new Vector<T>(_stretch);
        nuint width = (nuint)Vector<T>.Count;
        for (nuint i = 0, length = (nuint)Padded; i < length; i += width)
        {
            nuint k = i * ReadoutCoefficients;
            var stiffness = MulAdd(Vector.LoadUnsafe(ref c, k + 3 * width), s, Vector.LoadUnsafe(ref c, k + 2 * width));   // ω² + c λ S
            var ai = -stiffness * Vector.LoadUnsafe(ref q, i);
            if (general) ai -= Vector.LoadUnsafe(ref nl, i);
            if (forced) ai += Vector.LoadUnsafe(ref f, i);
            ai.StoreUnsafe(ref r, i);
        }
    }
}
