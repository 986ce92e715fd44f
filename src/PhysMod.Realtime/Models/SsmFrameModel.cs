using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhysMod.Realtime.Models;

/// <summary>The stacked LRU model (spec §7.2) as a streaming frame generator: the expansion LRU in closed form and each
/// sequence layer as its causal recurrence, a block of frames at a time.</summary>
/// <remarks>
/// Frame k from x_0 (D = W·C values):
/// <code>
///   y⁰_k = Re(C₀ λ₀^k B̄₀ x_0)                                 (expansion layer, no feedthrough)
///   u = LayerNorm_i(y^{i−1}_k);  h_k = λ_i ⊙ h_{k−1} + B̄_i u;  y^i_k = y^{i−1}_k + act(Re(C_i h_k) + D_i ⊙ u)
/// </code>
/// with act = gelu (tanh form), or g ⊙ σ(W g + b) with g = gelu(·) for half_glu1. λ₀^k B̄₀x_0 and every h are float64
/// (<see cref="DiagonalPowers"/>, <see cref="DiagonalRecurrence"/>); the projections are float32 block GEMMs
/// (<see cref="PackedLinear"/>). State per step is O(H) per layer; the cost per frame is (1 + 2L)·2HD multiply-adds.
/// </remarks>
public sealed class SsmFrameModel : IFrameModel
{
    private readonly int _d, _h, _stride, _stateStride;
    private readonly PackedLinear _firstInput, _firstOutput;
    private readonly DiagonalPowers _first;
    private readonly EnergyPhase? _energyPhase;
    private readonly Layer[] _layers;
    private readonly float _epsilon;
    private readonly float[] _initial, _start, _states, _x, _u, _drive, _y, _gate;

