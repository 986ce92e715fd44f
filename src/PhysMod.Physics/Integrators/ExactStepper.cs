using System.Numerics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>Exact modal recursion for linear systems (spec §1.5a), written in real form.</summary>
/// <remarks>
/// Equivalent to z^{n+1} = e^{sΔt} zⁿ with z = q − i(q̇ + γq)/ω_d, s = −γ + iω_d:
/// q⁺ = r [q C + (q̇ + γq) S], q̇⁺ = r [q̇ C − (ω² q + γ q̇) S]. Forcing is impulse-invariant (fⁿ acts as an impulse of
/// area Δt fⁿ at tⁿ), which makes this recursion agree exactly with the impulse-invariant two-step one. The impulse makes
/// q̇ jump by Δt fⁿ at tⁿ; the reported velocity is the mean of the two sides, q̇ⁿ + ½Δt fⁿ (what the two-step read-out
/// gives, and second-order accurate for a continuous force), while the state keeps the value before the jump.
/// </remarks>
public sealed class ExactStepper<T> : ModalStepper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _rc, _rs, _rgs, _rw2s, _b1, _db1, _state;
    private readonly T _halfDt;

    /// <summary>Creates the stepper; the system must be linear.</summary>
    public ExactStepper(ModalSystem system, double dt, bool forced) : base(system.Modes, forced)
    {
        if (system.Nonlinearity is not null)
            throw new InvalidSettingException("integrator exact is for linear systems only: use conservative (default) or another integrator");
        var c = Enumerable.Range(0, system.Modes).Select(i => ModeCoefficients.Of(system.Omega2[i], system.Gamma2[i], dt)).ToArray();
        _rc = Pad(i => c[i].R * c[i].C);
        _rs = Pad(i => c[i].R * c[i].S);
        _rgs = Pad(i => c[i].R * c[i].Gamma * c[i].S);
        _rw2s = Pad(i => c[i].R * system.Omega2[i] * c[i].S);
        _b1 = Pad(i => c[i].B1(dt));
        _db1 = Pad(i => dt * c[i].R * (c[i].C - c[i].Gamma * c[i].S));   // Δt·ḣ(Δt): velocity response to the impulse
        _state = forced ? new T[Padded] : V;                               // velocity before the impulse at tⁿ
        _halfDt = T.CreateTruncating(dt / 2);
    }

    /// <inheritdoc />
    protected override void OnStart()
    {
        if (Forced) Array.Copy(V, _state, Padded);
    }

    /// <inheritdoc />
    protected override void OnAdvance()
    {
        var q = Lanes(Q); var v = Lanes(_state);
        var rc = Lanes(_rc); var rs = Lanes(_rs); var rgs = Lanes(_rgs); var rw2s = Lanes(_rw2s);
        for (int i = 0; i < q.Length; i++)
        {
            var qn = rc[i] * q[i] + rs[i] * v[i] + rgs[i] * q[i];
            var vn = rc[i] * v[i] - rw2s[i] * q[i] - rgs[i] * v[i];
            q[i] = qn; v[i] = vn;
        }
        if (Forced)
        {
            var f = Lanes(CurrentForce); var b1 = Lanes(_b1); var db1 = Lanes(_db1);
            for (int i = 0; i < q.Length; i++) { q[i] += b1[i] * f[i]; v[i] += db1[i] * f[i]; }
            var reported = Lanes(V); var next = Lanes(NextForceBuffer); var halfDt = new Vector<T>(_halfDt);
            for (int i = 0; i < q.Length; i++) reported[i] = v[i] + halfDt * next[i];
        }
    }
}
