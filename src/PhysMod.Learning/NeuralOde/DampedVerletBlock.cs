using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Damped velocity Verlet as a recurrent block (the tutorial's <c>solve_sv_leapfrog</c>).</summary>
/// <remarks>
/// v½ = v + ½Δt(−γ₂ v + F(q) + fⁿ), q⁺ = q + Δt v½, v⁺ = (v½ + ½Δt (F(q⁺) + f^{n+1})) / (1 + ½γ₂Δt).
/// </remarks>
public sealed class DampedVerletBlock : RecurrentIntegrator
{
    /// <inheritdoc />
    public override string Name => "verlet";

    /// <inheritdoc />
    public override (Tensor Q, Tensor V) Step(ModalCoefficients system, Tensor q, Tensor v, double dt, Tensor? force0, Tensor? force1)
    {
        var half = v + 0.5 * dt * (system.Conservative(q, force0) - system.Gamma2 * v);   // (B, N)
        var next = q + dt * half;
        var velocity = (half + 0.5 * dt * system.Conservative(next, force1)) / (1 + 0.5 * dt * system.Gamma2);
        return (next, velocity);
    }
}
