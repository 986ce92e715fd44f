using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The course's pure neural case (spec §5.2): the whole modal acceleration is an MLP of the normalised state and force,
/// integrated by velocity Verlet without the damping division.</summary>
/// <remarks>
/// a_θ(q, v, f) = s_a · MLP([q/s_q, v/s_v, f/s_f]) with MLP 3N → W → … → N, tanh, last layer ×1e-3 and bias 0;
/// v½ = v + ½Δt a(q, v, fⁿ), q⁺ = q + Δt v½, v⁺ = v½ + ½Δt a(q⁺, v½, f^{n+1}).
/// </remarks>
public sealed class NeuralAccelerationModel : nn.Module
{
    private readonly FeedForwardMlp mlp;
    private readonly double _qScale, _vScale, _fScale, _aScale;

    /// <summary>Creates the model for <paramref name="modes"/> modes with the given MLP size and input/output scales.</summary>
    public NeuralAccelerationModel(int modes, int width, int depth, double qScale, double vScale, double fScale, double accelerationScale, Generator generator)
        : base("neural_acceleration")
    {
        Modes = modes;
        _qScale = qScale; _vScale = vScale; _fScale = fScale; _aScale = accelerationScale;
        mlp = new FeedForwardMlp(3 * modes, modes, width, depth, "tanh", "uniform", 1e-3, generator);
        RegisterComponents();
    }

    /// <summary>Number of modes N.</summary>
    public int Modes { get; }

    /// <summary>a_θ(q, v, f). Shapes: (B, N) each → (B, N).</summary>
    public Tensor Acceleration(Tensor q, Tensor v, Tensor f) => _aScale * mlp.forward(cat([q / _qScale, v / _vScale, f / _fScale], -1));

    /// <summary>Runs <paramref name="steps"/> steps from (q⁰, v⁰) (B, N) under forces (B, steps+1, N); returns every frame, (B, steps+1, N) each.</summary>
    public (Tensor Q, Tensor V) Rollout(Tensor q0, Tensor v0, double dt, int steps, Tensor forces) =>
        VerletRollout(Acceleration, q0, v0, dt, steps, forces);

    /// <summary>Velocity Verlet without the damping division for any acceleration a(q, v, f): every frame, (B, steps+1, N) each.</summary>
    public static (Tensor Q, Tensor V) VerletRollout(Func<Tensor, Tensor, Tensor, Tensor> acceleration, Tensor q0, Tensor v0, double dt, int steps, Tensor forces)
    {
        var qs = new List<Tensor>(steps + 1) { q0 };
        var vs = new List<Tensor>(steps + 1) { v0 };
        Tensor q = q0, v = v0;
        for (int n = 0; n < steps; n++)
        {
            var half = v + 0.5 * dt * acceleration(q, v, forces[.., n]);   // (B, N)
            q = q + dt * half;
            v = half + 0.5 * dt * acceleration(q, half, forces[.., n + 1]);
            qs.Add(q); vs.Add(v);
        }
        return (stack(qs, 1), stack(vs, 1));
    }
}
