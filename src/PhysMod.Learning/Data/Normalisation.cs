using System.Text.Json.Serialization;
using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Data;

/// <summary>The per-channel scaling a model is trained in: each channel divided by its max |·| over the training split.</summary>
/// <remarks>x̂[…, c] = x[…, c] / s_c with s_c = max over the training split (all stored frames) of |x[…, c]| (spec §6.1,
/// <c>only_scale=True</c>: the mean is not subtracted). It is stored with the run (config.json and the checkpoint) and
/// applied unchanged at evaluation. A channel that is zero everywhere gets s_c = 1.</remarks>
public sealed record Normalisation
{
    /// <summary>The divisor s_c of each channel, in channel order.</summary>
    [JsonPropertyName("scale")]
    public required IReadOnlyList<double> Scale { get; init; }

    /// <summary>Number of channels.</summary>
    [JsonIgnore]
    public int Channels => Scale.Count;

    /// <summary>Scales from per-channel maxima of |x| (zero maxima become 1).</summary>
    public static Normalisation FromMaxAbs(IReadOnlyList<float> maxAbs)
    {
        var scale = new double[maxAbs.Count];
        for (int c = 0; c < scale.Length; c++)
        {
            if (!float.IsFinite(maxAbs[c])) throw new InvalidDataException($"channel {c} of the training split holds NaN or infinite values");
            scale[c] = maxAbs[c] > 0 ? maxAbs[c] : 1.0;
        }
        return new Normalisation { Scale = scale };
    }

    /// <summary>The identity scaling for <paramref name="channels"/> channels.</summary>
    public static Normalisation Identity(int channels) => new() { Scale = Enumerable.Repeat(1.0, channels).ToArray() };

    /// <summary>x / s per channel; <paramref name="x"/> is (…, C) and the result has its dtype.</summary>
    public Tensor Normalise(Tensor x) => x / ScaleTensor(x);

    /// <summary>x · s per channel; <paramref name="x"/> is (…, C) and the result has its dtype.</summary>
    public Tensor Denormalise(Tensor x) => x * ScaleTensor(x);

    /// <summary>Divides interleaved values (…, C) in place, in float32 as <see cref="Normalise(Tensor)"/> does.</summary>
    public void NormaliseInPlace(Span<float> values)
    {
        var divisors = Scale.Select(s => (float)s).ToArray();
        for (int i = 0; i < values.Length; i++) values[i] /= divisors[i % divisors.Length];
    }

    /// <summary>Multiplies interleaved values (…, C) in place, in float32 as <see cref="Denormalise(Tensor)"/> does.</summary>
    public void DenormaliseInPlace(Span<float> values)
    {
        var factors = Scale.Select(s => (float)s).ToArray();
        for (int i = 0; i < values.Length; i++) values[i] *= factors[i % factors.Length];
    }

    /// <summary>Throws unless every scale is finite and &gt; 0 and there are <paramref name="channels"/> of them.</summary>
    public Normalisation Validate(int channels)
    {
        if (Scale is null || Scale.Count != channels)
            throw new InvalidDataException($"normalisation has {Scale?.Count ?? 0} channel scales; the data has {channels} channels");
        foreach (double s in Scale)
            if (!(s > 0) || double.IsInfinity(s)) throw new InvalidDataException($"normalisation scale {InvalidSettingException.Format(s)} must be a finite number > 0");
        return this;
    }

    /// <inheritdoc/>
    public bool Equals(Normalisation? other) => other is not null && Scale.SequenceEqual(other.Scale);

    /// <inheritdoc/>
    public override int GetHashCode() => Scale.Aggregate(0, (h, s) => HashCode.Combine(h, s));

    private Tensor ScaleTensor(Tensor x)
    {
        if (x.shape.Length == 0 || x.shape[^1] != Scale.Count)
            throw new ArgumentException($"tensor of shape [{string.Join(", ", x.shape)}] does not end in the {Scale.Count} channels the normalisation has");
        return tensor(Scale.ToArray(), dtype: ScalarType.Float64).to_type(x.dtype);
    }
}
