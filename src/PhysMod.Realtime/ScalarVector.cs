using System.Runtime.CompilerServices;

namespace PhysMod.Realtime;

/// <summary>One float behind <see cref="IFloatVector{TSelf}"/>: the path for CPUs without accelerated vectors.</summary>
internal readonly struct ScalarVector(float value) : IFloatVector<ScalarVector>
{
    private readonly float _value = value;

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Load(ref float p, nuint i) => new(Unsafe.Add(ref p, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ScalarVector v, ref float p, nuint i) => Unsafe.Add(ref p, i) = v._value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Broadcast(float x) => new(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Fma(ScalarVector a, ScalarVector b, ScalarVector c) => new(MathF.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Add(ScalarVector a, ScalarVector b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Subtract(ScalarVector a, ScalarVector b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Multiply(ScalarVector a, ScalarVector b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Divide(ScalarVector a, ScalarVector b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Min(ScalarVector a, ScalarVector b) => new(MathF.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector Exp(ScalarVector a) => new(MathF.Exp(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarVector SelectPositive(ScalarVector x, ScalarVector a, ScalarVector b) => x._value > 0 ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FlushBoth(ref ScalarVector a, ref ScalarVector b, float threshold)
    {
        if (MathF.Abs(a._value) < threshold && MathF.Abs(b._value) < threshold) a = b = new(0f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(ScalarVector v) => v._value;
}
