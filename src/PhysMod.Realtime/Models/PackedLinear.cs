using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhysMod.Realtime.Models;

/// <summary>A dense layer y = W x + b applied to a block of frames at once, with its weights packed for SIMD (float32).</summary>
/// <remarks>
/// For each frame t of the block: y_t[r] = b[r] + Σ_k W[r, k] x_t[k], k = 0 … in−1 accumulated in that order with fused
/// multiply-adds. W is stored transposed, (in, out_padded), with the outputs padded to whole 16-float vectors, so a register
/// tile of 4 frames × 64 outputs is updated from one broadcast input value and four weight vectors per k (an outer-product
/// GEMM micro-kernel: weights are loaded once per block of frames, not once per frame). Every output element has the same
/// summation order whatever the tile it falls in, so results do not depend on the block length. Padded outputs are exactly 0.
/// Without AVX-512 the same sums run on System.Numerics.Vector&lt;float&gt; or one float at a time (<see cref="Simd.Path"/>),
/// in the same order with fused multiply-adds, so every path gives bit-identical outputs.
/// </remarks>
public sealed class PackedLinear
{
    /// <summary>Floats per Vector512, and the padding unit of every layout (a whole number of vectors for every path).</summary>
    public const int Lane = 16;

    private const int FrameTile = 4;
    private const int VectorTile = 4;

    private readonly float[] _weights;   // (in, out_padded)
    private readonly float[] _bias;      // (out_padded)

