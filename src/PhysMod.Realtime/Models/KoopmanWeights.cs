namespace PhysMod.Realtime.Models;

/// <summary>Everything a streaming deep Koopman model needs: frame shape, encoder and decoder MLPs (SELU between layers),
/// the eigenvalue parameters, the optional modulation MLP (spec §7.1) and the optional linear paths (linear_skip).</summary>
public sealed record KoopmanWeights
{
    /// <summary>W.</summary>
    public required int GridPoints { get; init; }

    /// <summary>C.</summary>
    public required int Channels { get; init; }

    /// <summary>φ: W·C → d_latent.</summary>
    public required IReadOnlyList<DenseWeights> Encoder { get; init; }

    /// <summary>φ⁻¹: d_latent → W·C.</summary>
    public required IReadOnlyList<DenseWeights> Decoder { get; init; }

    /// <summary>ν (d_latent / 2).</summary>
    public required float[] NuLog { get; init; }

    /// <summary>θ (d_latent / 2).</summary>
    public required float[] ThetaLog { get; init; }

    /// <summary>Whether log |λ| is clipped to ≤ −1e-5.</summary>
    public bool ClipEigs { get; init; }

    /// <summary>m(|z|²): d_latent/2 → d_latent, or null when modulation is off.</summary>
    public IReadOnlyList<DenseWeights>? Modulation { get; init; }

    /// <summary>energy_phase map A (n·n, row-major), or null when the option is off.</summary>
    public float[]? PhaseEnergy { get; init; }

    /// <summary>Linear path P of the encoder (d_latent · W·C, row-major, no bias), or null when linear_skip is off.</summary>
    public float[]? EncoderSkip { get; init; }

    /// <summary>Linear path Q of the decoder (W·C · d_latent, row-major, no bias), or null when linear_skip is off.</summary>
    public float[]? DecoderSkip { get; init; }

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => Encoder.Sum(l => l.ParameterCount) + Decoder.Sum(l => l.ParameterCount)
        + NuLog.LongLength + ThetaLog.LongLength + (Modulation?.Sum(l => l.ParameterCount) ?? 0) + (PhaseEnergy?.LongLength ?? 0)
        + (EncoderSkip?.LongLength ?? 0) + (DecoderSkip?.LongLength ?? 0);
}
