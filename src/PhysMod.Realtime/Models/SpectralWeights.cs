namespace PhysMod.Realtime.Models;

/// <summary>The parameters of one Fourier (spectral) convolution as stored in a checkpoint (float32; spec §6.2).</summary>
/// <remarks>R = R_re + i R_im, shape (I, O, M) row-major; the optional spectral bias β = β_re + i β_im, shape (O, M).</remarks>
public sealed record SpectralWeights
{
    /// <summary>I: input channels.</summary>
    public required int Inputs { get; init; }

    /// <summary>O: output channels.</summary>
    public required int Outputs { get; init; }

    /// <summary>M: spatial frequency bins kept.</summary>
    public required int Modes { get; init; }

    /// <summary>R_re (I, O, M).</summary>
    public required float[] WeightRe { get; init; }

    /// <summary>R_im (I, O, M).</summary>
    public required float[] WeightIm { get; init; }

    /// <summary>β_re (O, M), or null without a spectral bias.</summary>
    public float[]? BiasRe { get; init; }

    /// <summary>β_im (O, M), or null without a spectral bias.</summary>
    public float[]? BiasIm { get; init; }

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => WeightRe.LongLength + WeightIm.LongLength + (BiasRe?.LongLength ?? 0) + (BiasIm?.LongLength ?? 0);

    /// <summary>Throws unless the arrays have the declared shapes.</summary>
    public SpectralWeights Validate(string name)
    {
        long weights = (long)Inputs * Outputs * Modes, biases = (long)Outputs * Modes;
        if (Inputs < 1 || Outputs < 1 || Modes < 1 || WeightRe.Length != weights || WeightIm.Length != weights)
            throw new InvalidDataException($"{name}: weights [{WeightRe.Length}], [{WeightIm.Length}] do not make ({Inputs}, {Outputs}, {Modes})");
        if ((BiasRe is null) != (BiasIm is null) || (BiasRe is not null && (BiasRe.Length != biases || BiasIm!.Length != biases)))
            throw new InvalidDataException($"{name}: the spectral bias must be two ({Outputs}, {Modes}) arrays or absent");
        return this;
    }
}
