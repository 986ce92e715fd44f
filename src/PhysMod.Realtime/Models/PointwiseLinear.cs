using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PhysMod.Realtime.Models;

/// <summary>A dense layer applied at every grid point of a field stored channel by channel (a 1×1 convolution), float32.</summary>
/// <remarks>y_o[t] = b_o + Σ_i W[o, i] x_i[t], the sum over i in order with fused multiply-adds, vectorised over the points t
/// (so every point gets the same summation order). Fields are (channels, stride) with stride a whole number of vectors.</remarks>
public sealed class PointwiseLinear
{
    private readonly float[] _weight;   // (O, I)
    private readonly float[] _bias;     // (O)
    private readonly int _stride;

    /// <summary>Builds the layer for fields of <paramref name="stride"/> floats per channel.</summary>
    public PointwiseLinear(DenseWeights weights, int stride)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (stride < 1 || stride % PackedLinear.Lane != 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "must be a whole number of vectors");
        _weight = weights.Weight.ToArray();
        _bias = weights.Bias.ToArray();
        Inputs = weights.Inputs;
        Outputs = weights.Outputs;
        _stride = stride;
    }

    /// <summary>I.</summary>
    public int Inputs { get; }

    /// <summary>O.</summary>
    public int Outputs { get; }

    /// <summary>y = W x + b at every point: x (I, stride) → y (O, stride); y must not overlap x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length < Inputs * _stride || output.Length < Outputs * _stride) throw new ArgumentException("field buffers shorter than channels × stride");
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        ref float w = ref MemoryMarshal.GetArrayDataReference(_weight);
        var path = Simd.Path;
        for (int o = 0; o < Outputs; o++)
        {
            ref float row = ref Unsafe.Add(ref w, o * Inputs);
            VectorMath.FillWeightedSum(path, ref Unsafe.Add(ref y, o * _stride), _bias[o], ref row, ref x, Inputs, _stride);
        }
    }

    /// <summary>Sets points W … stride − 1 of every channel to zero.</summary>
    public static void ClearPadding(Span<float> field, int channels, int points, int stride)
    {
        for (int c = 0; c < channels; c++) field.Slice(c * stride + points, stride - points).Clear();
    }
}
