namespace PhysMod.Physics.Modal;

/// <summary>The analytic solution of the free damped harmonic oscillator q̈ + σ₂ q̇ + ω₀² q = 0.</summary>
/// <remarks>q(t) = e^{−σt} [q₀ cos ω_d t + (v₀ + σ q₀)/ω_d sin ω_d t], σ = σ₂/2, ω_d = √(ω₀² − σ²) (cosh/sinh when overdamped).</remarks>
public static class DampedOscillator
{
    /// <summary>Displacement at time t.</summary>
    public static double Displacement(double omega0, double sigma2, double q0, double v0, double t) =>
        Integrators.ModeCoefficients.Of(omega0 * omega0, sigma2, t).NextQ(q0, v0);

    /// <summary>Velocity at time t.</summary>
    public static double Velocity(double omega0, double sigma2, double q0, double v0, double t) =>
        Integrators.ModeCoefficients.Of(omega0 * omega0, sigma2, t).NextV(q0, v0, omega0 * omega0);
}
