using System.Numerics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>Classical fourth-order Runge–Kutta on x = [q; q̇] (spec §1.5f); the force is interpolated linearly within a step.</summary>
/// <remarks>ẋ = [q̇; −γ₂ q̇ − ω² q − f_nl(q) + f(t)], x⁺ = x + Δt (k1 + 2k2 + 2k3 + k4)/6.</remarks>
public sealed class RungeKutta4Stepper<T> : ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _omega2, _gamma2, _qs, _vs, _kq, _kv, _sumQ, _sumV, _nl, _midForce;
    private readonly NonlinearKernel<T>? _kernel;
    private readonly T _dt;

    /// <summary>Creates the stepper for a system and step Δt.</summary>
    public RungeKutta4Stepper(ModalSystem system, double dt, bool forced) : base(system.Modes, forced)
    {
        _dt = T.CreateTruncating(dt);
        _omega2 = Pad(system.Omega2);
        _gamma2 = Pad(system.Gamma2);
        _kernel = NonlinearKernel<T>.Create(system.Nonlinearity, Padded);
        _qs = new T[Padded]; _vs = new T[Padded]; _kq = new T[Padded]; _kv = new T[Padded];
        _sumQ = new T[Padded]; _sumV = new T[Padded]; _nl = new T[Padded]; _midForce = new T[Padded];
    }

    /// <inheritdoc />
    protected override void OnStart() { }

    /// <inheritdoc />
    protected override void OnAdvance()
    {
        T two = T.One + T.One, half = _dt / two;
        if (Forced)
        {
            var f0 = Lanes(CurrentForce); var f1 = Lanes(NextForceBuffer); var fm = Lanes(_midForce);
            for (int i = 0; i < fm.Length; i++) fm[i] = (f0[i] + f1[i]) / new Vector<T>(two);
        }
        Array.Copy(Q, _qs, Padded); Array.Copy(V, _vs, Padded);
        Stage(CurrentForce);                       // k1
        Accumulate(T.One, half);
        Stage(_midForce);                          // k2
        Accumulate(two, half);
        Stage(_midForce);                          // k3
        Accumulate(two, _dt);
        Stage(NextForceBuffer);                    // k4
        var q = Lanes(Q); var v = Lanes(V); var sq = Lanes(_sumQ); var sv = Lanes(_sumV);
        var kq = Lanes(_kq); var kv = Lanes(_kv);
        var sixth = new Vector<T>(_dt / T.CreateTruncating(6));
        for (int i = 0; i < q.Length; i++)
        {
            q[i] += sixth * (sq[i] + kq[i]);
            v[i] += sixth * (sv[i] + kv[i]);
        }
    }

    // k = F(qs, vs, force) into (_kq, _kv).
    private void Stage(T[] force)
    {
        var qs = Lanes(_qs); var vs = Lanes(_vs); var kq = Lanes(_kq); var kv = Lanes(_kv);
        var w = Lanes(_omega2); var g = Lanes(_gamma2);
        for (int i = 0; i < qs.Length; i++) { kq[i] = vs[i]; kv[i] = -g[i] * vs[i] - w[i] * qs[i]; }
        if (_kernel is not null)
        {
            _kernel.Evaluate(_qs, _nl);
            var nl = Lanes(_nl);
            for (int i = 0; i < qs.Length; i++) kv[i] -= nl[i];
        }
        if (Forced)
        {
            var f = Lanes(force);
            for (int i = 0; i < qs.Length; i++) kv[i] += f[i];
        }
    }

    // sum += weight·k (weight 1 resets the sum); stage point = x + step·k.
    private void Accumulate(T weight, T step)
    {
        var q = Lanes(Q); var v = Lanes(V); var qs = Lanes(_qs); var vs = Lanes(_vs);
        var kq = Lanes(_kq); var kv = Lanes(_kv); var sq = Lanes(_sumQ); var sv = Lanes(_sumV);
        var w = new Vector<T>(weight); var h = new Vector<T>(step);
        bool reset = weight == T.One;
        for (int i = 0; i < q.Length; i++)
        {
            sq[i] = reset ? kq[i] : sq[i] + w * kq[i];
            sv[i] = reset ? kv[i] : sv[i] + w * kv[i];
            qs[i] = q[i] + h * kq[i];
            vs[i] = v[i] + h * kv[i];
        }
    }
}
