using System.Numerics;
using System.Runtime.CompilerServices;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>The two-step Störmer–Verlet finite-difference scheme with centred damping (spec §1.5d).</summary>
/// <remarks>
/// (q^{n+1} − 2qⁿ + q^{n−1})/Δt² + γ₂ (q^{n+1} − q^{n−1})/(2Δt) + ω² qⁿ + f_nl(qⁿ) = fⁿ, i.e.
/// q^{n+1} = B qⁿ + C q^{n−1} + A⁻¹ (fⁿ − f_nl(qⁿ)) with A⁻¹ = 2Δt²/(2 + γ₂Δt), B = (2/Δt² − ω²) A⁻¹,
/// C = (γ₂/(2Δt) − 1/Δt²) A⁻¹. Velocity is the centred difference.
/// </remarks>
public sealed class StormerVerletStepper<T> : TwoStepStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _recursion;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public StormerVerletStepper(ModalSystem system, double dt, bool forced) : base(system, dt, forced, exactReadout: false)
    {
        double AInv(int i) => 2 * dt * dt / (2 + system.Gamma2[i] * dt);
        _recursion = RecursionCoefficientsOf(i => (2 / (dt * dt) - system.Omega2[i]) * AInv(i),
            i => (system.Gamma2[i] / (2 * dt) - 1 / (dt * dt)) * AInv(i), AInv);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override T Step(T[] previous, T[] current, T[] next, T[] force, T stretch) =>
        RecursionStep(previous, current, next, force, stretch, _recursion);

    /// <inheritdoc />
    protected override void OnRender(Span<T> displacement, Span<T> velocity, int oversample) =>
        RenderRecursion<LinearBlockRecursion>(_recursion, displacement, velocity, oversample);

    /// <inheritdoc />
    protected override T GeneralStep(T[] previous, T[] current, T[] next, T[] force) =>
        GeneralRecursionStep(previous, current, next, force, _recursion);
}
