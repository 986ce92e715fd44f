using System.Numerics.Tensors;

namespace PhysMod.Realtime.Models;

/// <summary>The Fourier RNN and Fourier GRU (Parker et al., DAFx22) as streaming frame generators: the hidden field is lifted
/// from x_0 once and advanced by the recurrent cell one frame at a time in float32.</summary>
/// <remarks>
/// <code>
///   h_0 = P([x_0 | grid]) (pointwise),   h_k = cell(h_{k−1}),   x̂_k = Q(h_k) (pointwise),   x̂_0 = x_0
///   FRNN cell: h ← a(K_d h) + W_d h + b_d,  d = 1 … depth
///   FGRU cell: z = σ(K_z h), r = σ(K_r h), h ← h + z ⊙ (tanh(K_h (r ⊙ h)) − h)
///   with a modal path: x̂_k = path(x̂_{k−1}) + σ·Q(h_k)   (<see cref="ModalPathStep"/>)
/// </code>
/// K are <see cref="SpectralConvolution"/>s; the hidden field is stored channel by channel, (H, W padded), and its padding is
/// kept at zero. The cell is nonlinear, so frames are produced one after the other; the cost per frame is the spectral
/// convolutions (<see cref="MultiplyAdds"/>). Nothing bounds an FRNN's hidden field (a ReLU cell run past its training horizon
/// can grow without limit), so a frame whose Σ|x̂| is no longer finite makes the model fall silent (zero frames,
/// <see cref="Diverged"/>) until the next <see cref="Start"/>, instead of emitting infinities or NaN.
/// </remarks>
public sealed class FourierRecurrentFrameModel : IFrameModel
{
    private readonly int _w, _c, _h, _points, _stride;
    private readonly PointwiseLinear _lifting, _readout;
    private readonly (SpectralConvolution Spectral, PointwiseLinear Local)[] _blocks;
    private readonly SpectralConvolution? _update, _reset, _candidate;
    private readonly ModalPathStep? _path;
    private readonly string _activation;
    private readonly float[] _initial, _lifted, _hidden, _a, _b, _c2, _out, _previous, _pathOut;
    private bool _atStart, _diverged;

