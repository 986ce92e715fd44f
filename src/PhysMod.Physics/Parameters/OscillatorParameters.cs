namespace PhysMod.Physics.Parameters;

/// <summary>Parameters of a single damped oscillator, linear or with a cubic or sinh restoring force.</summary>
/// <remarks>
/// q̈ + σ₂ q̇ + ω₀² q + γ² nl(q) = f(t), nl(q) = q³ (cubic) or sinh(q) (sinh), as in Zheleznov et al., DAFx25
/// (their datasets: ω₀ = 400 rad/s, σ = 0, γ = 110, 44.1 kHz, driven from rest by a half-cosine "pluck" force).
/// </remarks>
/// <param name="Omega0">Natural angular frequency ω₀ (rad/s).</param>
/// <param name="Sigma2">Damping σ₂ = 2σ (1/s).</param>
/// <param name="Gamma">Nonlinear strength γ (1/s); the force is γ² nl(q).</param>
/// <param name="Nonlinearity">Which nl(q).</param>
public sealed record OscillatorParameters(double Omega0, double Sigma2, double Gamma, OscillatorNonlinearity Nonlinearity)
    : IPhysicalParameters
{
    /// <summary>The tutorial's PINN oscillator: σ₂ = 3.5 1/s, ω₀ = 30 rad/s, linear.</summary>
    public static OscillatorParameters TutorialDamped { get; } = new(30, 3.5, 0, OscillatorNonlinearity.None);

    /// <summary>The DAFx25 cubic oscillator (ω₀ = 400 rad/s, γ = 110, undamped).</summary>
    public static OscillatorParameters Dafx25Cubic { get; } = new(400, 0, 110, OscillatorNonlinearity.Cubic);

    /// <summary>The DAFx25 sinh oscillator (ω₀ = 400 rad/s, γ = 110, undamped).</summary>
    public static OscillatorParameters Dafx25Sinh { get; } = new(400, 0, 110, OscillatorNonlinearity.Sinh);

    /// <inheritdoc />
    public double Length => double.PositiveInfinity;

    /// <inheritdoc />
    public IReadOnlyList<ParameterInfo> Describe() =>
    [
        new("omega0", Omega0, "rad/s", "natural angular frequency"), new("sigma2", Sigma2, "1/s", "damping 2σ"),
        new("gamma", Gamma, "1/s", "nonlinear strength (force γ² nl(q))"),
    ];

    /// <summary>Returns a copy with one named parameter (omega0, sigma2, gamma) replaced.</summary>
    public OscillatorParameters With(string name, double value) => name switch
    {
        "omega0" => this with { Omega0 = value }, "sigma2" => this with { Sigma2 = value }, "gamma" => this with { Gamma = value },
        _ => throw new InvalidSettingException($"unknown oscillator parameter '{name}': allowed are omega0, sigma2, gamma"),
    };

    /// <summary>Checks ranges: ω₀ &gt; 0, σ₂ ≥ 0, γ ≥ 0.</summary>
    public OscillatorParameters Validate()
    {
        InvalidSettingException.RequirePositive("omega0", Omega0, "rad/s");
        InvalidSettingException.RequireNonNegative("sigma2", Sigma2, "1/s");
        InvalidSettingException.RequireNonNegative("gamma", Gamma, "1/s");
        return this;
    }
}
