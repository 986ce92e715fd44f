using System.Numerics;
using System.Runtime.CompilerServices;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>An energy-conserving, unconditionally stable scheme for tension modulation that is exact in the linear limit.</summary>
/// <remarks>
/// Per mode, with the exact coefficients (a1, r², b1) and p = ω² (1 + r²) / (2 (1 + r² − a1)):
///   p (q^{n+1} − 2qⁿ + q^{n−1}) + ω² qⁿ + g (q^{n+1} − q^{n−1})/(2Δt) + (c/2) λ Sⁿ (q^{n+1} + q^{n−1}) = (p̂ b1) fⁿ,
/// where g/(2Δt) = p (1 − r²)/(1 + r²), p̂ = 2p/(1 + r²), Sⁿ = Σ λ (qⁿ)². The nonlinear term is diagonal in q^{n+1}, so
///   q^{n+1} = (a1 qⁿ − (r² + m Sⁿ) q^{n−1} + b1 fⁿ) / (1 + m Sⁿ),  m = (c/2) λ / p̂.
/// Multiplying by (q^{n+1} − q^{n−1}) shows that
///   H^{n+½} = Σ ½ [(p − ω²/4)(q^{n+1} − qⁿ)² + (ω²/4)(q^{n+1} + qⁿ)²] + (c/4) S^{n+1} Sⁿ ≥ 0
/// changes per step by −g Σ (q^{n+1} − q^{n−1})²/(4Δt) ≤ 0 (damping) plus the forcing work; with no loss or force it is
/// conserved to round-off. p − ω²/4 = ω² (1 + cos ω_dΔt)/(4 (1 − cos ω_dΔt)) &gt; 0 below Nyquist, so H bounds the state at
/// any amplitude. With c = 0 the recursion is the impulse-invariant one, exact for the linear system.
/// </remarks>
public sealed class ConservativeStepper<T> : TwoStepStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _coefficients;     // a1, −r², −m, λ, b1 interleaved
    private readonly double[] _p;

    /// <summary>Creates the stepper; the system must be linear or tension-modulated.</summary>
    public ConservativeStepper(ModalSystem system, double dt, bool forced) : base(system, dt, forced, exactReadout: true)
    {
        if (system.Nonlinearity is not (null or TensionModulation))
            throw new InvalidSettingException(
                $"integrator conservative handles linear and tension-modulated systems only, not {system.Nonlinearity.GetType().Name}: use verlet or rk4");
        _p = Coefficients.Select((c, i) => c.ConservativeInertia(system.Omega2[i])).ToArray();
        double coefficient = (system.Nonlinearity as TensionModulation)?.Coefficient ?? 0;
        _coefficients = Interleave(Pad(i => Coefficients[i].A1), Pad(i => -Coefficients[i].R * Coefficients[i].R),
            Pad(i => -Coefficients[i].ConservativeTensionGain(system.Omega2[i], system.Lambda[i], coefficient)),
            Kernel?.Lambda ?? NewPadded(), Pad(i => Coefficients[i].B1(dt)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override T Step(T[] previous, T[] current, T[] next, T[] force, T stretch) =>
        Sweep<Recursion>(previous, current, next, force, stretch, _coefficients);

    /// <inheritdoc />
    protected override void OnRender(Span<T> displacement, Span<T> velocity, int oversample) =>
        RenderRecursion<BlockRecursion>(_coefficients, displacement, velocity, oversample);

    // The update of Recursion at any vector width, for the block kernel.
    private readonly struct BlockRecursion : IBlockRecursion
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Next<TLanes, TVector>(ref T c, nuint k, nuint width, TVector previous, TVector current, TVector stretch)
            where TLanes : struct, ILanes<TVector, T> where TVector : struct
        {
            var negativeM = TLanes.Load(ref c, k + 2 * width);
            var numerator = TLanes.MultiplyAdd(TLanes.MultiplyAdd(negativeM, stretch, TLanes.Load(ref c, k + width)), previous,
                TLanes.Multiply(TLanes.Load(ref c, k), current));
            return TLanes.Multiply(numerator, TLanes.ReciprocalOfAtLeastOne(TLanes.NegatedMultiplyAdd(negativeM, stretch, TLanes.Create(T.One))));
        }
    }

    // q^{n+1} = (a1 qⁿ − (r² + m Sⁿ) q^{n−1} + b1 fⁿ) / (1 + m Sⁿ); coefficients a1, −r², −m, λ, b1.
    private readonly struct Recursion : IRecursion
    {
        public static int Coefficients => 5;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Next(ref T c, nuint k, Vector<T> previous, Vector<T> current, Vector<T> force, Vector<T> stretch, bool forced)
        {
            nuint width = (nuint)Vector<T>.Count;
            var negativeM = Vector.LoadUnsafe(ref c, k + 2 * width);
            var numerator = MulAdd(MulAdd(negativeM, stretch, Vector.LoadUnsafe(ref c, k + width)), previous, Vector.LoadUnsafe(ref c, k) * current);
            if (forced) numerator = MulAdd(Vector.LoadUnsafe(ref c, k + 4 * width), force, numerator);
            return numerator / MulAdd(-negativeM, stretch, Vector<T>.One);
        }
    }

    /// <summary>The discrete energy H^{n+½} between the current frame n and the look-ahead frame n+1 (double precision).</summary>
    public double DiscreteEnergy()
    {
        double h = 0, sNow = 0, sNext = 0;
        var lambda = System.Lambda; var omega2 = System.Omega2;
        for (int i = 0; i < Modes; i++)
        {
            double q0 = double.CreateTruncating(Q[i]), q1 = double.CreateTruncating(Next[i]);
            h += 0.5 * ((_p[i] - omega2[i] / 4) * (q1 - q0) * (q1 - q0) + omega2[i] / 4 * (q1 + q0) * (q1 + q0));
            sNow += lambda[i] * q0 * q0; sNext += lambda[i] * q1 * q1;
        }
        double c = (System.Nonlinearity as TensionModulation)?.Coefficient ?? 0;
        return h + c / 4 * sNext * sNow;
    }
}