    /// <summary>Builds the generator for blocks of up to <paramref name="maxFrames"/> frames.</summary>
    public SsmFrameModel(SsmWeights weights, int maxFrames = 64)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (maxFrames < 1) throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, "must be ≥ 1");
        GridPoints = weights.GridPoints;
        Channels = weights.Channels;
        _d = checked(GridPoints * Channels);
        var first = weights.First.Validate("first LRU");
        if (first.ModelSize != _d) throw new InvalidDataException($"first LRU: model size {first.ModelSize} ≠ W·C = {_d}");
        if (first.Feedthrough is not null) throw new InvalidDataException("first LRU: an expansion layer has no feedthrough");
        _h = first.HiddenSize;
        _stride = PackedLinear.Pad(_d);
        _epsilon = weights.NormEpsilon;
        MaxFrames = maxFrames;
        ParameterCount = weights.ParameterCount;

        _firstInput = first.PackInput();
        _firstOutput = first.PackOutput();
        _first = new DiagonalPowers(first.LogModulus(), first.Phase());
        _energyPhase = weights.PhaseEnergy is { } map ? new EnergyPhase(map, _h) : null;
        int widestState = 2 * _h;
        _layers = new Layer[weights.Layers.Count];
        for (int i = 0; i < _layers.Length; i++)
        {
            var layer = weights.Layers[i];
            var lru = layer.Lru.Validate($"layer {i} LRU");
            if (lru.ModelSize != _d) throw new InvalidDataException($"layer {i} LRU: model size {lru.ModelSize} ≠ W·C = {_d}");
            if (lru.Feedthrough is null) throw new InvalidDataException($"layer {i} LRU: a sequence layer needs its feedthrough D");
            if (layer.NormScale.Length != _d || layer.NormShift.Length != _d) throw new InvalidDataException($"layer {i}: layer norm size ≠ W·C = {_d}");
            if (layer.Gate is { } gate && (gate.Validate($"layer {i} gate").Inputs != _d || gate.Outputs != _d))
                throw new InvalidDataException($"layer {i}: gate is {gate.Outputs} × {gate.Inputs}, not {_d} × {_d}");
            _layers[i] = new Layer(lru.PackInput(), lru.PackOutput(), layer.Gate?.Pack(), new DiagonalRecurrence(lru.LogModulus(), lru.Phase()),
                Padded(lru.Feedthrough, _stride), Padded(layer.NormScale, _stride), Padded(layer.NormShift, _stride));
            widestState = Math.Max(widestState, 2 * lru.HiddenSize);
        }
        _stateStride = PackedLinear.Pad(widestState);
        _initial = new float[_stride];
        _start = new float[PackedLinear.Pad(2 * _h)];
        _states = new float[maxFrames * _stateStride];
        _drive = new float[maxFrames * _stateStride];
        _x = new float[maxFrames * _stride];
        _u = new float[maxFrames * _stride];
        _y = new float[maxFrames * _stride];
        _gate = _layers.Any(l => l.Gate is not null) ? new float[maxFrames * _stride] : [];
        MultiplyAdds = _firstOutput.MultiplyAdds + _layers.Sum(l => l.Input.MultiplyAdds + l.Output.MultiplyAdds + (l.Gate?.MultiplyAdds ?? 0));
    }

    /// <inheritdoc/>
    public string Family => "ssm";

    /// <inheritdoc/>
    public int GridPoints { get; }

    /// <inheritdoc/>
    public int Channels { get; }

    /// <inheritdoc/>
    public int FrameStride => _stride;

    /// <inheritdoc/>
    public int MaxFrames { get; }

    /// <inheritdoc/>
    public long ParameterCount { get; }

    /// <summary>Float32 multiply-adds of the projections per frame.</summary>
    public long MultiplyAdds { get; }

    /// <inheritdoc/>
    public void Start(ReadOnlySpan<float> initial)
    {
        if (initial.Length != _d) throw new ArgumentException($"x0 has {initial.Length} values, not W·C = {_d}", nameof(initial));
        initial.CopyTo(_initial);
        _firstInput.Apply(_initial, _stride, _start, _start.Length, 1);                               // B̄₀x₀ → [Re | Im]
        ReadOnlySpan<float> re0 = _start.AsSpan(0, _h), im0 = _start.AsSpan(_h, _h);
        if (_energyPhase is null) _first.Start(re0, im0);
        else _first.Start(re0, im0, _energyPhase.Scale(re0, im0));                                   // arg λ₀(x₀)
        foreach (var layer in _layers) layer.Recurrence.Reset();
    }

    /// <inheritdoc/>
    public void Render(Span<float> frames, int count)
    {
        if (count < 1 || count > MaxFrames) throw new ArgumentOutOfRangeException(nameof(count), count, $"1 … {MaxFrames} frames per call");
        if (frames.Length < count * _stride) throw new ArgumentException($"frames holds {frames.Length} floats, not {count}·{_stride}", nameof(frames));
        int s = _stateStride;
        for (int t = 0; t < count; t++)
        {
            _first.Write(_states.AsSpan(t * s, _h), _states.AsSpan(t * s + _h, _h));                  // λ₀^k B̄₀x₀
            _first.Advance();
        }
        _firstOutput.Apply(_states, s, _x, _stride, count);                                            // (count, D)
        var x = _x.AsSpan(0, count * _stride);
        var u = _u.AsSpan(0, count * _stride);
        var y = _y.AsSpan(0, count * _stride);
        foreach (var layer in _layers)
        {
            VectorMath.LayerNorm(x, u, count, _d, _stride, layer.NormScale, layer.NormShift, _epsilon);
            layer.Input.Apply(u, _stride, _drive, s, count);                                           // B̄u
            layer.Recurrence.Run(_drive, _states, s, count);                                           // h_k
            layer.Output.Apply(_states, s, y, _stride, count);                                         // Re(C h)
            AddProduct(y, layer.Feedthrough, u, count);                                                // + D ⊙ u
            VectorMath.Gelu(y);
            if (layer.Gate is { } gate)
            {
                var g = _gate.AsSpan(0, count * _stride);
                gate.Apply(y, _stride, g, _stride, count);
                VectorMath.MultiplySigmoid(y, g);
            }
            Add(x, y);
        }
        x.CopyTo(frames);
    }

    // y_t += d ⊙ u_t for every frame t of the block.
    private void AddProduct(Span<float> y, float[] d, ReadOnlySpan<float> u, int count)
    {
        ref float dr = ref MemoryMarshal.GetArrayDataReference(d);
        if (Simd.Path != SimdPath.Vector512)
        {
            for (int t = 0; t < count; t++)
                System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(d, u.Slice(t * _stride, _stride), y.Slice(t * _stride, _stride), y.Slice(t * _stride, _stride));
            return;
        }
        for (int t = 0; t < count; t++)
        {
            ref float yr = ref MemoryMarshal.GetReference(y.Slice(t * _stride));
            ref float ur = ref MemoryMarshal.GetReference(u.Slice(t * _stride));
            for (nuint i = 0; i < (nuint)_stride; i += PackedLinear.Lane)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref dr, i), Vector512.LoadUnsafe(ref ur, i), Vector512.LoadUnsafe(ref yr, i)).StoreUnsafe(ref yr, i);
        }
    }

    private static void Add(Span<float> x, ReadOnlySpan<float> y)
    {
        if (Simd.Path != SimdPath.Vector512)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(x, y[..x.Length], x);
            return;
        }
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        for (nuint i = 0; i < (nuint)x.Length; i += PackedLinear.Lane)
            (Vector512.LoadUnsafe(ref xr, i) + Vector512.LoadUnsafe(ref yr, i)).StoreUnsafe(ref xr, i);
    }

    private static float[] Padded(float[] values, int length)
    {
        var padded = new float[length];
        values.CopyTo(padded, 0);
        return padded;
    }

    private sealed record Layer(PackedLinear Input, PackedLinear Output, PackedLinear? Gate, DiagonalRecurrence Recurrence,
        float[] Feedthrough, float[] NormScale, float[] NormShift);
}
