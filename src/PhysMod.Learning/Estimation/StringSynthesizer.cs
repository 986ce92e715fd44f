using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;

namespace PhysMod.Learning.Estimation;

/// <summary>Differentiable exact modal synthesis of a plucked linear string's pickup signal as a function of T0, d1, d3 and L.</summary>
/// <remarks>
/// Per mode (ω², γ₂ from <see cref="StringCoefficients"/>, γ = γ₂/2, ω_d = √(ω² − γ²), q⁰ the pluck, q̇⁰ = 0):
/// q(t) = q⁰ e^{−γt} (cos ω_d t + (γ/ω_d) sin ω_d t), q̇(t) = −q⁰ (ω²/ω_d) e^{−γt} sin ω_d t, and the pickup reads
/// y = Σ_μ K_μ(x_p)/(L/2) · q_μ (displacement) or q̇_μ (velocity) at t = n/fs: the sampled exact solution, which the
/// Physics exact and conservative integrators reproduce for a linear string.
/// </remarks>
public sealed class StringSynthesizer
{
    private readonly Tensor _time;   // (T, 1)

    /// <summary>Creates the synthesiser for the fixed parameters of <paramref name="reference"/> (those not fitted).</summary>
    public StringSynthesizer(StringParameters reference, int modes, double pluckPosition, double pickupPosition, double sampleRate, int frames, bool velocity)
    {
        Reference = reference; Modes = modes; PluckPosition = pluckPosition; PickupPosition = pickupPosition;
        SampleRate = sampleRate; Frames = frames; Velocity = velocity;
        _time = (arange(frames, dtype: float64) / sampleRate).unsqueeze(1).DetachFromDisposeScope();
    }

    /// <summary>The fixed parameters (A, I, ρ, E and the starting values of the fitted ones).</summary>
    public StringParameters Reference { get; }

    /// <summary>Number of modes.</summary>
    public int Modes { get; }

    /// <summary>Pluck position (m).</summary>
    public double PluckPosition { get; }

    /// <summary>Pickup position (m).</summary>
    public double PickupPosition { get; }

    /// <summary>Sample rate (Hz).</summary>
    public double SampleRate { get; }

    /// <summary>Samples synthesised.</summary>
    public int Frames { get; }

    /// <summary>True: pickup velocity; false: pickup displacement.</summary>
    public bool Velocity { get; }

    /// <summary>y(t) for scalar tensors T0 (N), d1, d3, L; pluck height 1 m (the fit carries a free gain). Shape: (T).</summary>
    public Tensor Synthesize(Tensor tension, Tensor d1, Tensor d3, Tensor length)
    {
        var p = Reference;
        var lambda = StringCoefficients.Eigenvalues(length, Modes);                                   // (N)
        var omega2 = StringCoefficients.Omega2(lambda, tensor(p.EI / p.RhoA, float64), tension / p.RhoA);
        var gamma = 0.5 * StringCoefficients.Gamma2(lambda, d1 / p.RhoA, d3 / p.RhoA);
        var damped = (omega2 - gamma * gamma).clamp_min(1e-12).sqrt();                                 // ω_d
        var q0 = StringCoefficients.Pluck(length, Modes, 1.0, PluckPosition);
        var weights = StringCoefficients.Shapes(length, Modes, PickupPosition) / (length / 2) * q0;    // (N)
        var decay = (-gamma * _time).exp();                                                            // (T, N)
        var phase = damped * _time;
        var modal = Velocity
            ? -(omega2 / damped) * decay * phase.sin()
            : decay * (phase.cos() + gamma / damped * phase.sin());
        return modal.matmul(weights);                                                                  // (T)
    }
}
