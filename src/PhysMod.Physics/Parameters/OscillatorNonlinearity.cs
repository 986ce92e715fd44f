namespace PhysMod.Physics.Parameters;

/// <summary>The nonlinear restoring term of a single oscillator.</summary>
public enum OscillatorNonlinearity
{
    /// <summary>Linear damped harmonic oscillator.</summary>
    None,

    /// <summary>γ² q³ (hardening Duffing).</summary>
    Cubic,

    /// <summary>γ² sinh(q).</summary>
    Sinh,
}
