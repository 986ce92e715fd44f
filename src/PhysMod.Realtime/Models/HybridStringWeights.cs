namespace PhysMod.Realtime.Models;

/// <summary>Everything a streaming hybrid neural-ODE string needs (spec §5.3): the modal coefficients of its learned physical
/// parameters and the learned residual force MLP.</summary>
/// <remarks>q̈ = −γ₂ q̇ − ω² q − r(q) + f with r(q) = s_r · MLP(q / s_q), the MLP with SELU between layers (equinox).</remarks>
public sealed record HybridStringWeights
{
    /// <summary>ω² per mode (rad²/s²), from PhysMod.Physics for the learned T0, EI and the known L, ρA.</summary>
    public required double[] Omega2 { get; init; }

    /// <summary>γ₂ per mode (1/s), from PhysMod.Physics for the learned d1, d3.</summary>
    public required double[] Gamma2 { get; init; }

    /// <summary>Step rate 1/Δt (Hz): one step per output sample.</summary>
    public required double SampleRate { get; init; }

    /// <summary>The residual MLP's layers N → … → N, or null for the purely physical model.</summary>
    public IReadOnlyList<DenseWeights>? Residual { get; init; }

    /// <summary>s_q: the MLP sees q / s_q.</summary>
    public double InputScale { get; init; } = 1;

    /// <summary>s_r: the MLP's output is multiplied by s_r.</summary>
    public double OutputScale { get; init; } = 1;

    /// <summary>Number of modes N.</summary>
    public int Modes => Omega2.Length;

    /// <summary>Number of learned scalars (4 physical parameters plus the MLP).</summary>
    public long ParameterCount => 4 + (Residual?.Sum(l => l.ParameterCount) ?? 0);
}
