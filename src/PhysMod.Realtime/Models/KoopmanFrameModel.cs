using System.Numerics.Tensors;

namespace PhysMod.Realtime.Models;

/// <summary>The deep Koopman network (spec §7.1) as a streaming frame generator: encode x_0 once, advance the latent by its
/// eigenvalues, decode a block of frames at a time.</summary>
/// <remarks>
/// <code>
///   z_0 = φ(x_0),   z_k = λ^k ⊙ z_0 (complex, n = d_latent/2 coordinates: z = [Re | Im]),   x_k = φ⁻¹(z_k)
/// </code>
/// with λ_j = exp(ℓ_j + i e^{θ_j}), ℓ_j = −e^{ν_j} (clipped to ≤ −1e-5 with clip_eigs). With modulation the decoded latent is
/// z_k ⊙ (m_re + i m_im), [m_re | m_im] = m(|z_k|²), while the recurrence itself stays linear (as in torch). The latent runs
/// in float64 (<see cref="DiagonalPowers"/>); with energy_phase the arguments are scaled per excitation (<see cref="EnergyPhase"/>); the MLPs are float32 block GEMMs, and the decoder is the cost per frame.
/// With linear_skip, φ(x) = MLP(x) + P x and φ⁻¹(z) = MLP(z) + Q z (P, Q without bias, as in torch).
/// </remarks>
public sealed class KoopmanFrameModel : IFrameModel
{
    /// <summary>Largest log-modulus with clip_eigs.</summary>
    public const double ClipLogModulus = -1e-5;

    private readonly int _d, _n, _latentStride, _stride;
    private readonly MlpStack _encoder, _decoder;
    private readonly MlpStack? _modulation;
    private readonly DiagonalPowers _powers;
    private readonly EnergyPhase? _energyPhase;
    private readonly PackedLinear? _encoderSkip, _decoderSkip;
    private readonly float[] _initial, _encoded, _latent, _magnitude, _gain, _skipLatent, _skipFrames;

