using PhysMod.Physics.Parameters;

namespace PhysMod.Learning.Pinn;

/// <summary>Coefficients of the string PDE in scaled coordinates x̂ = x/L, t̂ = t/T (displacement scale drops out: the PDE is linear).</summary>
/// <remarks>
/// ρA ẅ + (d1 − d3 ∂x²) ẇ + (EI ∂x⁴ − T0 ∂x²) w = 0 (spec §1.1), divided by ρA and multiplied by T², becomes
/// u_t̂t̂ + a₁ u_t̂ − a₃ u_t̂x̂x̂ + a₄ u_x̂x̂x̂x̂ − a₂ u_x̂x̂ = 0 with a₁ = d1 T/ρA, a₃ = d3 T/(ρA L²), a₄ = EI T²/(ρA L⁴), a₂ = T0 T²/(ρA L²).
/// </remarks>
/// <param name="Damping">a₁ = d1 T/ρA.</param>
/// <param name="Wave">a₂ = T0 T²/(ρA L²) = (cT/L)².</param>
/// <param name="FrequencyDamping">a₃ = d3 T/(ρA L²).</param>
/// <param name="Stiffness">a₄ = EI T²/(ρA L⁴).</param>
public sealed record StringPdeCoefficients(double Damping, double Wave, double FrequencyDamping, double Stiffness)
{
    /// <summary>The scaled coefficients of a string over a window of <paramref name="duration"/> seconds.</summary>
    public static StringPdeCoefficients From(StringParameters p, double duration)
    {
        p.Validate();
        double t = duration, l = p.L;
        return new StringPdeCoefficients(p.D1 * t / p.RhoA, p.T0 * t * t / (p.RhoA * l * l), p.D3 * t / (p.RhoA * l * l),
            p.EI * t * t / (p.RhoA * l * l * l * l));
    }
}
