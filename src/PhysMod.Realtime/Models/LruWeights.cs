namespace PhysMod.Realtime.Models;

/// <summary>The raw parameters of one linear recurrent unit as stored in a checkpoint (float32; spec §7.2).</summary>
/// <remarks>With model size D and state size H: λ = exp(−e^ν + i e^θ) (H), B̄ = (B_re + i B_im)⊙e^γ (H, D),
/// C = C_re + i C_im (D, H), and the optional feedthrough D (D).</remarks>
public sealed record LruWeights
{
    /// <summary>D: input and output features.</summary>
    public required int ModelSize { get; init; }

    /// <summary>H: complex states.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>ν (H).</summary>
    public required float[] NuLog { get; init; }

    /// <summary>θ (H).</summary>
    public required float[] ThetaLog { get; init; }

    /// <summary>γ (H).</summary>
    public required float[] GammaLog { get; init; }

    /// <summary>B_re (H, D).</summary>
    public required float[] BRe { get; init; }

    /// <summary>B_im (H, D).</summary>
    public required float[] BIm { get; init; }

    /// <summary>C_re (D, H).</summary>
    public required float[] CRe { get; init; }

    /// <summary>C_im (D, H).</summary>
    public required float[] CIm { get; init; }

    /// <summary>Feedthrough D (D), or null for an expansion layer.</summary>
    public float[]? Feedthrough { get; init; }

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => 3L * HiddenSize + 4L * HiddenSize * ModelSize + (Feedthrough?.LongLength ?? 0);

    /// <summary>Throws unless every array has its declared shape.</summary>
    public LruWeights Validate(string name)
    {
        long h = HiddenSize, d = ModelSize;
        if (h < 1 || d < 1 || NuLog.Length != h || ThetaLog.Length != h || GammaLog.Length != h || BRe.Length != h * d
            || BIm.Length != h * d || CRe.Length != h * d || CIm.Length != h * d || (Feedthrough is not null && Feedthrough.Length != d))
            throw new InvalidDataException($"{name}: LRU arrays do not match H = {h}, D = {d}");
        return this;
    }

    /// <summary>log |λ_j| = −e^{ν_j} (float64).</summary>
    public double[] LogModulus() => NuLog.Select(v => -Math.Exp(v)).ToArray();

    /// <summary>arg λ_j = e^{θ_j} (float64).</summary>
    public double[] Phase() => ThetaLog.Select(v => Math.Exp(v)).ToArray();

    /// <summary>B̄ as one real layer (2H, D): rows Re B̄ then Im B̄, so that its output is [Re B̄u | Im B̄u].</summary>
    public PackedLinear PackInput()
    {
        int h = HiddenSize, d = ModelSize;
        var weight = new float[2 * h * d];
        for (int j = 0; j < h; j++)
        {
            float gain = MathF.Exp(GammaLog[j]);
            for (int k = 0; k < d; k++)
            {
                weight[j * d + k] = BRe[j * d + k] * gain;
                weight[(h + j) * d + k] = BIm[j * d + k] * gain;
            }
        }
        return new PackedLinear(weight, [], 2 * h, d);
    }

    /// <summary>Re(C h) as one real layer (D, 2H) acting on [Re h | Im h]: columns C_re then −C_im.</summary>
    public PackedLinear PackOutput()
    {
        int h = HiddenSize, d = ModelSize;
        var weight = new float[d * 2 * h];
        for (int r = 0; r < d; r++)
            for (int j = 0; j < h; j++)
            {
                weight[r * 2 * h + j] = CRe[r * h + j];
                weight[r * 2 * h + h + j] = -CIm[r * h + j];
            }
        return new PackedLinear(weight, [], d, 2 * h);
    }
}
