using System.Numerics;
using System.Runtime.Intrinsics;

namespace PhysMod.Realtime;

/// <summary>Chooses the widest SIMD path the CPU accelerates for the voices' hot loops, and lets a test force another one on
/// its own thread.</summary>
/// <remarks>Every kernel has the three <see cref="SimdPath"/>s. Layouts are padded to 16 floats, a whole number of vectors
/// for every path, so the paths process the same elements; kernels that only vectorise over independent outputs (GEMM,
/// pointwise layers, elementwise maps) keep the same operation order on every path, reductions may group sums differently.
/// The path is read once per kernel call.</remarks>
public static class Simd
{
    [ThreadStatic] private static SimdPath? t_forced;

    /// <summary>The widest accelerated path of this CPU: Vector512 with AVX-512, else Vector&lt;T&gt; when accelerated, else scalar.</summary>
    public static SimdPath Hardware { get; } =
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512 : System.Numerics.Vector.IsHardwareAccelerated ? SimdPath.Vector : SimdPath.Scalar;

    /// <summary>The path kernels called on this thread use.</summary>
    public static SimdPath Path => t_forced ?? Hardware;

    /// <summary>Makes kernels called on this thread use <paramref name="path"/> until the returned scope is disposed (for
    /// tests and benchmarks; a path the CPU does not accelerate still computes the same results, slowly).</summary>
    public static SimdScope Force(SimdPath path)
    {
        var previous = t_forced;
        t_forced = path;
        return new SimdScope(previous);
    }

    internal static void Restore(SimdPath? previous) => t_forced = previous;

    /// <summary>Floats per vector of <see cref="System.Numerics.Vector{T}"/> on this CPU (4, 8 or 16; divides 16).</summary>
    public static int VectorLane => Vector<float>.Count;
}
