using System.Numerics;
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
    private readonly T[] _b, _c, _aInv;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public StormerVerletStepper(ModalSystem system, double dt, bool forced) : base(system, dt, forced, exactReadout: false)
    {
        double AInv(int i) => 2 * dt * dt / (2 + system.Gamma2[i] * dt);
        _aInv = Pad(AInv);
        _b = Pad(i => (2 / (dt * dt) - system.Omega2[i]) * AInv(i));
        _c = Pad(i => (system.Gamma2[i] / (2 * dt) - 1 / (dt * dt)) * AInv(i));
    }

    /// <inheritdoc />
    protected override void Step(T[] previous, T[] current, T[] next, T[] force)
    {
        var p = Lanes(previous); var q = Lanes(current); var n = Lanes(next);
        var b = Lanes(_b); var c = Lanes(_c); var aInv = Lanes(_aInv);
        for (int i = 0; i < q.Length; i++) n[i] = b[i] * q[i] + c[i] * p[i];
        if (Kernel is not null)
        {
            Kernel.Evaluate(current, NonlinearForce);
            var nl = Lanes(NonlinearForce);
            for (int i = 0; i < q.Length; i++) n[i] -= aInv[i] * nl[i];
        }
        if (Forced)
        {
            var f = Lanes(force);
            for (int i = 0; i < q.Length; i++) n[i] += aInv[i] * f[i];
        }
    }
}
