namespace PhysMod.Physics.Modal;

/// <summary>A hyperbolic-sine restoring force per mode, as in the DAFx25 neural-ODE oscillator datasets.</summary>
/// <remarks>f_nl,μ = g sinh(q_μ), potential V = g Σ (cosh(q_μ) − 1); q is dimensionless here.</remarks>
public sealed class SinhForce(double strength) : ModalNonlinearity
{
    /// <summary>The strength g = γ² (1/s²).</summary>
    public double Strength { get; } = strength;

    /// <inheritdoc />
    public override void Evaluate(ReadOnlySpan<double> q, Span<double> force)
    {
        for (int i = 0; i < q.Length; i++) force[i] = Strength * Math.Sinh(q[i]);
    }

    /// <inheritdoc />
    public override double Potential(ReadOnlySpan<double> q)
    {
        double v = 0;
        for (int i = 0; i < q.Length; i++) v += Strength * (Math.Cosh(q[i]) - 1);
        return v;
    }
}