    /// <summary>Builds the generator for blocks of up to <paramref name="maxFrames"/> frames.</summary>
    public FourierRecurrentFrameModel(FourierRecurrentWeights weights, int maxFrames = 64)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (maxFrames < 1) throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, "must be ≥ 1");
        if (weights.GridPoints < 1 || weights.Channels < 1) throw new InvalidDataException($"frames of {weights.GridPoints} × {weights.Channels}");
        Family = weights.Family;
        GridPoints = _w = weights.GridPoints;
        Channels = _c = weights.Channels;
        _points = PackedLinear.Pad(_w);
        _stride = PackedLinear.Pad(_w * _c);
        int lifted = _c + (weights.GridChannel ? 1 : 0);
        _lifting = new PointwiseLinear(weights.Lifting.Validate("lifting"), _points);
        _h = _lifting.Outputs;
        if (_lifting.Inputs != lifted) throw new InvalidDataException($"lifting takes {_lifting.Inputs} channels, not {lifted}");
        _readout = new PointwiseLinear(weights.Readout.Validate("readout"), _points);
        if (_readout.Inputs != _h || _readout.Outputs != _c) throw new InvalidDataException($"readout maps {_readout.Inputs} → {_readout.Outputs}, not {_h} → {_c}");
        SpectralConvolution Spectral(SpectralWeights s, string name)
        {
            var layer = new SpectralConvolution(s, _w, name);
            if (layer.Inputs != _h || layer.Outputs != _h) throw new InvalidDataException($"{name}: {layer.Inputs} → {layer.Outputs} channels, not {_h} → {_h}");
            return layer;
        }
        switch (weights.Family)
        {
            case "frnn":
                if (weights.Blocks.Count < 1) throw new InvalidDataException("frnn: no blocks");
                if (weights.Activation is not ("relu" or "gelu" or "tanh")) throw new InvalidDataException($"frnn: activation '{weights.Activation}'");
                _blocks = weights.Blocks.Select((b, i) =>
                {
                    var local = new PointwiseLinear(b.Pointwise.Validate($"block {i} pointwise"), _points);
                    if (local.Inputs != _h || local.Outputs != _h) throw new InvalidDataException($"block {i} pointwise: {local.Inputs} → {local.Outputs}, not {_h} → {_h}");
                    return (Spectral(b.Spectral, $"block {i} spectral"), local);
                }).ToArray();
                break;
            case "fgru":
                _blocks = [];
                _update = Spectral(weights.UpdateGate ?? throw new InvalidDataException("fgru: no update gate"), "update gate");
                _reset = Spectral(weights.ResetGate ?? throw new InvalidDataException("fgru: no reset gate"), "reset gate");
                _candidate = Spectral(weights.Candidate ?? throw new InvalidDataException("fgru: no candidate"), "candidate");
                break;
            default:
                throw new InvalidDataException($"family '{weights.Family}': a Fourier recurrent voice is frnn or fgru");
        }
        _activation = weights.Activation;
        MaxFrames = maxFrames;
        ParameterCount = weights.ParameterCount;
        _initial = new float[_w * _c];
        _lifted = new float[lifted * _points];
        if (weights.GridChannel)
            for (int t = 0; t < _w; t++) _lifted[_c * _points + t] = _w == 1 ? -1f : (float)(-1 + 2.0 * t / (_w - 1));
        _hidden = new float[_h * _points];
        _a = new float[_h * _points];
        _b = new float[_h * _points];
        _c2 = new float[_h * _points];
        _out = new float[_c * _points];
        _previous = new float[_c * _points];
        _pathOut = new float[_c * _points];
        if (weights.ModalPath is { } path) _path = new ModalPathStep(path, _w, _c, _points);
        MultiplyAdds = (_path?.MultiplyAdds ?? 0) + _blocks.Sum(b => b.Spectral.MultiplyAdds + (long)_h * _h * _w)
            + (_update?.MultiplyAdds ?? 0) + (_reset?.MultiplyAdds ?? 0) + (_candidate?.MultiplyAdds ?? 0) + (long)_h * _c * _w;
    }

    /// <inheritdoc/>
    public string Family { get; }

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

    /// <summary>Float32 multiply-adds per frame (cell and readout).</summary>
    public long MultiplyAdds { get; }

    /// <summary>Whether the hidden field overflowed since the last <see cref="Start"/> (the model then renders zeros).</summary>
    public bool Diverged => _diverged;

    /// <inheritdoc/>
    public void Start(ReadOnlySpan<float> initial)
    {
        if (initial.Length != _w * _c) throw new ArgumentException($"x0 has {initial.Length} values, not W·C = {_w * _c}", nameof(initial));
        initial.CopyTo(_initial);
        for (int c = 0; c < _c; c++)
            for (int t = 0; t < _w; t++) _lifted[c * _points + t] = initial[t * _c + c];
        _lifting.Apply(_lifted, _hidden);                                                             // h_0 = P(x_0)
        _lifted.AsSpan(0, _c * _points).CopyTo(_previous);                                            // x̂_0, channel-major
        PointwiseLinear.ClearPadding(_hidden, _h, _w, _points);
        _atStart = true;
        _diverged = false;
    }

    /// <inheritdoc/>
    public void Render(Span<float> frames, int count)
    {
        if (count < 1 || count > MaxFrames) throw new ArgumentOutOfRangeException(nameof(count), count, $"1 … {MaxFrames} frames per call");
        if (frames.Length < count * _stride) throw new ArgumentException($"frames holds {frames.Length} floats, not {count}·{_stride}", nameof(frames));
        for (int k = 0; k < count; k++)
        {
            var frame = frames.Slice(k * _stride, _stride);
            frame[(_w * _c)..].Clear();
            if (_atStart)
            {
                _initial.CopyTo(frame);                                                               // x̂_0 = x_0
                _atStart = false;
                continue;
            }
            if (!_diverged)
            {
                if (_blocks.Length > 0) StepFrnn(); else StepFgru();
                _readout.Apply(_hidden, _out);                                                        // (C, Wp)
                if (_path is not null)
                {
                    _path.Apply(_previous, _pathOut);                                                 // path(x̂_{k−1})
                    TensorPrimitives.MultiplyAdd(_out, _path.CorrectionScale, _pathOut, _out);       // + σ·Q(h_k)
                    _out.CopyTo(_previous);
                }
                _diverged = !float.IsFinite(TensorPrimitives.SumOfMagnitudes(_out));
            }
            if (_diverged)
            {
                frame.Clear();
                continue;
            }
            for (int c = 0; c < _c; c++)
            {
                var source = _out.AsSpan(c * _points, _w);
                for (int t = 0; t < source.Length; t++) frame[t * _c + c] = source[t];
            }
        }
    }

    // h ← a(K_d h) + W_d h + b_d for each block.
    private void StepFrnn()
    {
        foreach (var (spectral, local) in _blocks)
        {
            spectral.Apply(_hidden, _a);                                                             // K h   (H, Wp)
            switch (_activation)
            {
                case "relu": TensorPrimitives.Max(_a, 0f, _a); break;
                case "gelu": VectorMath.Gelu(_a); break;
                default: TensorPrimitives.Tanh(_a, _a); break;
            }
            local.Apply(_hidden, _b);                                                                // W h + b
            TensorPrimitives.Add(_a, _b, _hidden);
            PointwiseLinear.ClearPadding(_hidden, _h, _w, _points);
        }
    }

    // z = σ(K_z h), r = σ(K_r h), h ← h + z ⊙ (tanh(K_h (r ⊙ h)) − h).
    private void StepFgru()
    {
        _update!.Apply(_hidden, _a);
        TensorPrimitives.Sigmoid(_a, _a);                                                             // z
        _reset!.Apply(_hidden, _b);
        TensorPrimitives.Sigmoid(_b, _b);
        TensorPrimitives.Multiply(_b, _hidden, _b);                                                   // r ⊙ h
        _candidate!.Apply(_b, _c2);
        TensorPrimitives.Tanh(_c2, _c2);                                                              // ĥ
        TensorPrimitives.Subtract(_c2, _hidden, _c2);
        TensorPrimitives.MultiplyAdd(_a, _c2, _hidden, _hidden);                                      // h + z ⊙ (ĥ − h)
    }
}