    /// <summary>Builds the generator for blocks of up to <paramref name="maxFrames"/> frames.</summary>
    public KoopmanFrameModel(KoopmanWeights weights, int maxFrames = 64)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (maxFrames < 1) throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, "must be ≥ 1");
        GridPoints = weights.GridPoints;
        Channels = weights.Channels;
        _d = checked(GridPoints * Channels);
        _n = weights.NuLog.Length;
        if (_n < 1 || weights.ThetaLog.Length != _n) throw new InvalidDataException($"dynamics: ν has {weights.NuLog.Length} and θ {weights.ThetaLog.Length} values");
        _encoder = new MlpStack(weights.Encoder, 1, "encoder");
        _decoder = new MlpStack(weights.Decoder, maxFrames, "decoder");
        if (_encoder.Inputs != _d || _decoder.Outputs != _d) throw new InvalidDataException($"encoder takes {_encoder.Inputs} and decoder gives {_decoder.Outputs} values, not W·C = {_d}");
        if (_encoder.Outputs != 2 * _n || _decoder.Inputs != 2 * _n) throw new InvalidDataException($"encoder gives {_encoder.Outputs} and decoder takes {_decoder.Inputs} latents, not d_latent = {2 * _n}");
        if (weights.Modulation is { } modulation)
        {
            _modulation = new MlpStack(modulation, maxFrames, "modulation");
            if (_modulation.Inputs != _n || _modulation.Outputs != 2 * _n) throw new InvalidDataException($"modulation maps {_modulation.Inputs} → {_modulation.Outputs}, not {_n} → {2 * _n}");
        }
        if ((weights.EncoderSkip is null) != (weights.DecoderSkip is null))
            throw new InvalidDataException("linear_skip needs both the encoder's and the decoder's linear path");
        if (weights.EncoderSkip is { } p) _encoderSkip = new PackedLinear(p, [], 2 * _n, _d);
        if (weights.DecoderSkip is { } q) _decoderSkip = new PackedLinear(q, [], _d, 2 * _n);
        var logModulus = weights.NuLog.Select(v => -Math.Exp(v)).Select(l => weights.ClipEigs ? Math.Min(l, ClipLogModulus) : l).ToArray();
        var phase = weights.ThetaLog.Select(v => Math.Exp(v)).ToArray();
        _powers = new DiagonalPowers(logModulus, phase);
        _energyPhase = weights.PhaseEnergy is { } map ? new EnergyPhase(map, _n) : null;
        MaxFrames = maxFrames;
        ParameterCount = weights.ParameterCount;
        _stride = _decoder.OutputStride;
        _latentStride = PackedLinear.Pad(2 * _n);
        _initial = new float[PackedLinear.Pad(_d)];
        _encoded = new float[_encoder.OutputStride];
        _latent = new float[maxFrames * _latentStride];
        _magnitude = _modulation is null ? [] : new float[maxFrames * PackedLinear.Pad(_n)];
        _gain = _modulation is null ? [] : new float[maxFrames * _modulation.OutputStride];
        _skipLatent = _encoderSkip is null ? [] : new float[_encoderSkip.PaddedOutputs];
        _skipFrames = _decoderSkip is null ? [] : new float[maxFrames * _stride];
        MultiplyAdds = _decoder.MultiplyAdds + (_modulation?.MultiplyAdds ?? 0) + (_decoderSkip?.MultiplyAdds ?? 0);
    }

    /// <inheritdoc/>
    public string Family => "koopman";

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

    /// <summary>Float32 multiply-adds per frame (decoder and modulation).</summary>
    public long MultiplyAdds { get; }

    /// <inheritdoc/>
    public void Start(ReadOnlySpan<float> initial)
    {
        if (initial.Length != _d) throw new ArgumentException($"x0 has {initial.Length} values, not W·C = {_d}", nameof(initial));
        initial.CopyTo(_initial);
        _encoder.Run(_initial, _initial.Length, _encoded, 1);                                         // z_0 = φ(x_0)
        if (_encoderSkip is not null)
        {
            _encoderSkip.Apply(_initial, _initial.Length, _skipLatent, _skipLatent.Length, 1);       // + P x_0
            for (int i = 0; i < 2 * _n; i++) _encoded[i] += _skipLatent[i];
        }
        ReadOnlySpan<float> re0 = _encoded.AsSpan(0, _n), im0 = _encoded.AsSpan(_n, _n);
        if (_energyPhase is null) _powers.Start(re0, im0);
        else _powers.Start(re0, im0, _energyPhase.Scale(re0, im0));                                  // arg λ(z_0)
    }

    /// <inheritdoc/>
    public void Render(Span<float> frames, int count)
    {
        if (count < 1 || count > MaxFrames) throw new ArgumentOutOfRangeException(nameof(count), count, $"1 … {MaxFrames} frames per call");
        if (frames.Length < count * _stride) throw new ArgumentException($"frames holds {frames.Length} floats, not {count}·{_stride}", nameof(frames));
        int s = _latentStride;
        for (int t = 0; t < count; t++)
        {
            _powers.Write(_latent.AsSpan(t * s, _n), _latent.AsSpan(t * s + _n, _n));                 // λ^k z_0
            _powers.Advance();
        }
        if (_modulation is not null) Modulate(count);
        _decoder.Run(_latent, s, frames, count);                                                       // φ⁻¹(z_k)
        if (_decoderSkip is not null)
        {
            _decoderSkip.Apply(_latent, s, _skipFrames, _stride, count);                               // + Q z_k
            TensorPrimitives.Add(frames[..(count * _stride)], _skipFrames.AsSpan(0, count * _stride), frames[..(count * _stride)]);
        }
    }

    // z ← z ⊙ (m_re + i m_im) with [m_re | m_im] = m(|z|²), frame by frame.
    private void Modulate(int count)
    {
        int s = _latentStride, ms = PackedLinear.Pad(_n), gs = _modulation!.OutputStride;
        for (int t = 0; t < count; t++)
        {
            var re = _latent.AsSpan(t * s, _n); var im = _latent.AsSpan(t * s + _n, _n);
            var magnitude = _magnitude.AsSpan(t * ms, _n);
            for (int j = 0; j < _n; j++) magnitude[j] = re[j] * re[j] + im[j] * im[j];
        }
        _modulation.Run(_magnitude, ms, _gain, count);
        for (int t = 0; t < count; t++)
        {
            var re = _latent.AsSpan(t * s, _n); var im = _latent.AsSpan(t * s + _n, _n);
            var gainRe = _gain.AsSpan(t * gs, _n); var gainIm = _gain.AsSpan(t * gs + _n, _n);
            for (int j = 0; j < _n; j++)
            {
                float r = re[j], i = im[j];
                re[j] = r * gainRe[j] - i * gainIm[j];
                im[j] = r * gainIm[j] + i * gainRe[j];
            }
        }
    }
}
