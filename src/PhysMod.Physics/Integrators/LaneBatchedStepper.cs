using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>The conservative or impulse-invariant two-step scheme for <see cref="Lanes"/> unforced trajectories of one
/// modal system at once, one trajectory per SIMD lane (double precision).</summary>
/// <remarks>
/// Layout (modes, lanes): element i·L + l of a state array is mode i of trajectory l (L = <see cref="Lanes"/>), so one
/// <see cref="Vector512{T}"/> holds the same mode of every trajectory and the per-mode coefficients are broadcast scalars.
/// Per lane, with Sⁿ = Σ λ (qⁿ)² kept as a vector of per-lane sums (no horizontal reductions):
///   conservative:       q^{n+1} = (a1 qⁿ − (r² + m Sⁿ) q^{n−1}) / (1 + m Sⁿ)   (see <see cref="ConservativeStepper{T}"/>),
///   impulse-invariant:  q^{n+1} = (a1 − g Sⁿ) qⁿ − r² q^{n−1}                  (see <see cref="ImpulseInvariantStepper{T}"/>).
/// Start-up q¹ = exact free step of (q⁰, q̇⁰) − ½ b1 f_nl(q⁰), and the exact read-out q̇ⁿ = α q^{n+1} − β q^{n−1} − γ qⁿ
/// (α = 1/(2 r S), β = r/(2S)), as in <see cref="TwoStepStepper{T}"/>; the stepper runs one step ahead. Every operation is
/// elementwise across lanes, so a trajectory's result does not depend on which others share its lanes (zero lanes stay
/// zero). The coefficients are those of the single-trajectory steppers; the order of the sums over modes (S and the
/// pickup) and the rounding of the conservative update differ, by round-off.
/// </remarks>
public sealed class LaneBatchedStepper
{
    /// <summary>Trajectories stepped together (lanes of a <see cref="Vector512{T}"/> of doubles).</summary>
    public const int Lanes = 8;

    // per mode: a1, −r² (or a2), m (or −g), λ (tension sum), w, wα, wβ, wγ (pickup), α, β, γ (read-out)
    private const int K = 11;
    private readonly double[] _coefficients;
    private readonly ModeCoefficients[] _modes;
    private readonly double[] _lambda, _pickup;
    private readonly double _tension, _dt;
    private readonly bool _conservative, _tensionModulated;
    private readonly int _count;               // modes rounded up to even (two per loop turn; pad modes are inert)
    private readonly double[] _states;          // three time levels of (modes, lanes), each a whole number of cache lines
    private int _previous, _current, _next;     // their offsets in _states, rotated each step (integers: no write barriers)
    private Vector512<double> _stretch, _stretchNext;

    /// <summary>True when the batched path reproduces <paramref name="integrator"/> on <paramref name="system"/> without force.</summary>
    public static bool Supports(Integrator integrator, ModalSystem system) =>
        (integrator == Integrator.Conservative || integrator == Integrator.ImpulseInvariant)
        && system.Nonlinearity is null or TensionModulation;

    /// <summary>Creates the stepper; <paramref name="pickupWeights"/> (shape (modes)) gives the pickup read-out w.</summary>
    public LaneBatchedStepper(ModalSystem system, double dt, Integrator integrator, ReadOnlySpan<double> pickupWeights)
    {
        if (!Supports(integrator, system))
            throw new NotSupportedException($"lane-batched stepping handles conservative and impulse-invariant on linear or tension-modulated systems, not {integrator.Name}");
        if (pickupWeights.Length != system.Modes) throw new ArgumentException($"{pickupWeights.Length} pickup weights for {system.Modes} modes", nameof(pickupWeights));
        Modes = system.Modes; _dt = dt;
        _count = (Modes + 1) / 2 * 2;
        _conservative = integrator == Integrator.Conservative;
        var tm = system.Nonlinearity as TensionModulation;
        _tensionModulated = tm is not null;
        _tension = tm?.Coefficient ?? 0;
        _modes = new ModeCoefficients[Modes];
        _lambda = new double[Modes];
        _pickup = pickupWeights.ToArray();
        _coefficients = AlignedArrays.New<double>(_count * K);
        for (int i = 0; i < Modes; i++)
        {
            var c = _modes[i] = ModeCoefficients.Of(system.Omega2[i], system.Gamma2[i], dt);
            _lambda[i] = tm is null ? 0 : tm.Lambda[i];
            double a1 = c.A1, second, nonlinear;
            if (_conservative)
            {
                // the expressions of ConservativeStepper, so that the coefficients agree to the bit (m here, −m there)
                second = -c.R * c.R;
                nonlinear = c.ConservativeTensionGain(system.Omega2[i], system.Lambda[i], _tension);
            }
            else
            {
                second = c.A2;
                nonlinear = -(c.B1(dt) * _tension * system.Lambda[i]);
            }
            double alpha = 0.5 / (c.R * c.S), beta = 0.5 * c.R / c.S, w = pickupWeights[i];
            double[] row = [a1, second, nonlinear, _lambda[i], w, w * alpha, w * beta, w * c.Gamma, alpha, beta, c.Gamma];
            row.CopyTo(_coefficients.AsSpan(i * K, K));
        }
        _states = AlignedArrays.New<double>(3 * _count * Lanes);
        (_previous, _current, _next) = (0, _count * Lanes, 2 * _count * Lanes);
    }

