using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The per-mode right-hand side of a modal system as tensors: stiffness, damping, tension modulation and an optional learned residual force.</summary>
/// <remarks>
/// q̈ = a(q, q̇, f) = −γ₂ q̇ + F(q) + f with the conservative part F(q) = −ω² q − c λ q Σ_ν λ_ν q_ν² − r(q)
/// (c = 0 for a linear system; r is the learned residual of the hybrid model, zero when absent).
/// </remarks>
/// <param name="Omega2">ω² (N).</param>
/// <param name="Gamma2">γ₂ = 2γ (N).</param>
/// <param name="Lambda">λ (N), weights of the tension-modulation stretch.</param>
/// <param name="TensionCoefficient">c (scalar) or null for no tension modulation.</param>
/// <param name="Residual">r(q) (B, N) → (B, N), subtracted like the physical nonlinearity, or null.</param>
public sealed record ModalCoefficients(Tensor Omega2, Tensor Gamma2, Tensor Lambda, Tensor? TensionCoefficient = null,
    Func<Tensor, Tensor>? Residual = null)
{
    /// <summary>Number of modes.</summary>
    public long Modes => Omega2.shape[0];

    /// <summary>The nonlinear force f_nl(q) = c λ q Σ λ q² + r(q) (zero tensor when linear). Shapes: (B, N) → (B, N).</summary>
    public Tensor Nonlinear(Tensor q)
    {
        Tensor? force = null;
        if (TensionCoefficient is not null)
        {
            var stretch = (Lambda * q * q).sum(-1, keepdim: true);   // (B, 1)
            force = TensionCoefficient * Lambda * q * stretch;          // (B, N)
        }
        if (Residual is not null) force = force is null ? Residual(q) : force + Residual(q);
        return force ?? zeros_like(q);
    }

    /// <summary>F(q) + f = −ω² q − f_nl(q) + f, the acceleration without damping. Shapes: (B, N).</summary>
    public Tensor Conservative(Tensor q, Tensor? force)
    {
        var a = -Omega2 * q;
        if (TensionCoefficient is not null || Residual is not null) a = a - Nonlinear(q);
        return force is null ? a : a + force;
    }
}
