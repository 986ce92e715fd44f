using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhysMod.Realtime.Models;

/// <summary>In-place SIMD activations and the per-frame layer norm used by the streaming model voices (float32).</summary>
/// <remarks>
/// selu(x) = s·x for x &gt; 0, s·α·(eˣ − 1) otherwise (s = 1.0507009873554805, α = 1.6732632423543772);
/// gelu(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (the tanh form, as jax.nn.gelu), with tanh u = 1 − 2/(e^{2u} + 1);
/// σ(x) = 1/(1 + e^{−x}); layer norm y = (x − μ)/√(σ² + ε)·g + b over the first n values of a frame (biased variance).
/// All map 0 to 0, so the zero padding of frames stays zero. Span lengths must be whole 16-float vectors. Each kernel runs
/// on the widest <see cref="Simd.Path"/>: Vector512, System.Numerics.Vector&lt;float&gt; or one float at a time; the exp of each
/// path may differ in the last bit, and the layer norm's sums are grouped by the vector width.
/// </remarks>
public static class VectorMath
{
    private const float SeluScale = 1.0507009873554804934193349852946f;
    private const float SeluAlpha = 1.6732632423543772848170429916717f;
    private const float GeluC = 0.7978845608028654f;     // √(2/π)
    private const float GeluCubic = 0.044715f;

