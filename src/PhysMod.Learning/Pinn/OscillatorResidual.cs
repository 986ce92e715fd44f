using static TorchSharp.torch;

namespace PhysMod.Learning.Pinn;

/// <summary>The damped-oscillator ODE operator of the PINN loss, applied to any differentiable trajectory q(t).</summary>
/// <remarks>r(t) = q̈ + σ₂ q̇ + ω₀² q (spec §4), with q̇ and q̈ by autograd; r ≡ 0 exactly for the true trajectory.</remarks>
public static class OscillatorResidual
{
    /// <summary>Evaluates q, q̇, q̈ and r at times <paramref name="t"/> (N, 1), which must require gradients; σ₂ and ω₀ are
    /// scalars or (1) tensors. All results (N, 1).</summary>
    public static (Tensor Q, Tensor Velocity, Tensor Acceleration, Tensor Residual) Evaluate(Func<Tensor, Tensor> trajectory, Tensor t,
        Tensor sigma2, Tensor omega0)
    {
        var q = trajectory(t);                                  // (N, 1)
        var velocity = PointwiseDerivative.Of(q, t);            // (N, 1)
        var acceleration = PointwiseDerivative.Of(velocity, t); // (N, 1)
        var residual = acceleration + sigma2 * velocity + omega0.Squared() * q;
        return (q, velocity, acceleration, residual);
    }
}
