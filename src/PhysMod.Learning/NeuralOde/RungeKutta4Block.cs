using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Classical fourth-order Runge–Kutta on x = [q; q̇] as a recurrent block.</summary>
/// <remarks>ẋ = [q̇; −γ₂ q̇ + F(q) + f(t)] with f(t + Δt/2) = (fⁿ + f^{n+1})/2; x⁺ = x + Δt (k1 + 2k2 + 2k3 + k4)/6.</remarks>
public sealed class RungeKutta4Block : RecurrentIntegrator
{
    /// <inheritdoc />
    public override string Name => "rk4";

    /// <inheritdoc />
    public override (Tensor Q, Tensor V) Step(ModalCoefficients system, Tensor q, Tensor v, double dt, Tensor? force0, Tensor? force1)
    {
        Tensor? middle = force0 is null || force1 is null ? force0 ?? force1 : 0.5 * (force0 + force1);
        Tensor Acceleration(Tensor qs, Tensor vs, Tensor? f) => system.Conservative(qs, f) - system.Gamma2 * vs;   // (B, N)
        var (k1q, k1v) = (v, Acceleration(q, v, force0));
        var (q2, v2) = (q + 0.5 * dt * k1q, v + 0.5 * dt * k1v);
        var (k2q, k2v) = (v2, Acceleration(q2, v2, middle));
        var (q3, v3) = (q + 0.5 * dt * k2q, v + 0.5 * dt * k2v);
        var (k3q, k3v) = (v3, Acceleration(q3, v3, middle));
        var (q4, v4) = (q + dt * k3q, v + dt * k3v);
        var (k4q, k4v) = (v4, Acceleration(q4, v4, force1));
        return (q + dt / 6 * (k1q + 2 * k2q + 2 * k3q + k4q), v + dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v));
    }
}
