using System.Numerics;
using System.Runtime.CompilerServices;

namespace PhysMod.Realtime;

/// <summary>System.Numerics.Vector&lt;float&gt; (256 bits with AVX2, 128 with SSE or NEON) behind <see cref="IFloatVector{TSelf}"/>.</summary>
internal readonly struct PortableVector(Vector<float> value) : IFloatVector<PortableVector>
{
    private readonly Vector<float> _value = value;

    public static int Count => Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Load(ref float p, nuint i) => new(Vector.LoadUnsafe(ref p, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PortableVector v, ref float p, nuint i) => v._value.StoreUnsafe(ref p, i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Broadcast(float x) => new(new Vector<float>(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Fma(PortableVector a, PortableVector b, PortableVector c) => new(Vector.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Add(PortableVector a, PortableVector b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Subtract(PortableVector a, PortableVector b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Multiply(PortableVector a, PortableVector b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Divide(PortableVector a, PortableVector b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Min(PortableVector a, PortableVector b) => new(Vector.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector Exp(PortableVector a) => new(Vector.Exp(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PortableVector SelectPositive(PortableVector x, PortableVector a, PortableVector b) =>
        new(Vector.ConditionalSelect(Vector.GreaterThan(x._value, Vector<float>.Zero), a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FlushBoth(ref PortableVector a, ref PortableVector b, float threshold)
    {
        var t = new Vector<float>(threshold);
        var small = Vector.LessThan(Vector.Abs(a._value), t) & Vector.LessThan(Vector.Abs(b._value), t);
        a = new(Vector.ConditionalSelect(small, Vector<float>.Zero, a._value));
        b = new(Vector.ConditionalSelect(small, Vector<float>.Zero, b._value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(PortableVector v) => Vector.Sum(v._value);
}