    /// <summary>selu applied in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Selu(Span<float> values)
    {
        ref float v = ref Start(values, out nuint n);
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Selu512(ref v, n); break;
            case SimdPath.Vector: Selu<PortableVector>(ref v, n); break;
            default: Selu<ScalarVector>(ref v, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Selu<T>(ref float v, nuint n) where T : struct, IFloatVector<T>
    {
        T scale = T.Broadcast(SeluScale), negative = T.Broadcast(SeluScale * SeluAlpha), zero = T.Broadcast(0f), one = T.Broadcast(1f);
        for (nuint i = 0; i < n; i += (nuint)T.Count)
        {
            var x = T.Load(ref v, i);
            var below = T.Multiply(T.Subtract(T.Exp(T.Min(x, zero)), one), negative);
            T.Store(T.SelectPositive(x, T.Multiply(x, scale), below), ref v, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Selu512(ref float v, nuint n)
    {
        var scale = Vector512.Create(SeluScale);
        var negative = Vector512.Create(SeluScale * SeluAlpha);
        for (nuint i = 0; i < n; i += PackedLinear.Lane)
        {
            var x = Vector512.LoadUnsafe(ref v, i);
            var below = (Vector512.Exp(Vector512.Min(x, Vector512<float>.Zero)) - Vector512<float>.One) * negative;
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * scale, below).StoreUnsafe(ref v, i);
        }
    }

    /// <summary>gelu (tanh form) applied in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gelu(Span<float> values)
    {
        ref float v = ref Start(values, out nuint n);
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Gelu512(ref v, n); break;
            case SimdPath.Vector: Gelu<PortableVector>(ref v, n); break;
            default: Gelu<ScalarVector>(ref v, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gelu<T>(ref float v, nuint n) where T : struct, IFloatVector<T>
    {
        T c = T.Broadcast(GeluC), cubic = T.Broadcast(GeluCubic), half = T.Broadcast(0.5f), two = T.Broadcast(2f), one = T.Broadcast(1f);
        for (nuint i = 0; i < n; i += (nuint)T.Count)
        {
            var x = T.Load(ref v, i);
            var u = T.Multiply(c, T.Fma(T.Multiply(cubic, x), T.Multiply(x, x), x));
            var tanh = T.Subtract(one, T.Divide(two, T.Add(T.Exp(T.Multiply(two, u)), one)));
            T.Store(T.Multiply(T.Multiply(half, x), T.Add(one, tanh)), ref v, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gelu512(ref float v, nuint n)
    {
        var c = Vector512.Create(GeluC);
        var cubic = Vector512.Create(GeluCubic);
        var half = Vector512.Create(0.5f);
        var two = Vector512.Create(2f);
        for (nuint i = 0; i < n; i += PackedLinear.Lane)
        {
            var x = Vector512.LoadUnsafe(ref v, i);
            var u = c * Vector512.FusedMultiplyAdd(cubic * x, x * x, x);
            var tanh = Vector512<float>.One - two / (Vector512.Exp(two * u) + Vector512<float>.One);
            (half * x * (Vector512<float>.One + tanh)).StoreUnsafe(ref v, i);
        }
    }

    /// <summary>values ← values ⊙ σ(gate), elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplySigmoid(Span<float> values, ReadOnlySpan<float> gate)
    {
        if (gate.Length < values.Length) throw new ArgumentException("gate shorter than values", nameof(gate));
        ref float v = ref Start(values, out nuint n);
        ref float g = ref MemoryMarshal.GetReference(gate);
        switch (Simd.Path)
        {
            case SimdPath.Vector512: MultiplySigmoid512(ref v, ref g, n); break;
            case SimdPath.Vector: MultiplySigmoid<PortableVector>(ref v, ref g, n); break;
            default: MultiplySigmoid<ScalarVector>(ref v, ref g, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplySigmoid<T>(ref float v, ref float g, nuint n) where T : struct, IFloatVector<T>
    {
        T one = T.Broadcast(1f), zero = T.Broadcast(0f);
        for (nuint i = 0; i < n; i += (nuint)T.Count)
        {
            var sigmoid = T.Divide(one, T.Add(one, T.Exp(T.Subtract(zero, T.Load(ref g, i)))));
            T.Store(T.Multiply(T.Load(ref v, i), sigmoid), ref v, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplySigmoid512(ref float v, ref float g, nuint n)
    {
        for (nuint i = 0; i < n; i += PackedLinear.Lane)
        {
            var sigmoid = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-Vector512.LoadUnsafe(ref g, i)));
            (Vector512.LoadUnsafe(ref v, i) * sigmoid).StoreUnsafe(ref v, i);
        }
    }

    /// <summary>Layer norm of each of <paramref name="count"/> frames (first <paramref name="features"/> values at
    /// <paramref name="stride"/>) from <paramref name="input"/> into <paramref name="output"/>; padding of the output is zero.</summary>
    /// <param name="input">Frames to normalise, (count, stride).</param>
    /// <param name="output">Normalised frames, (count, stride).</param>
    /// <param name="count">Frames.</param>
    /// <param name="features">Values per frame normalised over.</param>
    /// <param name="stride">Floats between frames (whole vectors; the padding is zero).</param>
    /// <param name="scale">g, padded with zeros to <paramref name="stride"/>.</param>
    /// <param name="shift">b, padded with zeros to <paramref name="stride"/>.</param>
    /// <param name="epsilon">ε added to the variance.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNorm(ReadOnlySpan<float> input, Span<float> output, int count, int features, int stride,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, float epsilon)
    {
        if (stride % PackedLinear.Lane != 0 || features > stride || scale.Length < stride || shift.Length < stride
            || input.Length < count * stride || output.Length < count * stride)
            throw new ArgumentException("layer norm buffers do not match the frame layout");
        ref float g = ref MemoryMarshal.GetReference(scale);
        ref float b = ref MemoryMarshal.GetReference(shift);
        switch (Simd.Path)
        {
            case SimdPath.Vector512: LayerNorm512(input, output, count, features, stride, ref g, ref b, epsilon); break;
            case SimdPath.Vector: LayerNorm<PortableVector>(input, output, count, features, stride, ref g, ref b, epsilon); break;
            default: LayerNorm<ScalarVector>(input, output, count, features, stride, ref g, ref b, epsilon); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LayerNorm<T>(ReadOnlySpan<float> input, Span<float> output, int count, int features, int stride, ref float g, ref float b,
        float epsilon) where T : struct, IFloatVector<T>
    {
        float inverse = 1f / features;
        int lane = T.Count, full = features / lane * lane;
        for (int t = 0; t < count; t++)
        {
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), t * stride);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), t * stride);
            var sum = T.Broadcast(0f);
            for (nuint i = 0; i < (nuint)stride; i += (nuint)lane) sum = T.Add(sum, T.Load(ref x, i));
            float mean = T.Sum(sum) * inverse;
            var meanVector = T.Broadcast(mean);
            var squares = T.Broadcast(0f);
            for (nuint i = 0; i < (nuint)full; i += (nuint)lane)
            {
                var d = T.Subtract(T.Load(ref x, i), meanVector);
                squares = T.Fma(d, d, squares);
            }
            float tail = 0;
            for (int i = full; i < features; i++)
            {
                float d = Unsafe.Add(ref x, i) - mean;
                tail += d * d;
            }
            var rstd = T.Broadcast(1f / MathF.Sqrt((T.Sum(squares) + tail) * inverse + epsilon));
            for (nuint i = 0; i < (nuint)stride; i += (nuint)lane)
                T.Store(T.Fma(T.Multiply(T.Subtract(T.Load(ref x, i), meanVector), rstd), T.Load(ref g, i), T.Load(ref b, i)), ref y, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LayerNorm512(ReadOnlySpan<float> input, Span<float> output, int count, int features, int stride, ref float g, ref float b,
        float epsilon)
    {
        float inverse = 1f / features;
        for (int t = 0; t < count; t++)
        {
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), t * stride);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), t * stride);
            // padding is zero, so sums over whole vectors equal sums over the features
            var sum = Vector512<float>.Zero;
            for (nuint i = 0; i < (nuint)stride; i += PackedLinear.Lane) sum += Vector512.LoadUnsafe(ref x, i);
            float mean = Vector512.Sum(sum) * inverse;
            var meanVector = Vector512.Create(mean);
            var squares = Vector512<float>.Zero;
            int full = features / PackedLinear.Lane * PackedLinear.Lane;
            for (nuint i = 0; i < (nuint)full; i += PackedLinear.Lane)
            {
                var d = Vector512.LoadUnsafe(ref x, i) - meanVector;
                squares = Vector512.FusedMultiplyAdd(d, d, squares);
            }
            float tail = 0;
            for (int i = full; i < features; i++)
            {
                float d = Unsafe.Add(ref x, i) - mean;
                tail += d * d;
            }
            float variance = (Vector512.Sum(squares) + tail) * inverse;
            var rstd = Vector512.Create(1f / MathF.Sqrt(variance + epsilon));
            for (nuint i = 0; i < (nuint)stride; i += PackedLinear.Lane)
            {
                var normalised = (Vector512.LoadUnsafe(ref x, i) - meanVector) * rstd;
                Vector512.FusedMultiplyAdd(normalised, Vector512.LoadUnsafe(ref g, i), Vector512.LoadUnsafe(ref b, i)).StoreUnsafe(ref y, i);
            }
        }
    }

    /// <summary>y[t] = b + Σ_{i&lt;n} w[i] x[i·stride + t] for t &lt; stride (a whole number of vectors), the sum over i in order
    /// with fused multiply-adds on every <see cref="SimdPath"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FillWeightedSum(ref float y, float bias, ref float weights, ref float x, int n, int stride) =>
        FillWeightedSum(Simd.Path, ref y, bias, ref weights, ref x, n, stride);

    /// <summary><see cref="FillWeightedSum(ref float, float, ref float, ref float, int, int)"/> on a path read once by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FillWeightedSum(SimdPath path, ref float y, float bias, ref float weights, ref float x, int n, int stride)
    {
        switch (path)
        {
            case SimdPath.Vector512:
                for (nuint t = 0; t < (nuint)stride; t += 16)
                {
                    var acc = Vector512.Create(bias);
                    for (int i = 0; i < n; i++)
                        acc = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref weights, i)), Vector512.LoadUnsafe(ref x, (nuint)(i * stride) + t), acc);
                    acc.StoreUnsafe(ref y, t);
                }
                break;
            case SimdPath.Vector:
                int lane = Vector<float>.Count;
                for (int t = 0; t < stride; t += lane)
                {
                    var acc = new Vector<float>(bias);
                    for (int i = 0; i < n; i++)
                        acc = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref weights, i)), Vector.LoadUnsafe(ref x, (nuint)(i * stride + t)), acc);
                    acc.StoreUnsafe(ref y, (nuint)t);
                }
                break;
            default:
                for (int t = 0; t < stride; t++)
                {
                    float acc = bias;
                    for (int i = 0; i < n; i++) acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref weights, i), Unsafe.Add(ref x, i * stride + t), acc);
                    Unsafe.Add(ref y, t) = acc;
                }
                break;
        }
    }

    /// <summary>y += x ⊙ r for complex vectors held as separate real and imaginary spans (lengths a whole number of vectors):
    /// Re y += Re x Re r − Im x Im r, Im y += Re x Im r + Im x Re r (each as two fused multiply-adds, in that order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComplexMultiplyAdd(ReadOnlySpan<float> xRe, ReadOnlySpan<float> xIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        Span<float> yRe, Span<float> yIm) => ComplexMultiplyAdd(Simd.Path, xRe, xIm, rRe, rIm, yRe, yIm);

    /// <summary><see cref="ComplexMultiplyAdd(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>
    /// on a path read once by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ComplexMultiplyAdd(SimdPath path, ReadOnlySpan<float> xRe, ReadOnlySpan<float> xIm, ReadOnlySpan<float> rRe, ReadOnlySpan<float> rIm,
        Span<float> yRe, Span<float> yIm)
    {
        int n = yRe.Length;
        if (yIm.Length != n || xRe.Length < n || xIm.Length < n || rRe.Length < n || rIm.Length < n || n % PackedLinear.Lane != 0)
            throw new ArgumentException("complex spans must have the same whole-vector length");
        ref float a = ref MemoryMarshal.GetReference(xRe); ref float b = ref MemoryMarshal.GetReference(xIm);
        ref float c = ref MemoryMarshal.GetReference(rRe); ref float d = ref MemoryMarshal.GetReference(rIm);
        ref float re = ref MemoryMarshal.GetReference(yRe); ref float im = ref MemoryMarshal.GetReference(yIm);
        switch (path)
        {
            case SimdPath.Vector512:
                for (nuint i = 0; i < (nuint)n; i += 16)
                {
                    var va = Vector512.LoadUnsafe(ref a, i); var vb = Vector512.LoadUnsafe(ref b, i);
                    var vc = Vector512.LoadUnsafe(ref c, i); var vd = Vector512.LoadUnsafe(ref d, i);
                    Vector512.FusedMultiplyAdd(-vb, vd, Vector512.FusedMultiplyAdd(va, vc, Vector512.LoadUnsafe(ref re, i))).StoreUnsafe(ref re, i);
                    Vector512.FusedMultiplyAdd(vb, vc, Vector512.FusedMultiplyAdd(va, vd, Vector512.LoadUnsafe(ref im, i))).StoreUnsafe(ref im, i);
                }
                break;
            case SimdPath.Vector:
                for (nuint i = 0; i < (nuint)n; i += (nuint)Vector<float>.Count)
                {
                    var va = Vector.LoadUnsafe(ref a, i); var vb = Vector.LoadUnsafe(ref b, i);
                    var vc = Vector.LoadUnsafe(ref c, i); var vd = Vector.LoadUnsafe(ref d, i);
                    Vector.FusedMultiplyAdd(-vb, vd, Vector.FusedMultiplyAdd(va, vc, Vector.LoadUnsafe(ref re, i))).StoreUnsafe(ref re, i);
                    Vector.FusedMultiplyAdd(vb, vc, Vector.FusedMultiplyAdd(va, vd, Vector.LoadUnsafe(ref im, i))).StoreUnsafe(ref im, i);
                }
                break;
            default:
                for (int i = 0; i < n; i++)
                {
                    float va = Unsafe.Add(ref a, i), vb = Unsafe.Add(ref b, i), vc = Unsafe.Add(ref c, i), vd = Unsafe.Add(ref d, i);
                    Unsafe.Add(ref re, i) = MathF.FusedMultiplyAdd(-vb, vd, MathF.FusedMultiplyAdd(va, vc, Unsafe.Add(ref re, i)));
                    Unsafe.Add(ref im, i) = MathF.FusedMultiplyAdd(vb, vc, MathF.FusedMultiplyAdd(va, vd, Unsafe.Add(ref im, i)));
                }
                break;
        }
    }

    private static ref float Start(Span<float> values, out nuint length)
    {
        if (values.Length % PackedLinear.Lane != 0) throw new ArgumentException($"length {values.Length} is not a whole number of vectors", nameof(values));
        length = (nuint)values.Length;
        return ref MemoryMarshal.GetReference(values);
    }
}
