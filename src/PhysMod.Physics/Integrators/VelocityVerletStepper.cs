using System.Numerics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>Damped velocity Verlet (the neural-ODE step of the tutorial, spec §1.5b).</summary>
/// <remarks>
/// v½ = v + ½Δt(−γ₂ v + a), q⁺ = q + Δt v½, a⁺ = −ω² q⁺ − f_nl(q⁺) + f⁺, v⁺ = (v½ + ½Δt a⁺)/(1 + γ₂Δt/2),
/// with a = −ω² q − f_nl(q) + f kept from the previous step (one force evaluation per step).
/// </remarks>
public sealed class VelocityVerletStepper<T> : ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _omega2, _gamma2, _inputGain, _accel, _nl;
    private readonly NonlinearKernel<T>? _kernel;
    private readonly T _dt;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public VelocityVerletStepper(ModalSystem system, double dt, bool forced) : base(system.Modes, forced)
    {
        _dt = T.CreateTruncating(dt);
        _omega2 = Pad(system.Omega2);
        _gamma2 = Pad(system.Gamma2);
        _inputGain = Pad(i => 1 / (1 + system.Gamma2[i] * dt / 2));
        _kernel = NonlinearKernel<T>.Create(system.Nonlinearity, Padded);
        _accel = new T[Padded]; _nl = new T[Padded];
    }

    /// <inheritdoc />
    protected override void OnStart() => Acceleration(CurrentForce);

    /// <inheritdoc />
    protected override void OnAdvance()
    {
        var half = new Vector<T>(_dt / (T.One + T.One));
        var dt = new Vector<T>(_dt);
        var q = Lanes(Q); var v = Lanes(V); var a = Lanes(_accel); var g = Lanes(_gamma2);
        for (int i = 0; i < q.Length; i++)
        {
            var vh = v[i] + half * (a[i] - g[i] * v[i]);
            v[i] = vh;
            q[i] += dt * vh;
        }
        Acceleration(NextForceBuffer);
        var gain = Lanes(_inputGain);
        for (int i = 0; i < q.Length; i++) v[i] = (v[i] + half * a[i]) * gain[i];
    }

    private void Acceleration(T[] force)
    {
        var q = Lanes(Q); var a = Lanes(_accel); var w = Lanes(_omega2);
        for (int i = 0; i < q.Length; i++) a[i] = -w[i] * q[i];
        if (_kernel is not null)
        {
            _kernel.Evaluate(Q, _nl);
            var nl = Lanes(_nl);
            for (int i = 0; i < q.Length; i++) a[i] -= nl[i];
        }
        if (Forced)
        {
            var f = Lanes(force);
            for (int i = 0; i < q.Length; i++) a[i] += f[i];
        }
    }
}
