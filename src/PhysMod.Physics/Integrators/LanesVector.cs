using System.Numerics;
using System.Runtime.CompilerServices;

namespace PhysMod.Physics.Integrators;

/// <summary><see cref="ILanes{TVector, T}"/> on <see cref="Vector{T}"/>: the portable width.</summary>
internal readonly struct LanesVector<T> : ILanes<Vector<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load(ref T source, nuint index) => Vector.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Create(T x) => new(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Add(Vector<T> a, Vector<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Subtract(Vector<T> a, Vector<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Multiply(Vector<T> a, Vector<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Divide(Vector<T> a, Vector<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ReciprocalOfAtLeastOne(Vector<T> d) => Vector<T>.One / d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        if (typeof(T) == typeof(double)) return Vector.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> NegatedMultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c) => MultiplyAdd(-a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector<T> v) => Vector.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> AllSum(Vector<T> v) => new(Vector.Sum(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T First(Vector<T> v) => v[0];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyNonFinite(Vector<T> v) => !Vector.EqualsAll(v - v, Vector<T>.Zero);
}
