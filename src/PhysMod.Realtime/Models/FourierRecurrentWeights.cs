namespace PhysMod.Realtime.Models;

/// <summary>Everything a streaming Fourier RNN or Fourier GRU (Parker et al., DAFx22) needs: frame shape, the pointwise
/// lifting and readout, and the recurrent cell's layers.</summary>
/// <remarks>
/// FRNN (<see cref="Blocks"/> non-empty): h ← a(K_d h) + W_d h + b_d for d = 1 … depth. FGRU (<see cref="UpdateGate"/>,
/// <see cref="ResetGate"/>, <see cref="Candidate"/> set): z = σ(K_z h), r = σ(K_r h), h ← h + z ⊙ (tanh(K_h (r ⊙ h)) − h).
/// Both: h_0 = P([x_0 | grid]) pointwise, x̂_k = Q(h_k) pointwise.
/// </remarks>
public sealed record FourierRecurrentWeights
{
    /// <summary>frnn or fgru.</summary>
    public required string Family { get; init; }

    /// <summary>W.</summary>
    public required int GridPoints { get; init; }

    /// <summary>C.</summary>
    public required int Channels { get; init; }

    /// <summary>P: C (+1 with <see cref="GridChannel"/>) → H, applied at every grid point.</summary>
    public required DenseWeights Lifting { get; init; }

    /// <summary>Whether a coordinate channel linspace(−1, 1, W) is appended to x_0 before lifting.</summary>
    public bool GridChannel { get; init; }

    /// <summary>Q: H → C, applied at every grid point.</summary>
    public required DenseWeights Readout { get; init; }

    /// <summary>FRNN blocks: (K_d, W_d) per depth step (empty for FGRU).</summary>
    public IReadOnlyList<(SpectralWeights Spectral, DenseWeights Pointwise)> Blocks { get; init; } = [];

    /// <summary>FRNN activation a: relu, gelu (tanh form) or tanh.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>The fitted modal path (<c>model.linear_path = modal</c>): x̂_k = path(x̂_{k−1}) + σ·Q(h_k); null without one.</summary>
    public ModalPathWeights? ModalPath { get; init; }

    /// <summary>FGRU K_z.</summary>
    public SpectralWeights? UpdateGate { get; init; }

    /// <summary>FGRU K_r.</summary>
    public SpectralWeights? ResetGate { get; init; }

    /// <summary>FGRU K_h.</summary>
    public SpectralWeights? Candidate { get; init; }

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => Lifting.ParameterCount + Readout.ParameterCount
        + Blocks.Sum(b => b.Spectral.ParameterCount + b.Pointwise.ParameterCount)
        + (UpdateGate?.ParameterCount ?? 0) + (ResetGate?.ParameterCount ?? 0) + (Candidate?.ParameterCount ?? 0);
}
