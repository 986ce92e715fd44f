using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace PhysMod.Realtime.Models;

/// <summary>A Fourier convolution over the grid for hidden fields stored channel by channel: zero-padded orthonormal rfft of
/// length n = 2W − 1 restricted to the first M bins, complex channel mixing per bin, and the inverse restricted to those bins,
/// each done as a precomputed real DFT matrix (float32).</summary>
/// <remarks>
/// For an input field v (I channels × W points) and θ_mt = 2π m t / n:
/// <code>
///   V_i[m] = (1/√n) Σ_{t&lt;W} v_i[t] (cos θ_mt − i sin θ_mt),                  m &lt; M     (rfft_n, ortho, bins &lt; M)
///   Y_o[m] = Σ_i V_i[m] R[i, o, m] + β[o, m]                                              (complex mixing)
///   y_o[t] = (1/√n) Σ_{m&lt;M} c_m (Re Y_o[m] cos θ_mt − Im Y_o[m] sin θ_mt),   t &lt; W     (irfft_n, ortho, cropped)
/// </code>
/// with c_0 = 1 and c_m = 2 for m ≥ 1: n is odd, so every bin 1 … W − 1 has its conjugate partner and there is no Nyquist bin;
/// irfft ignores Im Y[0], which the sin θ_0t = 0 column does by construction. The forward and inverse DFTs are block GEMMs
/// (<see cref="PackedLinear"/>) with the channels as frames: (2M × W) and (W × 2M) matrices, cheaper than an FFT for
/// M ≪ W and regular to vectorise. A field is laid out (channels, <see cref="FieldStride"/>); spectra (channels,
/// <see cref="SpectrumStride"/>) as [Re (M padded) | Im (M padded)].
/// </remarks>
public sealed class SpectralConvolution
{
    private readonly PackedLinear _forward, _inverse;
    private readonly float[] _weights;     // (O, I, 2·Mp): [Re | Im] per (o, i)
    private readonly float[] _bias;        // (O, 2·Mp)
    private readonly float[] _spectrum, _mixed;
    private readonly int _half;

    /// <summary>Builds the layer for a grid of <paramref name="gridPoints"/> points.</summary>
    public SpectralConvolution(SpectralWeights weights, int gridPoints, string name)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate(name);
        if (weights.Modes > gridPoints)
            throw new InvalidDataException($"{name}: {weights.Modes} bins, but a grid of W = {gridPoints} points has only {gridPoints} in its (2W − 1)-point rfft");
        Inputs = weights.Inputs;
        Outputs = weights.Outputs;
        Modes = weights.Modes;
        GridPoints = gridPoints;
        FieldStride = PackedLinear.Pad(gridPoints);
        _half = PackedLinear.Pad(Modes);
        SpectrumStride = 2 * _half;
        int n = 2 * gridPoints - 1;
        double norm = 1 / Math.Sqrt(n);
        var forward = new float[SpectrumStride * gridPoints];                                        // (2Mp, W)
        var inverse = new float[gridPoints * SpectrumStride];                                        // (W, 2Mp)
        for (int m = 0; m < Modes; m++)
            for (int t = 0; t < gridPoints; t++)
            {
                double angle = 2 * Math.PI * ((long)m * t % n) / n;
                double c = Math.Cos(angle) * norm, s = Math.Sin(angle) * norm, weight = m == 0 ? 1 : 2;
                forward[m * gridPoints + t] = (float)c;
                forward[(_half + m) * gridPoints + t] = (float)-s;
                inverse[t * SpectrumStride + m] = (float)(weight * c);
                inverse[t * SpectrumStride + _half + m] = (float)(-weight * s);
            }
        _forward = new PackedLinear(forward, [], SpectrumStride, gridPoints);
        _inverse = new PackedLinear(inverse, [], gridPoints, SpectrumStride);
        _weights = new float[Outputs * Inputs * SpectrumStride];
        for (int i = 0; i < Inputs; i++)
            for (int o = 0; o < Outputs; o++)
                for (int m = 0; m < Modes; m++)
                {
                    int source = (i * Outputs + o) * Modes + m, target = (o * Inputs + i) * SpectrumStride + m;
                    _weights[target] = weights.WeightRe[source];
                    _weights[target + _half] = weights.WeightIm[source];
                }
        _bias = new float[Outputs * SpectrumStride];
        if (weights.BiasRe is { } biasRe && weights.BiasIm is { } biasIm)
            for (int o = 0; o < Outputs; o++)
                for (int m = 0; m < Modes; m++)
                {
                    _bias[o * SpectrumStride + m] = biasRe[o * Modes + m];
                    _bias[o * SpectrumStride + _half + m] = biasIm[o * Modes + m];
                }
        _spectrum = new float[Inputs * SpectrumStride];
        _mixed = new float[Outputs * SpectrumStride];
        MultiplyAdds = 2L * Modes * gridPoints * (Inputs + Outputs) + 4L * Inputs * Outputs * Modes;
    }

    /// <summary>I.</summary>
    public int Inputs { get; }

    /// <summary>O.</summary>
    public int Outputs { get; }

    /// <summary>M.</summary>
    public int Modes { get; }

    /// <summary>W.</summary>
    public int GridPoints { get; }

    /// <summary>Floats between channels of a field (W rounded up to whole vectors).</summary>
    public int FieldStride { get; }

    /// <summary>Floats between channels of a spectrum (2 × M rounded up to whole vectors).</summary>
    public int SpectrumStride { get; }

    /// <summary>Float32 multiply-adds per application.</summary>
    public long MultiplyAdds { get; }

    /// <summary>y = K v for a field v (I, <see cref="FieldStride"/>) into y (O, <see cref="FieldStride"/>); the padding of y
    /// (points ≥ W) is written as zero and the padding of v is not read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        int s = SpectrumStride;
        _forward.Apply(input, FieldStride, _spectrum, s, Inputs);                                    // (I, 2Mp)
        _bias.CopyTo(_mixed, 0);
        ref float spectrum = ref MemoryMarshal.GetArrayDataReference(_spectrum);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref float mixed = ref MemoryMarshal.GetArrayDataReference(_mixed);
        var path = Simd.Path;
        for (int o = 0; o < Outputs; o++)
        {
            var yRe = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref mixed, o * s), _half);
            var yIm = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref mixed, o * s + _half), _half);
            for (int i = 0; i < Inputs; i++)
            {
                var xRe = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref spectrum, i * s), _half);
                var xIm = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref spectrum, i * s + _half), _half);
                var rRe = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref weights, (o * Inputs + i) * s), _half);
                var rIm = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref weights, (o * Inputs + i) * s + _half), _half);
                VectorMath.ComplexMultiplyAdd(path, xRe, xIm, rRe, rIm, yRe, yIm);                          // Y_o += V_i ⊙ R_io
            }
        }
        _inverse.Apply(_mixed, s, output, FieldStride, Outputs);                                     // (O, Wp)
    }
}
