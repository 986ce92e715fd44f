using System.Numerics;
using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void OnAdvance()
    {
        ref T q = ref At(Q), v = ref At(_state), reported = ref At(V), f = ref At(CurrentForce), next = ref At(NextForceBuffer);
        ref T rc = ref At(_rc), rs = ref At(_rs), rgs = ref At(_rgs), rw2s = ref At(_rw2s), b1 = ref At(_b1), db1 = ref At(_db1);
        var halfDt = new Vector<T>(_halfDt);
        bool forced = Forced, pickup = PickupWeights is not null;
        ref T w = ref At(PickupWeights ?? Q);
        var y = Vector<T>.Zero;
        for (nuint i = 0, length = (nuint)Padded; i < length; i += (nuint)Vector<T>.Count)
        {
            var qi = Vector.LoadUnsafe(ref q, i); var vi = Vector.LoadUnsafe(ref v, i);
            var c = Vector.LoadUnsafe(ref rc, i); var gs = Vector.LoadUnsafe(ref rgs, i);
            var qn = c * qi + Vector.LoadUnsafe(ref rs, i) * vi + gs * qi;
            var vn = c * vi - Vector.LoadUnsafe(ref rw2s, i) * qi - gs * vi;
            if (forced)
            {
                var fi = Vector.LoadUnsafe(ref f, i);
                qn += Vector.LoadUnsafe(ref b1, i) * fi;
                vn += Vector.LoadUnsafe(ref db1, i) * fi;
                (vn + halfDt * Vector.LoadUnsafe(ref next, i)).StoreUnsafe(ref reported, i);
            }
            qn.StoreUnsafe(ref q, i); vn.StoreUnsafe(ref v, i);
            if (pickup) y = MulAdd(Vector.LoadUnsafe(ref w, i), qn, y);
        }
        if (pickup) ReportPickupDisplacement(Vector.Sum(y));
    }
}
