using static TorchSharp.torch;

namespace PhysMod.Learning.Pinn;

/// <summary>The linear string PDE operator of the string PINN, applied to any differentiable field u(x̂, t̂).</summary>
/// <remarks>r = u_t̂t̂ + a₁ u_t̂ − a₃ u_t̂x̂x̂ + a₄ u_x̂x̂x̂x̂ − a₂ u_x̂x̂ (<see cref="StringPdeCoefficients"/>); the d3 and EI terms
/// are only differentiated for when their coefficient is non-zero. All derivatives by autograd.</remarks>
public static class StringResidual
{
    /// <summary>Evaluates u and r at points (x̂, t̂), each (N, 1) and requiring gradients; results (N, 1).</summary>
    public static (Tensor U, Tensor Residual) Evaluate(Func<Tensor, Tensor, Tensor> field, Tensor x, Tensor t, StringPdeCoefficients a)
    {
        var u = field(x, t);                                    // (N, 1)
        var ut = PointwiseDerivative.Of(u, t);
        var utt = PointwiseDerivative.Of(ut, t);
        var ux = PointwiseDerivative.Of(u, x);
        var uxx = PointwiseDerivative.Of(ux, x);
        var residual = utt + a.Damping * ut - a.Wave * uxx;
        if (a.FrequencyDamping != 0) residual = residual - a.FrequencyDamping * PointwiseDerivative.Of(uxx, t);
        if (a.Stiffness != 0)
        {
            var uxxxx = PointwiseDerivative.Of(PointwiseDerivative.Of(uxx, x), x);
            residual = residual + a.Stiffness * uxxxx;
        }
        return (u, residual);
    }
}