    /// <summary>Number of modes.</summary>
    public int Modes { get; }

    /// <summary>qⁿ of the current frame. Shape: (modes, lanes).</summary>
    public ReadOnlySpan<double> Displacement => _states.AsSpan(_current, Modes * Lanes);

    /// <summary>Sets frame 0 from q⁰ and q̇⁰, shapes (modes, lanes); returns the pickup displacement Σ w q⁰ and velocity
    /// Σ w q̇⁰ per lane.</summary>
    public (Vector512<double> Displacement, Vector512<double> Velocity) Start(ReadOnlySpan<double> q0, ReadOnlySpan<double> v0)
    {
        int size = Modes * Lanes;
        if (q0.Length != size || v0.Length != size) throw new ArgumentException($"initial states must have shape ({Modes}, {Lanes})");
        Array.Clear(_states);
        q0.CopyTo(_states.AsSpan(_current));
        var following = _states.AsSpan(_next, size);
        Span<double> s0 = stackalloc double[Lanes], s1 = stackalloc double[Lanes], y = stackalloc double[Lanes], z = stackalloc double[Lanes];
        for (int l = 0; l < Lanes; l++)
        {
            double stretch = 0;
            for (int i = 0; i < Modes; i++) stretch += _lambda[i] * q0[i * Lanes + l] * q0[i * Lanes + l];
            double cs = _tension * stretch, next = 0, displacement = 0, velocity = 0;
            for (int i = 0; i < Modes; i++)
            {
                double q = q0[i * Lanes + l], v = v0[i * Lanes + l];
                double drive = _tensionModulated ? -(0.5 * (cs * _lambda[i] * q)) : 0;
                following[i * Lanes + l] = _modes[i].NextQ(q, v) + _modes[i].B1(_dt) * drive;
                next += _lambda[i] * following[i * Lanes + l] * following[i * Lanes + l];
                displacement += _pickup[i] * q; velocity += _pickup[i] * v;
            }
            s0[l] = _tensionModulated ? stretch : 0; s1[l] = _tensionModulated ? next : 0;
            y[l] = displacement; z[l] = velocity;
        }
        _stretch = Vector512.Create<double>(s0); _stretchNext = Vector512.Create<double>(s1);
        return (Vector512.Create<double>(y), Vector512.Create<double>(z));
    }

    /// <summary>Moves to frame n+1 (computing q^{n+2} for the look-ahead) and returns that frame's pickup displacement and
    /// velocity per lane, accumulated in the same pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (Vector512<double> Displacement, Vector512<double> Velocity) Advance()
    {
        (_previous, _current, _next) = (_current, _next, _previous);      // q^{n−1} ← qⁿ, qⁿ ← q^{n+1}; reuse the old q^{n−1}
        _stretch = _stretchNext;
        return _conservative ? Sweep<Conservative>() : Sweep<ImpulseInvariant>();
    }

    /// <summary>Writes the exact velocity read-out q̇ⁿ of the current frame (after at least one <see cref="Advance"/>).
    /// Shape: (modes, lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Velocity(Span<double> velocity)
    {
        if (velocity.Length < Modes * Lanes) throw new ArgumentException($"velocity needs shape ({Modes}, {Lanes})", nameof(velocity));
        ref double c = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref double states = ref MemoryMarshal.GetArrayDataReference(_states), v = ref MemoryMarshal.GetReference(velocity);
        ref double p = ref Unsafe.Add(ref states, _previous), q = ref Unsafe.Add(ref states, _current), n = ref Unsafe.Add(ref states, _next);
        for (int i = 0; i < Modes; i++)
        {
            nuint at = (nuint)(i * Lanes), k = (nuint)(i * K);
            // the read-out of TwoStepStepper: α q^{n+1} − β q^{n−1}, then − γ qⁿ
            var r = Vector512.MultiplyAddEstimate(Broadcast(ref c, k + 8), Vector512.LoadUnsafe(ref n, at),
                -(Broadcast(ref c, k + 9) * Vector512.LoadUnsafe(ref p, at)));
            Vector512.MultiplyAddEstimate(-Broadcast(ref c, k + 10), Vector512.LoadUnsafe(ref q, at), r).StoreUnsafe(ref v, at);
        }
    }

