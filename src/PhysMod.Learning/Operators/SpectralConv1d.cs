using PhysMod.Physics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>A Fourier-domain linear layer over one spatial axis: a non-circular convolution whose kernel is learned as complex
/// channel-mixing matrices on the lowest spatial frequencies (spec §6.2, §11.6).</summary>
/// <remarks>
/// For an input v (B, I, W) and n = 2W − 1:
/// V = rfft_n(v) / √n (zero-padded, orthonormal), keep bins m &lt; M;
/// Y[b, o, m] = Σ_i V[b, i, m] R[i, o, m] (+ β[o, m] with a spectral bias);
/// y = irfft_n(Y) · √n (missing bins are zero), cropped to the first W samples.
/// The two 1/√n factors make the pair the ordinary DFT/inverse-DFT pair, so y = Σ_s h(t − s) v(s) with
/// h = irfft_n(R): a linear convolution with lags |t − s| ≤ W − 1 that the padding to 2W − 1 keeps free of wrap-around.
/// An rfft of length 2W − 1 has W bins, so M ≤ W. Because bin m is the same physical frequency on any grid over the same
/// length (up to the (2W − 1)/(2W) rounding), the layer also runs on other W ≥ M (resolution transfer).
/// Weights are real and imaginary parts kept apart (safetensors holds no complex tensors), drawn U(−s, s) with
/// s = 1/(I·O); the optional spectral bias (DAFx22 Fourier convolutions) is drawn U(−b, b) with b = 1/(O·√(2M − 1)) (the
/// DAFx22 range 1/O, rescaled for the orthonormal inverse transform of a grid with W = M).
/// The two truncated transforms are computed as products with the real matrices of <see cref="TruncatedDft"/> (cached per
/// grid size, dtype and device) and the per-bin mixing as one batched complex product (<see cref="SpectralProduct"/>):
/// the same sums as rfft/einsum/irfft, in a fraction of their time at the tutorial's sizes.
/// </remarks>
public sealed class SpectralConv1d : nn.Module<Tensor, Tensor>
{
    // Field names equal the registered names: TorchSharp's Module.to(...) re-binds parameter fields by name.
    private Parameter weight_re;
    private Parameter weight_im;
    private Parameter? bias_re;
    private Parameter? bias_im;
    private TruncatedDft? transforms;                   // not a tensor field: TorchSharp would register it as a buffer

