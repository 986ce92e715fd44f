namespace PhysMod.Learning.NeuralOde;

/// <summary>Results of the forced string's pure physical fit (spec §5.2): recovered T0, EI, d1, d3 and the modal coefficient errors.</summary>
public sealed record ForcedPhysicalReport
{
    /// <summary>Parameter names of the arrays below.</summary>
    public IReadOnlyList<string> Names { get; init; } = ["T0", "EI", "d1", "d3"];

    /// <summary>True values.</summary>
    public required IReadOnlyList<double> Truth { get; init; }

    /// <summary>Initial guesses (truth × U(1 − s, 1 + s)).</summary>
    public required IReadOnlyList<double> Initial { get; init; }

    /// <summary>Fitted values.</summary>
    public required IReadOnlyList<double> Learned { get; init; }

    /// <summary>|fit − truth|/|truth| per parameter.</summary>
    public required IReadOnlyList<double> RelativeErrors { get; init; }

    /// <summary>‖ω − ω*‖/‖ω*‖ before training.</summary>
    public required double InitialOmegaError { get; init; }

    /// <summary>‖ω − ω*‖/‖ω*‖ after training.</summary>
    public required double OmegaError { get; init; }

    /// <summary>‖γ₂ − γ₂*‖/‖γ₂*‖ before training.</summary>
    public required double InitialGamma2Error { get; init; }

    /// <summary>‖γ₂ − γ₂*‖/‖γ₂*‖ after training.</summary>
    public required double Gamma2Error { get; init; }

    /// <summary>First state loss.</summary>
    public required double InitialLoss { get; init; }

    /// <summary>Last state loss.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Normalised readout MSE mean((ŷ − y)²)/mean(y²) over the training trajectory, initial model.</summary>
    public required double InitialReadoutError { get; init; }

    /// <summary>The same for the fitted model.</summary>
    public required double ReadoutError { get; init; }

    /// <summary>Updates done.</summary>
    public required int Updates { get; init; }

    /// <summary>Wall-clock seconds of training.</summary>
    public required double TrainingSeconds { get; init; }
}