    // One pass over the modes: q^{n+1} from q^{n−1}, qⁿ and Sⁿ, with S^{n+1} and frame n's pickup read-outs accumulated
    // (two modes per turn and separate partial sums, which keeps the dependency chains short).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (Vector512<double>, Vector512<double>) Sweep<TScheme>() where TScheme : struct, IScheme
    {
        ref double c = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref double states = ref MemoryMarshal.GetArrayDataReference(_states);
        ref double p = ref Unsafe.Add(ref states, _previous), q = ref Unsafe.Add(ref states, _current), n = ref Unsafe.Add(ref states, _next);
        var s = _stretch;
        Vector512<double> s0 = default, s1 = default, y0 = default, y1 = default;
        Vector512<double> za0 = default, za1 = default, zb0 = default, zb1 = default, zc0 = default, zc1 = default;
        for (int i = 0; i < _count; i += 2)
        {
            nuint at0 = (nuint)(i * Lanes), at1 = at0 + Lanes, k0 = (nuint)(i * K), k1 = k0 + K;
            Vector512<double> p0 = Vector512.LoadUnsafe(ref p, at0), q0 = Vector512.LoadUnsafe(ref q, at0);
            Vector512<double> p1 = Vector512.LoadUnsafe(ref p, at1), q1 = Vector512.LoadUnsafe(ref q, at1);
            var n0 = TScheme.Next(ref c, k0, p0, q0, s);
            var n1 = TScheme.NextOdd(ref c, k1, p1, q1, s);
            n0.StoreUnsafe(ref n, at0);
            n1.StoreUnsafe(ref n, at1);
            s0 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k0 + 3) * n0, n0, s0);
            s1 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k1 + 3) * n1, n1, s1);
            y0 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k0 + 4), q0, y0);
            y1 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k1 + 4), q1, y1);
            za0 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k0 + 5), n0, za0);
            za1 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k1 + 5), n1, za1);
            zb0 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k0 + 6), p0, zb0);
            zb1 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k1 + 6), p1, zb1);
            zc0 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k0 + 7), q0, zc0);
            zc1 = Vector512.MultiplyAddEstimate(Broadcast(ref c, k1 + 7), q1, zc1);
        }
        _stretchNext = _tensionModulated ? s0 + s1 : default;
        // Σ w q̇ⁿ = Σ (wα) q^{n+1} − Σ (wβ) q^{n−1} − Σ (wγ) qⁿ
        return (y0 + y1, (za0 + za1) - (zb0 + zb1) - (zc0 + zc1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Broadcast(ref double c, nuint k) => Vector512.Create(Unsafe.Add(ref c, k));

    private interface IScheme
    {
        static abstract Vector512<double> Next(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch);

        // the odd mode of a turn (may round differently)
        static abstract Vector512<double> NextOdd(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch);
    }

    // q^{n+1} = (a1 qⁿ − (r² + t) q^{n−1}) / (1 + t), t = m S ≥ 0: the product is shared by numerator and denominator and the
    // two sums go to the adder ports. The even mode of a turn divides, the odd one multiplies by the Newton-refined
    // reciprocal (ReciprocalOfAtLeastOne, 1 + t ≥ 1): the divider and the multiply–add ports share the work (measured 7 %
    // faster than either alone, which were equal); both agree with the quotient to an ulp or so.
    private readonly struct Conservative : IScheme
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Next(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch)
        {
            var (numerator, denominator) = Fraction(ref c, k, previous, current, stretch);
            return numerator / denominator;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> NextOdd(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch)
        {
            var (numerator, denominator) = Fraction(ref c, k, previous, current, stretch);
            return numerator * Lanes512<double>.ReciprocalOfAtLeastOne(denominator);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector512<double>, Vector512<double>) Fraction(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch)
        {
            var t = Broadcast(ref c, k + 2) * stretch;
            return (Vector512.MultiplyAddEstimate(Broadcast(ref c, k + 1) - t, previous, Broadcast(ref c, k) * current), t + Vector512<double>.One);
        }
    }

    // q^{n+1} = (a1 − g S) qⁿ + a2 q^{n−1}, in the operation order of TwoStepStepper's linear recursion.
    private readonly struct ImpulseInvariant : IScheme
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Next(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch) =>
            Vector512.MultiplyAddEstimate(Vector512.MultiplyAddEstimate(Broadcast(ref c, k + 2), stretch, Broadcast(ref c, k)), current,
                Broadcast(ref c, k + 1) * previous);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> NextOdd(ref double c, nuint k, Vector512<double> previous, Vector512<double> current, Vector512<double> stretch) =>
            Next(ref c, k, previous, current, stretch);
    }
}