    /// <summary>Creates the layer for <paramref name="modes"/> bins with weights drawn from <paramref name="generator"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">I: input channels.</param>
    /// <param name="outChannels">O: output channels.</param>
    /// <param name="modes">M: lowest spatial frequency bins kept (1 ≤ M; at run time M ≤ W).</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="dtype">Parameter dtype (Float32 or Float64).</param>
    /// <param name="spectralBias">Whether a complex bias is added per output channel and bin.</param>
    public SpectralConv1d(string name, int inChannels, int outChannels, int modes, Generator generator, ScalarType dtype = ScalarType.Float32,
        bool spectralBias = false)
        : base(name)
    {
        if (inChannels < 1 || outChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), "channels must be ≥ 1");
        if (modes < 1) throw new InvalidSettingException($"n_modes = {modes}: must be ≥ 1");
        InChannels = inChannels;
        OutChannels = outChannels;
        Modes = modes;
        double scale = 1.0 / (inChannels * outChannels);
        weight_re = new Parameter(OperatorInit.Uniform([inChannels, outChannels, modes], scale, generator, dtype));
        weight_im = new Parameter(OperatorInit.Uniform([inChannels, outChannels, modes], scale, generator, dtype));
        if (spectralBias)
        {
            double biasScale = 1.0 / outChannels / Math.Sqrt(2 * modes - 1);
            bias_re = new Parameter(OperatorInit.Uniform([outChannels, modes], biasScale, generator, dtype));
            bias_im = new Parameter(OperatorInit.Uniform([outChannels, modes], biasScale, generator, dtype));
        }
        RegisterComponents();
    }

    /// <summary>I: input channels.</summary>
    public int InChannels { get; }

    /// <summary>O: output channels.</summary>
    public int OutChannels { get; }

    /// <summary>M: spatial frequency bins kept.</summary>
    public int Modes { get; }

    /// <summary>Whether the layer has a spectral bias.</summary>
    public bool HasBias => bias_re is not null;

    /// <summary>Real part of R, (I, O, M).</summary>
    public Parameter WeightReal => weight_re;

    /// <summary>Imaginary part of R, (I, O, M).</summary>
    public Parameter WeightImaginary => weight_im;

    /// <summary>Scales the weights by <paramref name="factor"/> and, with a spectral bias, sets its DC bin so that the bias adds
    /// <paramref name="constant"/> at every point of a grid of <paramref name="gridPoints"/> points (irfft_n with orthonormal
    /// scaling turns a DC value β₀ into β₀/√n at every sample).</summary>
    public void Reinitialise(double factor, double constant, int gridPoints)
    {
        using var noGrad = no_grad();
        weight_re.mul_(factor);
        weight_im.mul_(factor);
        if (bias_re is not null && constant != 0)
            bias_re.select(1, 0).fill_(constant * Math.Sqrt(2.0 * gridPoints - 1));
    }

    /// <summary>Sets the real weight to the identity channel map on every kept bin and the imaginary weight to zero, so that the
    /// linear part of the layer keeps the lowest M bins of its input unchanged (the identity itself when M = W).</summary>
    /// <remarks>R[i, o, m] = δ_io: Y = V on bins m &lt; M and, with the orthonormal pair, y = v low-passed to those bins.</remarks>
    public void SetIdentity()
    {
        if (InChannels != OutChannels)
            throw new InvalidOperationException($"an identity needs as many output as input channels; this layer maps {InChannels} → {OutChannels}");
        using var noGrad = no_grad();
        using var identity = eye(InChannels, dtype: weight_re.dtype).unsqueeze(-1).expand(InChannels, InChannels, Modes);  // (I, O, M)
        weight_re.copy_(identity);
        weight_im.zero_();
    }

    /// <summary>Sets the spectral bias so that it adds <paramref name="constant"/> at every point of a grid of
    /// <paramref name="gridPoints"/> points and nothing else (DC bin c·√(2W − 1), every other bin zero).</summary>
    public void SetConstantBias(double constant, int gridPoints)
    {
        if (bias_re is null || bias_im is null) throw new InvalidOperationException("the layer has no spectral bias");
        using var noGrad = no_grad();
        bias_re.zero_();
        bias_im.zero_();
        bias_re.select(1, 0).fill_(constant * Math.Sqrt(2.0 * gridPoints - 1));
    }

    /// <summary>Frees the cached transform matrices with the module.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) transforms?.Dispose();
        transforms = null;
        base.Dispose(disposing);
    }

    /// <summary>The most bins an input of <paramref name="gridPoints"/> points offers: an rfft of length 2W − 1 has W bins.</summary>
    public static int MaxModes(int gridPoints) => gridPoints;

    /// <summary>Throws <see cref="InvalidSettingException"/> when <paramref name="modes"/> bins do not fit a grid of
    /// <paramref name="gridPoints"/> points.</summary>
    public static void CheckModes(int modes, int gridPoints)
    {
        if (modes < 1 || modes > MaxModes(gridPoints))
            throw new InvalidSettingException($"n_modes = {modes}: a grid of W = {gridPoints} points has {MaxModes(gridPoints)} bins in its (2W − 1)-point rfft; allowed are 1..{MaxModes(gridPoints)}");
    }

    /// <summary>v (B, I, W) → y (B, O, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != InChannels)
            throw new ArgumentException($"input must have shape (B, {InChannels}, W); got ({string.Join(", ", input.shape)})", nameof(input));
        int points = checked((int)input.shape[2]);
        CheckModes(Modes, points);
        long batch = input.shape[0];
        if (transforms is null || !transforms.Fits(points, input.dtype, input.device))
        {
            transforms?.Dispose();
            transforms = new TruncatedDft(points, Modes, input.dtype, input.device);
        }
        using var scope = NewDisposeScope();
        // rfft_n / √n as a matrix product, the (re, im) pairs viewed as complex numbers, bins first for the per-bin product
        var spectrum = view_as_complex(input.matmul(transforms.Forward).view(batch, InChannels, Modes, 2));   // (B, I, M) complex
        var perBin = spectrum.permute(2, 0, 1).contiguous();                                                   // (M, B, I) complex
        var weight = complex(weight_re.permute(2, 0, 1), weight_im.permute(2, 0, 1)).contiguous();             // (M, I, O) complex
        var mixed = SpectralProduct.Apply(perBin, weight);                                                     // (M, B, O) complex
        if (bias_re is not null && bias_im is not null) mixed = mixed + complex(bias_re, bias_im).t().unsqueeze(1); // (M, B, O)
        var pairs = view_as_real(mixed).permute(1, 2, 0, 3).reshape(batch, OutChannels, 2L * Modes);         // (B, O, 2M)
        var output = pairs.matmul(transforms.Inverse);                                                         // (B, O, W)
        return output.MoveToOuterDisposeScope();
    }
}
