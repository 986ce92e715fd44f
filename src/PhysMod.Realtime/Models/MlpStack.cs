namespace PhysMod.Realtime.Models;

/// <summary>A multilayer perceptron with SELU after every layer but the last, applied to a block of frames with preallocated
/// scratch (the equinox MLP of the Koopman encoder, decoder and modulation).</summary>
public sealed class MlpStack
{
    private readonly PackedLinear[] _layers;
    private readonly float[] _even, _odd;

    /// <summary>Packs the layers for blocks of up to <paramref name="maxFrames"/> frames.</summary>
    public MlpStack(IReadOnlyList<DenseWeights> layers, int maxFrames, string name)
    {
        if (layers.Count < 1) throw new InvalidDataException($"{name}: an MLP needs at least one layer");
        for (int i = 0; i < layers.Count; i++)
        {
            layers[i].Validate($"{name} layer {i}");
            if (i > 0 && layers[i].Inputs != layers[i - 1].Outputs)
                throw new InvalidDataException($"{name}: layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}");
        }
        _layers = layers.Select(l => l.Pack()).ToArray();
        int widest = _layers.Max(l => l.PaddedOutputs);
        _even = new float[maxFrames * widest];
        _odd = new float[maxFrames * widest];
        MaxFrames = maxFrames;
    }

    /// <summary>Inputs per frame.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <summary>Outputs per frame.</summary>
    public int Outputs => _layers[^1].Outputs;

    /// <summary>Output stride <see cref="Run"/> writes with.</summary>
    public int OutputStride => _layers[^1].PaddedOutputs;

    /// <summary>Most frames per call.</summary>
    public int MaxFrames { get; }

    /// <summary>Multiply-adds per frame.</summary>
    public long MultiplyAdds => _layers.Sum(l => l.MultiplyAdds);

    /// <summary>Runs <paramref name="count"/> frames from <paramref name="input"/> (at <paramref name="inputStride"/>) into
    /// <paramref name="output"/> (at <see cref="OutputStride"/>).</summary>
    public void Run(ReadOnlySpan<float> input, int inputStride, Span<float> output, int count)
    {
        if (count < 1 || count > MaxFrames) throw new ArgumentOutOfRangeException(nameof(count), count, $"1 … {MaxFrames} frames per call");
        ReadOnlySpan<float> current = input;
        int stride = inputStride;
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            bool last = i == _layers.Length - 1;
            Span<float> target = last ? output : (i % 2 == 0 ? _even : _odd).AsSpan(0, count * layer.PaddedOutputs);
            layer.Apply(current, stride, target, layer.PaddedOutputs, count);
            if (!last) VectorMath.Selu(target);
            current = target;
            stride = layer.PaddedOutputs;
        }
    }
}
