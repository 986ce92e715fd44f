using System.Numerics;
using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void OnAdvance()
    {
        T two = T.One + T.One, half = _dt / two;
        nuint length = (nuint)Padded, width = (nuint)Vector<T>.Count;
        if (Forced)
        {
            ref T f0 = ref At(CurrentForce), f1 = ref At(NextForceBuffer), fm = ref At(_midForce);
            var divisor = new Vector<T>(two);
            for (nuint i = 0; i < length; i += width)
                ((Vector.LoadUnsafe(ref f0, i) + Vector.LoadUnsafe(ref f1, i)) / divisor).StoreUnsafe(ref fm, i);
        }
        Array.Copy(Q, _qs, Padded); Array.Copy(V, _vs, Padded);
        Stage(CurrentForce);                       // k1
        Accumulate(T.One, half);
        Stage(_midForce);                          // k2
        Accumulate(two, half);
        Stage(_midForce);                          // k3
        Accumulate(two, _dt);
        Stage(NextForceBuffer);                    // k4
        ref T q = ref At(Q), v = ref At(V), sq = ref At(_sumQ), sv = ref At(_sumV), kq = ref At(_kq), kv = ref At(_kv);
        var sixth = new Vector<T>(_dt / T.CreateTruncating(6));
        bool pickup = PickupWeights is not null;
        ref T w = ref At(PickupWeights ?? Q);
        var y = Vector<T>.Zero;
        for (nuint i = 0; i < length; i += width)
        {
            var qn = Vector.LoadUnsafe(ref q, i) + sixth * (Vector.LoadUnsafe(ref sq, i) + Vector.LoadUnsafe(ref kq, i));
            qn.StoreUnsafe(ref q, i);
            (Vector.LoadUnsafe(ref v, i) + sixth * (Vector.LoadUnsafe(ref sv, i) + Vector.LoadUnsafe(ref kv, i))).StoreUnsafe(ref v, i);
            if (pickup) y = MulAdd(Vector.LoadUnsafe(ref w, i), qn, y);
        }
        if (pickup) ReportPickupDisplacement(Vector.Sum(y));
    }

    // k = F(qs, vs, force) into (_kq, _kv).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Stage(T[] force)
    {
        bool nonlinear = _kernel is not null, forced = Forced;
        if (nonlinear) _kernel!.Evaluate(_qs, _nl);
        ref T qs = ref At(_qs), vs = ref At(_vs), kq = ref At(_kq), kv = ref At(_kv), w = ref At(_omega2), g = ref At(_gamma2);
        ref T nl = ref At(_nl), f = ref At(force);
        for (nuint i = 0, length = (nuint)Padded; i < length; i += (nuint)Vector<T>.Count)
        {
            var vi = Vector.LoadUnsafe(ref vs, i);
            vi.StoreUnsafe(ref kq, i);
            var k = -Vector.LoadUnsafe(ref g, i) * vi - Vector.LoadUnsafe(ref w, i) * Vector.LoadUnsafe(ref qs, i);
            if (nonlinear) k -= Vector.LoadUnsafe(ref nl, i);
            if (forced) k += Vector.LoadUnsafe(ref f, i);
            k.StoreUnsafe(ref kv, i);
        }
    }

    // sum += weight·k (weight 1 resets the sum); stage point = x + step·k.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate(T weight, T step)
    {
        ref T q = ref At(Q), v = ref At(V), qs = ref At(_qs), vs = ref At(_vs);
        ref T kq = ref At(_kq), kv = ref At(_kv), sq = ref At(_sumQ), sv = ref At(_sumV);
        var w = new Vector<T>(weight); var h = new Vector<T>(step);
        bool reset = weight == T.One;
        for (nuint i = 0, length = (nuint)Padded; i < length; i += (nuint)Vector<T>.Count)
        {
            var kqi = Vector.LoadUnsafe(ref kq, i); var kvi = Vector.LoadUnsafe(ref kv, i);
            (reset ? kqi : Vector.LoadUnsafe(ref sq, i) + w * kqi).StoreUnsafe(ref sq, i);
            (reset ? kvi : Vector.LoadUnsafe(ref sv, i) + w * kvi).StoreUnsafe(ref sv, i);
            (Vector.LoadUnsafe(ref q, i) + h * kqi).StoreUnsafe(ref qs, i);
            (Vector.LoadUnsafe(ref v, i) + h * kvi).StoreUnsafe(ref vs, i);
        }
    }
}
