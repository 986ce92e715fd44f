namespace PhysMod.Physics.Integrators;

/// <summary>Exact per-mode propagation coefficients of q̈ + 2γ q̇ + ω² q = 0 over one step Δt.</summary>
/// <remarks>
/// r = e^{−γΔt}, C = cos(ω_d Δt), S = sin(ω_d Δt)/ω_d with ω_d² = ω² − γ² (cosh/sinh when overdamped, C = 1 and S = Δt when
/// critical). Then q(Δt) = r [q C + (v + γ q) S], v(Δt) = r [v C − (ω² q + γ v) S], and the impulse-invariant two-step
/// recursion is q⁺ = a1 q + a2 q⁻ + b1 f with a1 = 2 r C, a2 = −r², b1 = Δt r S.
/// </remarks>
public readonly record struct ModeCoefficients(double Gamma, double R, double C, double S)
{
    /// <summary>Computes the coefficients of one mode.</summary>
    public static ModeCoefficients Of(double omega2, double gamma2, double dt)
    {
        double gamma = gamma2 / 2;
        double wd2 = omega2 - gamma * gamma;
        double r = Math.Exp(-gamma * dt);
        if (wd2 > 0)
        {
            double wd = Math.Sqrt(wd2);
            return new(gamma, r, Math.Cos(wd * dt), Math.Sin(wd * dt) / wd);
        }
        if (wd2 < 0)
        {
            double kappa = Math.Sqrt(-wd2);
            return new(gamma, r, Math.Cosh(kappa * dt), Math.Sinh(kappa * dt) / kappa);
        }
        return new(gamma, r, 1, dt);
    }

    /// <summary>a1 = 2 r C.</summary>
    public double A1 => 2 * R * C;

    /// <summary>a2 = −r².</summary>
    public double A2 => -R * R;

    /// <summary>b1 = Δt r S (the response one step after a unit-area impulse, times Δt).</summary>
    public double B1(double dt) => dt * R * S;

    /// <summary>The conservative scheme's per-mode inertia p = ω² (1 + r²) / (2 (1 + r² − a1)) (see <see cref="ConservativeStepper{T}"/>).</summary>
    public double ConservativeInertia(double omega2) => omega2 * (1 + R * R) / (2 * (1 + R * R - A1));

    /// <summary>The conservative scheme's tension gain m = (c/2) λ (1 + r²) / (2p): q^{n+1} = (a1 qⁿ − (r² + m Sⁿ) q^{n−1} + b1 fⁿ) / (1 + m Sⁿ).</summary>
    public double ConservativeTensionGain(double omega2, double lambda, double tension) =>
        tension / 2 * lambda * (1 + R * R) / (2 * ConservativeInertia(omega2));

    /// <summary>Exact free displacement one step ahead.</summary>
    public double NextQ(double q, double v) => R * (q * C + (v + Gamma * q) * S);

    /// <summary>Exact free velocity one step ahead.</summary>
    public double NextV(double q, double v, double omega2) => R * (v * C - (omega2 * q + Gamma * v) * S);
}
