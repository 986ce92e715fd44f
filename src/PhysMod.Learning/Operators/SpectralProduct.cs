using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace PhysMod.Learning.Operators;

/// <summary>The per-bin complex channel mixing of a spectral convolution as one autograd node whose forward and backward
/// products each run as a single strided batch-GEMM over the bins.</summary>
/// <remarks>
/// For spectra V (M, B, I) and weights R (M, I, O), both complex and contiguous:
/// <code>
///   Y_m = V_m R_m                 (M, B, O)
///   dV_m = dY_m R_mᴴ,  dR_m = V_mᴴ dY_m
/// </code>
/// (the Wirtinger convention of torch for complex inputs, as the built-in batched product uses). libtorch runs a batched
/// product as one batch-GEMM call only when every matrix of the batch is contiguous or transposed; the gradient reaching
/// this node comes through a permute and is neither, and the built-in backward would then call one GEMM per bin (each
/// a thread-pool wake-up when libtorch runs on several threads). Here the gradient is made contiguous first.
/// </remarks>
public sealed class SpectralProduct : SingleTensorFunction<SpectralProduct>
{
    /// <inheritdoc/>
    public override string Name => nameof(SpectralProduct);

    /// <summary>Y = V R per bin: V (M, B, I), R (M, I, O) complex → (M, B, O).</summary>
    public static Tensor Apply(Tensor spectra, Tensor weights) => apply(spectra, weights);

    /// <inheritdoc/>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var spectra = (Tensor)vars[0];                                                                 // (M, B, I)
        var weights = (Tensor)vars[1];                                                                 // (M, I, O)
        ctx.save_for_backward([spectra, weights]);
        return spectra.bmm(weights);                                                                   // (M, B, O)
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var spectra = saved[0];
        var weights = saved[1];
        var gradient = grad_output.contiguous();                                                       // (M, B, O)
        var gradSpectra = gradient.bmm(weights.transpose(1, 2).conj());                                // (M, B, I)
        var gradWeights = spectra.transpose(1, 2).conj().bmm(gradient);                                // (M, I, O)
        return [gradSpectra, gradWeights];
    }
}
