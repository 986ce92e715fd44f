using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>A time-integration scheme written as a differentiable recurrent block: one call advances a batch of modal states by Δt.</summary>
public abstract class RecurrentIntegrator
{
    /// <summary>Name used in configs (verlet, rk4).</summary>
    public abstract string Name { get; }

    /// <summary>Advances (q, q̇) from frame n to n+1 under modal forces fⁿ and f^{n+1} (null: unforced). Shapes: (B, N).</summary>
    public abstract (Tensor Q, Tensor V) Step(ModalCoefficients system, Tensor q, Tensor v, double dt, Tensor? force0, Tensor? force1);

    /// <summary>Runs <paramref name="steps"/> steps from (q⁰, q̇⁰) and returns every frame including the first: (B, steps+1, N) each.</summary>
    /// <param name="system">The coefficients.</param>
    /// <param name="q0">q⁰ (B, N).</param>
    /// <param name="v0">q̇⁰ (B, N).</param>
    /// <param name="dt">Step (s).</param>
    /// <param name="steps">Number of steps.</param>
    /// <param name="forces">Modal forces (B, steps+1, N) for frames 0..steps, or null.</param>
    public virtual (Tensor Q, Tensor V) Rollout(ModalCoefficients system, Tensor q0, Tensor v0, double dt, int steps, Tensor? forces = null)
    {
        var qs = new List<Tensor>(steps + 1) { q0 };
        var vs = new List<Tensor>(steps + 1) { v0 };
        Tensor q = q0, v = v0;
        for (int n = 0; n < steps; n++)
        {
            (q, v) = Step(system, q, v, dt, forces?[.., n], forces?[.., n + 1]);
            qs.Add(q); vs.Add(v);
        }
        return (stack(qs, 1), stack(vs, 1));   // (B, steps+1, N)
    }

    /// <summary>Damped velocity Verlet (spec §1.5b).</summary>
    public static RecurrentIntegrator Verlet { get; } = new DampedVerletBlock();

    /// <summary>Classical RK4 with the force interpolated linearly within the step (spec §1.5f).</summary>
    public static RecurrentIntegrator RungeKutta4 { get; } = new RungeKutta4Block();

    /// <summary>Looks an integrator up by name.</summary>
    public static RecurrentIntegrator Parse(string name) => name switch
    {
        "verlet" => Verlet,
        "rk4" => RungeKutta4,
        _ => throw new PhysMod.Physics.InvalidSettingException($"integrator '{name}': allowed are verlet, rk4"),
    };
}
