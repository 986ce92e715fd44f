using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PhysMod.Physics.Integrators;

/// <summary><see cref="ILanes{TVector, T}"/> on <see cref="Vector512{T}"/> (use where <see cref="Vector512.IsHardwareAccelerated"/>).</summary>
internal readonly struct Lanes512<T> : ILanes<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Create(T x) => Vector512.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

    // The 14-bit estimate, then Newton steps x ← x + x (1 − d x), each squaring the relative error: one for float
    // (2⁻²⁸ before rounding), two for double (2⁻⁵⁶). Five pipelined operations instead of a 512-bit division, whose
    // throughput (one per several cycles) otherwise bounds the conservative step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ReciprocalOfAtLeastOne(Vector512<T> d)
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var a = d.AsDouble();
            var x = Avx512F.Reciprocal14(a);
            x = Vector512.FusedMultiplyAdd(x, Vector512.FusedMultiplyAdd(-a, x, Vector512<double>.One), x);
            x = Vector512.FusedMultiplyAdd(x, Vector512.FusedMultiplyAdd(-a, x, Vector512<double>.One), x);
            return x.As<double, T>();
        }
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var a = d.AsSingle();
            var x = Avx512F.Reciprocal14(a);
            x = Vector512.FusedMultiplyAdd(x, Vector512.FusedMultiplyAdd(-a, x, Vector512<float>.One), x);
            return x.As<float, T>();
        }
        return Vector512<T>.One / d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(double)) return Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float)) return Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> NegatedMultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => MultiplyAdd(-a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> v) => Vector512.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AllSum(Vector512<T> v)
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var d = v.AsDouble();
            d += Avx512F.Permute2x64(d, 0b01_01_01_01);                 // swap neighbours
            d += Avx512F.Shuffle4x128(d, d, 0b10_11_00_01);             // swap 128-bit halves of each 256
            d += Avx512F.Shuffle4x128(d, d, 0b01_00_11_10);             // swap the 256-bit halves
            return d.As<double, T>();
        }
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var f = v.AsSingle();
            f += Avx512F.Permute4x32(f, 0b10_11_00_01);
            f += Avx512F.Permute4x32(f, 0b01_00_11_10);
            f += Avx512F.Shuffle4x128(f, f, 0b10_11_00_01);
            f += Avx512F.Shuffle4x128(f, f, 0b01_00_11_10);
            return f.As<float, T>();
        }
        return Vector512.Create(Vector512.Sum(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T First(Vector512<T> v) => v.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyNonFinite(Vector512<T> v) => !Vector512.EqualsAll(v - v, Vector512<T>.Zero);
}
