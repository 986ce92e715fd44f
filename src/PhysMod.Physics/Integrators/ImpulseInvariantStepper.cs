using System.Numerics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>The impulse-invariant (transfer-function) two-step recursion of jaxdiffmodal (spec §1.5e).</summary>
/// <remarks>q^{n+1} = a1 qⁿ + a2 q^{n−1} + b1 (fⁿ − f_nl(qⁿ)); exact for the linear free and impulse-driven system.</remarks>
public sealed class ImpulseInvariantStepper<T> : TwoStepStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _a1, _a2, _b1;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public ImpulseInvariantStepper(ModalSystem system, double dt, bool forced) : base(system, dt, forced, exactReadout: true)
    {
        _a1 = Pad(i => Coefficients[i].A1);
        _a2 = Pad(i => Coefficients[i].A2);
        _b1 = Pad(i => Coefficients[i].B1(dt));
    }

    /// <inheritdoc />
    protected override void Step(T[] previous, T[] current, T[] next, T[] force)
    {
        var p = Lanes(previous); var q = Lanes(current); var n = Lanes(next);
        var a1 = Lanes(_a1); var a2 = Lanes(_a2); var b1 = Lanes(_b1);
        if (Kernel is { IsTensionModulation: true } k)
        {
            // fused f_nl = c S λ q: one pass for S, one for the update
            var cs = new Vector<T>(k.Coefficient * k.Stretch(current));
            var lambda = Lanes(k.Lambda);
            for (int i = 0; i < q.Length; i++) n[i] = a1[i] * q[i] + a2[i] * p[i] - b1[i] * (cs * lambda[i] * q[i]);
        }
        else
        {
            for (int i = 0; i < q.Length; i++) n[i] = a1[i] * q[i] + a2[i] * p[i];
            if (Kernel is not null)
            {
                Kernel.Evaluate(current, NonlinearForce);
                var nl = Lanes(NonlinearForce);
                for (int i = 0; i < q.Length; i++) n[i] -= b1[i] * nl[i];
            }
        }
        if (Forced)
        {
            var f = Lanes(force);
            for (int i = 0; i < q.Length; i++) n[i] += b1[i] * f[i];
        }
    }
}
