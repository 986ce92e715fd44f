using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PhysMod.Physics.Integrators;

namespace PhysMod.Realtime;

/// <summary>The energy-conserving modal update on one SIMD vector, shared by <see cref="ModalVoice"/> (16 modes of one voice)
/// and <see cref="ModalVoiceBank"/> (one mode of 16 voices).</summary>
/// <remarks>
/// Coefficient vectors at c[k + j·16] (layout of <see cref="VoiceCoefficients"/>): j = 0 … 3 the update (c0, c1, c2, c3), then
/// the pickup: one displacement weight at j = <c>pickup</c>, or three velocity weights at pickup … pickup + 2. With S the
/// tension sum and F the force (weights w per mode):
/// <code>
///   incr = (c0 x + c1 d + w F + c2 x S) / (1 + c3 S),   x ← x + d + incr,   d ← d + incr
/// </code>
/// </remarks>
internal static class ConservativeUpdate
{
    /// <summary>Floats per vector.</summary>
    public const int Lanes = 16;

    /// <summary>The same update on <typeparamref name="T"/> vectors (narrower than 16 lanes): the coefficient layout is unchanged,
    /// <paramref name="k"/> points at the first lane of the sub-vector inside its 16-lane coefficient block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Step<T, TTension, TForced, TVelocity>(ref float c, nuint k, nuint pickup, ref float x, ref float d, ref float fw,
        nuint at, T s, T f, ref T y)
        where T : struct, IFloatVector<T> where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        var xi = T.Load(ref x, at);
        var di = T.Load(ref d, at);
        var increment = T.Fma(T.Load(ref c, k), xi, T.Multiply(T.Load(ref c, k + Lanes), di));
        if (TForced.Set) increment = T.Fma(T.Load(ref fw, at), f, increment);
        if (TTension.Set)
        {
            var numerator = T.Fma(T.Multiply(T.Load(ref c, k + 2 * Lanes), xi), s, increment);
            increment = T.Divide(numerator, T.Fma(T.Load(ref c, k + 3 * Lanes), s, T.Broadcast(1f)));
        }
        var next = T.Add(T.Add(xi, di), increment);
        var dn = T.Add(di, increment);
        nuint p = k + pickup * Lanes;
        if (TVelocity.Set)
        {
            var v = T.Fma(T.Load(ref c, p), xi, y);
            v = T.Fma(T.Load(ref c, p + Lanes), dn, v);
            y = T.Fma(T.Load(ref c, p + 2 * Lanes), di, v);
        }
        else y = T.Fma(T.Load(ref c, p), xi, y);
        T.Store(next, ref x, at);
        T.Store(dn, ref d, at);
        return next;
    }

    /// <summary>d^{n+1}, x^{n+1} stored over dⁿ, xⁿ at <paramref name="at"/>; frame n's pickup read-out added to y; returns x^{n+1}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step<TTension, TForced, TVelocity>(ref float c, nuint k, nuint pickup, ref float x, ref float d, ref float fw,
        nuint at, Vector512<float> s, Vector512<float> f, ref Vector512<float> y)
        where TTension : struct, IFlag where TForced : struct, IFlag where TVelocity : struct, IFlag
    {
        var xi = Vector512.LoadUnsafe(ref x, at);
        var di = Vector512.LoadUnsafe(ref d, at);
        var increment = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, k), xi, Vector512.LoadUnsafe(ref c, k + Lanes) * di);
        if (TForced.Set) increment = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref fw, at), f, increment);
        if (TTension.Set)
        {
            var numerator = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, k + 2 * Lanes) * xi, s, increment);
            increment = numerator / Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, k + 3 * Lanes), s, Vector512<float>.One);
        }
        var next = (xi + di) + increment;           // x + d first: off the path through S
        var dn = di + increment;
        nuint p = k + pickup * Lanes;
        if (TVelocity.Set)
        {
            var v = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, p), xi, y);
            v = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, p + Lanes), dn, v);
            y = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, p + 2 * Lanes), di, v);
        }
        else y = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref c, p), xi, y);
        next.StoreUnsafe(ref x, at);
        dn.StoreUnsafe(ref d, at);
        return next;
    }
}
