using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The modal coefficients of the stiff, lossy string as differentiable float64 torch functions of its physical parameters.</summary>
/// <remarks>
/// The same formulas as <c>PhysMod.Physics.Modal.ModalSystem.ForString</c>, <c>TriangularPluck</c> and <c>StringBasis</c>
/// (a test checks that both agree to 1e-12): λ_μ = (μπ/L)², ω_μ² = B̂ λ² + T̂ λ, γ₂,μ = d̂1 + d̂3 λ with
/// B̂ = EI/ρA, T̂ = T0/ρA, d̂ = d/ρA; tension modulation c = (EA/ρA)/(2L)/(L/2);
/// pluck q_μ(0) = h L sin(k_μ x_e)/(k_μ² x_e (L − x_e)); mode shape K_μ(x) = sin(μπx/L).
/// </remarks>
public static class StringCoefficients
{
    /// <summary>Mode numbers μ = 1..N as a float64 tensor. Shape: (N).</summary>
    public static Tensor ModeNumbers(int modes) => arange(1, modes + 1, dtype: float64);

    /// <summary>λ_μ = (μπ/L)² for a scalar length tensor. Shape: (N).</summary>
    public static Tensor Eigenvalues(Tensor length, int modes)
    {
        var k = ModeNumbers(modes) * Math.PI / length;   // (N)
        return k * k;
    }

    /// <summary>ω² = B̂ λ² + T̂ λ (B̂ = EI/ρA, T̂ = T0/ρA). Shape: like λ.</summary>
    public static Tensor Omega2(Tensor lambda, Tensor bendingOverDensity, Tensor tensionOverDensity) =>
        bendingOverDensity * lambda * lambda + tensionOverDensity * lambda;

    /// <summary>γ₂ = d̂1 + d̂3 λ (d̂ = d/ρA). Shape: like λ.</summary>
    public static Tensor Gamma2(Tensor lambda, Tensor d1OverDensity, Tensor d3OverDensity) => d1OverDensity + d3OverDensity * lambda;

    /// <summary>Tension-modulation strength c = (EA/ρA)/(2L)/(L/2) with the norm length <paramref name="normLength"/>.</summary>
    public static Tensor TensionCoefficient(Tensor stiffnessOverDensity, Tensor length, Tensor normLength) =>
        stiffnessOverDensity / (2 * length) / (normLength / 2);

    /// <summary>Modal coefficients of a triangular pluck of height h at x_e (m), released from rest. Shape: (N).</summary>
    public static Tensor Pluck(Tensor length, int modes, double height, double position)
    {
        var k = ModeNumbers(modes) * Math.PI / length;   // (N)
        return height * length * (k * position).sin() / (k * k * position * (length - position));
    }

    /// <summary>Mode shapes K_μ(x) = sin(μπx/L) at x (m). Shape: (N).</summary>
    public static Tensor Shapes(Tensor length, int modes, double position) => (ModeNumbers(modes) * (Math.PI * position) / length).sin();
}
