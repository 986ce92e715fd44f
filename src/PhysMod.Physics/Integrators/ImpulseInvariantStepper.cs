using System.Numerics;
using System.Runtime.CompilerServices;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>The impulse-invariant (transfer-function) two-step recursion of jaxdiffmodal (spec §1.5e).</summary>
/// <remarks>q^{n+1} = a1 qⁿ + a2 q^{n−1} + b1 (fⁿ − f_nl(qⁿ)); exact for the linear free and impulse-driven system. With
/// tension modulation, f_nl = c Sⁿ λ qⁿ folds into the coefficient: q^{n+1} = (a1 − b1 c λ Sⁿ) qⁿ + a2 q^{n−1} + b1 fⁿ.</remarks>
public sealed class ImpulseInvariantStepper<T> : TwoStepStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _recursion;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public ImpulseInvariantStepper(ModalSystem system, double dt, bool forced) : base(system, dt, forced, exactReadout: true)
    {
        _recursion = RecursionCoefficientsOf(i => Coefficients[i].A1, i => Coefficients[i].A2, i => Coefficients[i].B1(dt));
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
