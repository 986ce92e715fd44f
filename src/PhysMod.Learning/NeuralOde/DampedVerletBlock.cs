using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Damped velocity Verlet as a recurrent block (the tutorial's <c>solve_sv_leapfrog</c>).</summary>
/// <remarks>
/// v½ = v + ½Δt(−γ₂ v + F(q) + fⁿ), q⁺ = q + Δt v½, v⁺ = (v½ + ½Δt (F(q⁺) + f^{n+1})) / (1 + ½γ₂Δt).
/// <see cref="Rollout"/> computes the same with fewer full-size tensor ops: F(q) = −k(q) q − r(q) with the stiffness
/// k = ω² + λ (c Σ λ q²), so v½ = (1 − ½γ₂Δt) v − ½Δt k q + ½Δt (fⁿ − r(q)) (one addcmul), and k(q⁺), r(q⁺) of the second
/// half-kick are reused by the next step's first one (the residual MLP runs once per step, not twice).
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

    /// <inheritdoc />
    public override (Tensor Q, Tensor V) Rollout(ModalCoefficients system, Tensor q0, Tensor v0, double dt, int steps, Tensor? forces = null)
    {
        var keep = 1 - 0.5 * dt * system.Gamma2;                    // (N)
        var divide = (1 + 0.5 * dt * system.Gamma2).reciprocal();   // (N)
        var tension = system.TensionCoefficient is null ? null : (system.TensionCoefficient * system.Lambda).unsqueeze(1);   // (N, 1)
        var residual = system.Residual;
        // k(q): (B, N), or ω² (N) for a linear system.
        Tensor Stiffness(Tensor q) => tension is null ? system.Omega2 : addcmul(system.Omega2, system.Lambda, q.Squared().matmul(tension), 1);
        // fⁿ − r(q), or null when there is neither a force nor a residual. (B, N)
        Tensor? Extra(Tensor? r, int n)
        {
            var f = forces?[.., n];
            return r is null ? f : f is null ? -r : f - r;
        }

        var qs = new List<Tensor>(steps + 1) { q0 };
        var vs = new List<Tensor>(steps + 1) { v0 };
        Tensor q = q0, v = v0, k = Stiffness(q0);
        Tensor? r = residual?.Invoke(q0);
        for (int n = 0; n < steps; n++)
        {
            var half = addcmul(keep * v, k, q, value: -0.5 * dt);   // (B, N)
            var extra = Extra(r, n);
            if (extra is not null) half = half.add(extra, alpha: 0.5 * dt);
            q = q.add(half, alpha: dt);
            k = Stiffness(q);
            r = residual?.Invoke(q);
            var kicked = addcmul(half, k, q, value: -0.5 * dt);
            extra = Extra(r, n + 1);
            if (extra is not null) kicked = kicked.add(extra, alpha: 0.5 * dt);
            v = kicked * divide;
            qs.Add(q); vs.Add(v);
        }
        return (stack(qs, 1), stack(vs, 1));   // (B, steps+1, N)
    }
}