    /// <summary>Packs <paramref name="weight"/> (outputs, inputs) row-major, as torch's Linear stores it, and an optional bias.</summary>
    /// <param name="weight">W, shape (outputs, inputs), row-major.</param>
    /// <param name="bias">b, shape (outputs), or empty for none.</param>
    /// <param name="outputs">Rows of W.</param>
    /// <param name="inputs">Columns of W.</param>
    public PackedLinear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outputs, int inputs)
    {
        if (outputs < 1 || inputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), "a layer needs ≥ 1 input and output");
        if (weight.Length != (long)outputs * inputs)
            throw new ArgumentException($"weight holds {weight.Length} values, not {outputs}·{inputs}", nameof(weight));
        if (bias.Length != 0 && bias.Length != outputs)
            throw new ArgumentException($"bias holds {bias.Length} values, not {outputs}", nameof(bias));
        Inputs = inputs;
        Outputs = outputs;
        PaddedOutputs = Pad(outputs);
        _weights = new float[(long)inputs * PaddedOutputs];
        for (int r = 0; r < outputs; r++)
            for (int k = 0; k < inputs; k++) _weights[k * PaddedOutputs + r] = weight[r * inputs + k];
        _bias = new float[PaddedOutputs];
        bias.CopyTo(_bias);
    }

    /// <summary>Input features per frame.</summary>
    public int Inputs { get; }

    /// <summary>Output features per frame.</summary>
    public int Outputs { get; }

    /// <summary><see cref="Outputs"/> rounded up to whole vectors: the smallest output stride <see cref="Apply"/> accepts.</summary>
    public int PaddedOutputs { get; }

    /// <summary>Multiply-adds per frame (inputs × outputs).</summary>
    public long MultiplyAdds => (long)Inputs * Outputs;

    /// <summary><paramref name="count"/> rounded up to whole 16-float vectors.</summary>
    public static int Pad(int count) => (count + Lane - 1) / Lane * Lane;

    /// <summary>y_t = W x_t + b for t = 0 … count−1; frame t's input starts at t·inputStride, its output at t·outputStride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<float> input, int inputStride, Span<float> output, int outputStride, int count)
    {
        if (count <= 0) return;
        if (inputStride < Inputs || outputStride < PaddedOutputs)
            throw new ArgumentException($"strides {inputStride}/{outputStride} are below the layer's {Inputs} inputs / {PaddedOutputs} padded outputs");
        if (input.Length < (long)(count - 1) * inputStride + Inputs || output.Length < (long)(count - 1) * outputStride + PaddedOutputs)
            throw new ArgumentException($"buffers too short for {count} frames");
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        switch (Simd.Path)
        {
            case SimdPath.Vector512: Apply512(ref x, inputStride, ref y, outputStride, count); break;
            case SimdPath.Vector: ApplyPortable<PortableVector>(ref x, inputStride, ref y, outputStride, count); break;
            default: ApplyPortable<ScalarVector>(ref x, inputStride, ref y, outputStride, count); break;
        }
    }

    // The same sums for narrower vectors: tiles of 4 frames × 2 vectors (weights loaded once per 4 frames), then 4 × 1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyPortable<T>(ref float x, int inputStride, ref float y, int outputStride, int count) where T : struct, IFloatVector<T>
    {
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref float bias = ref MemoryMarshal.GetArrayDataReference(_bias);
        nuint stride = (nuint)PaddedOutputs;
        int t = 0;
        for (; t + FrameTile <= count; t += FrameTile)
        {
            ref float x0 = ref Unsafe.Add(ref x, t * inputStride), x1 = ref Unsafe.Add(ref x0, inputStride);
            ref float x2 = ref Unsafe.Add(ref x1, inputStride), x3 = ref Unsafe.Add(ref x2, inputStride);
            ref float y0 = ref Unsafe.Add(ref y, t * outputStride);
            nuint column = 0, lane = (nuint)T.Count, ys = (nuint)outputStride;
            for (; column + 2 * lane <= stride; column += 2 * lane)
            {
                T b0 = T.Load(ref bias, column), b1 = T.Load(ref bias, column + lane);
                T a00 = b0, a10 = b0, a20 = b0, a30 = b0, a01 = b1, a11 = b1, a21 = b1, a31 = b1;
                ref float w = ref Unsafe.Add(ref weights, column);
                for (int k = 0; k < Inputs; k++)
                {
                    T w0 = T.Load(ref w, 0), w1 = T.Load(ref w, lane);
                    var s0 = T.Broadcast(Unsafe.Add(ref x0, k)); a00 = T.Fma(w0, s0, a00); a01 = T.Fma(w1, s0, a01);
                    var s1 = T.Broadcast(Unsafe.Add(ref x1, k)); a10 = T.Fma(w0, s1, a10); a11 = T.Fma(w1, s1, a11);
                    var s2 = T.Broadcast(Unsafe.Add(ref x2, k)); a20 = T.Fma(w0, s2, a20); a21 = T.Fma(w1, s2, a21);
                    var s3 = T.Broadcast(Unsafe.Add(ref x3, k)); a30 = T.Fma(w0, s3, a30); a31 = T.Fma(w1, s3, a31);
                    w = ref Unsafe.Add(ref w, stride);
                }
                T.Store(a00, ref y0, column); T.Store(a01, ref y0, column + lane);
                T.Store(a10, ref y0, column + ys); T.Store(a11, ref y0, column + ys + lane);
                T.Store(a20, ref y0, column + 2 * ys); T.Store(a21, ref y0, column + 2 * ys + lane);
                T.Store(a30, ref y0, column + 3 * ys); T.Store(a31, ref y0, column + 3 * ys + lane);
            }
            for (; column < stride; column += lane)
            {
                var b = T.Load(ref bias, column);
                T a0 = b, a1 = b, a2 = b, a3 = b;
                ref float w = ref Unsafe.Add(ref weights, column);
                for (int k = 0; k < Inputs; k++)
                {
                    var wk = T.Load(ref w, 0);
                    a0 = T.Fma(wk, T.Broadcast(Unsafe.Add(ref x0, k)), a0);
                    a1 = T.Fma(wk, T.Broadcast(Unsafe.Add(ref x1, k)), a1);
                    a2 = T.Fma(wk, T.Broadcast(Unsafe.Add(ref x2, k)), a2);
                    a3 = T.Fma(wk, T.Broadcast(Unsafe.Add(ref x3, k)), a3);
                    w = ref Unsafe.Add(ref w, stride);
                }
                T.Store(a0, ref y0, column);
                T.Store(a1, ref y0, column + (nuint)outputStride);
                T.Store(a2, ref y0, column + 2 * (nuint)outputStride);
                T.Store(a3, ref y0, column + 3 * (nuint)outputStride);
            }
        }
        for (; t < count; t++)
        {
            ref float xt = ref Unsafe.Add(ref x, t * inputStride);
            ref float yt = ref Unsafe.Add(ref y, t * outputStride);
            nuint column = 0, lane = (nuint)T.Count;
            for (; column + 4 * lane <= stride; column += 4 * lane)                                    // 4 independent chains
            {
                T a0 = T.Load(ref bias, column), a1 = T.Load(ref bias, column + lane), a2 = T.Load(ref bias, column + 2 * lane), a3 = T.Load(ref bias, column + 3 * lane);
                ref float w = ref Unsafe.Add(ref weights, column);
                for (int k = 0; k < Inputs; k++)
                {
                    var s0 = T.Broadcast(Unsafe.Add(ref xt, k));
                    a0 = T.Fma(T.Load(ref w, 0), s0, a0); a1 = T.Fma(T.Load(ref w, lane), s0, a1);
                    a2 = T.Fma(T.Load(ref w, 2 * lane), s0, a2); a3 = T.Fma(T.Load(ref w, 3 * lane), s0, a3);
                    w = ref Unsafe.Add(ref w, stride);
                }
                T.Store(a0, ref yt, column); T.Store(a1, ref yt, column + lane); T.Store(a2, ref yt, column + 2 * lane); T.Store(a3, ref yt, column + 3 * lane);
            }
            for (; column < stride; column += lane)
            {
                var a = T.Load(ref bias, column);
                ref float w = ref Unsafe.Add(ref weights, column);
                for (int k = 0; k < Inputs; k++)
                {
                    a = T.Fma(T.Load(ref w, 0), T.Broadcast(Unsafe.Add(ref xt, k)), a);
                    w = ref Unsafe.Add(ref w, stride);
                }
                T.Store(a, ref yt, column);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Apply512(ref float x, int inputStride, ref float y, int outputStride, int count)
    {
        int vectors = PaddedOutputs / Lane;
        int t = 0;
        for (; t + FrameTile <= count; t += FrameTile)
        {
            ref float xt = ref Unsafe.Add(ref x, t * inputStride);
            ref float yt = ref Unsafe.Add(ref y, t * outputStride);
            int v = 0;
            for (; v + VectorTile <= vectors; v += VectorTile) Tile4x4(ref xt, inputStride, ref Unsafe.Add(ref yt, v * Lane), outputStride, v * Lane);
            for (; v < vectors; v++) Tile4x1(ref xt, inputStride, ref Unsafe.Add(ref yt, v * Lane), outputStride, v * Lane);
        }
        for (; t < count; t++)
        {
            ref float xt = ref Unsafe.Add(ref x, t * inputStride);
            ref float yt = ref Unsafe.Add(ref y, t * outputStride);
            int v = 0;
            for (; v + VectorTile <= vectors; v += VectorTile) Tile1x4(ref xt, ref Unsafe.Add(ref yt, v * Lane), v * Lane);
            for (; v < vectors; v++) Tile1x1(ref xt, ref Unsafe.Add(ref yt, v * Lane), v * Lane);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tile4x4(ref float x, int xs, ref float y, int ys, int column)
    {
        ref float w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), column);
        ref float b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bias), column);
        var b0 = Vector512.LoadUnsafe(ref b); var b1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, Lane));
        var b2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, 2 * Lane)); var b3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, 3 * Lane));
        Vector512<float> a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        Vector512<float> a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        ref float x1 = ref Unsafe.Add(ref x, xs), x2 = ref Unsafe.Add(ref x, 2 * xs), x3 = ref Unsafe.Add(ref x, 3 * xs);
        nuint stride = (nuint)PaddedOutputs;
        for (int k = 0; k < Inputs; k++)
        {
            var w0 = Vector512.LoadUnsafe(ref w); var w1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, Lane));
            var w2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 2 * Lane)); var w3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 3 * Lane));
            var s = Vector512.Create(Unsafe.Add(ref x, k));
            a00 = Vector512.FusedMultiplyAdd(w0, s, a00); a01 = Vector512.FusedMultiplyAdd(w1, s, a01);
            a02 = Vector512.FusedMultiplyAdd(w2, s, a02); a03 = Vector512.FusedMultiplyAdd(w3, s, a03);
            s = Vector512.Create(Unsafe.Add(ref x1, k));
            a10 = Vector512.FusedMultiplyAdd(w0, s, a10); a11 = Vector512.FusedMultiplyAdd(w1, s, a11);
            a12 = Vector512.FusedMultiplyAdd(w2, s, a12); a13 = Vector512.FusedMultiplyAdd(w3, s, a13);
            s = Vector512.Create(Unsafe.Add(ref x2, k));
            a20 = Vector512.FusedMultiplyAdd(w0, s, a20); a21 = Vector512.FusedMultiplyAdd(w1, s, a21);
            a22 = Vector512.FusedMultiplyAdd(w2, s, a22); a23 = Vector512.FusedMultiplyAdd(w3, s, a23);
            s = Vector512.Create(Unsafe.Add(ref x3, k));
            a30 = Vector512.FusedMultiplyAdd(w0, s, a30); a31 = Vector512.FusedMultiplyAdd(w1, s, a31);
            a32 = Vector512.FusedMultiplyAdd(w2, s, a32); a33 = Vector512.FusedMultiplyAdd(w3, s, a33);
            w = ref Unsafe.Add(ref w, stride);
        }
        Store4(ref y, a00, a01, a02, a03);
        Store4(ref Unsafe.Add(ref y, ys), a10, a11, a12, a13);
        Store4(ref Unsafe.Add(ref y, 2 * ys), a20, a21, a22, a23);
        Store4(ref Unsafe.Add(ref y, 3 * ys), a30, a31, a32, a33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tile4x1(ref float x, int xs, ref float y, int ys, int column)
    {
        ref float w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), column);
        var b = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_bias), (nuint)column);
        Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b;
        ref float x1 = ref Unsafe.Add(ref x, xs), x2 = ref Unsafe.Add(ref x, 2 * xs), x3 = ref Unsafe.Add(ref x, 3 * xs);
        nuint stride = (nuint)PaddedOutputs;
        for (int k = 0; k < Inputs; k++)
        {
            var w0 = Vector512.LoadUnsafe(ref w);
            a0 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x, k)), a0);
            a1 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x1, k)), a1);
            a2 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x2, k)), a2);
            a3 = Vector512.FusedMultiplyAdd(w0, Vector512.Create(Unsafe.Add(ref x3, k)), a3);
            w = ref Unsafe.Add(ref w, stride);
        }
        a0.StoreUnsafe(ref y);
        a1.StoreUnsafe(ref Unsafe.Add(ref y, ys));
        a2.StoreUnsafe(ref Unsafe.Add(ref y, 2 * ys));
        a3.StoreUnsafe(ref Unsafe.Add(ref y, 3 * ys));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tile1x4(ref float x, ref float y, int column)
    {
        ref float w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), column);
        ref float b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bias), column);
        var a0 = Vector512.LoadUnsafe(ref b); var a1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, Lane));
        var a2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, 2 * Lane)); var a3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, 3 * Lane));
        nuint stride = (nuint)PaddedOutputs;
        for (int k = 0; k < Inputs; k++)
        {
            var s = Vector512.Create(Unsafe.Add(ref x, k));
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w), s, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref w, Lane)), s, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 2 * Lane)), s, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 3 * Lane)), s, a3);
            w = ref Unsafe.Add(ref w, stride);
        }
        Store4(ref y, a0, a1, a2, a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tile1x1(ref float x, ref float y, int column)
    {
        ref float w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), column);
        var a = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_bias), (nuint)column);
        nuint stride = (nuint)PaddedOutputs;
        for (int k = 0; k < Inputs; k++)
        {
            a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w), Vector512.Create(Unsafe.Add(ref x, k)), a);
            w = ref Unsafe.Add(ref w, stride);
        }
        a.StoreUnsafe(ref y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(ref float y, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        a0.StoreUnsafe(ref y);
        a1.StoreUnsafe(ref Unsafe.Add(ref y, Lane));
        a2.StoreUnsafe(ref Unsafe.Add(ref y, 2 * Lane));
        a3.StoreUnsafe(ref Unsafe.Add(ref y, 3 * Lane));
    }
}
