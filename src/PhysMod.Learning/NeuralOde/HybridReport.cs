namespace PhysMod.Learning.NeuralOde;

/// <summary>Results of the staged hybrid fit: readout errors of the three models, the hidden-force error and parameter errors.</summary>
public sealed record HybridReport
{
    /// <summary>Parameter names of the arrays below.</summary>
    public IReadOnlyList<string> Names { get; init; } = ["T0", "EI", "d1", "d3"];

    /// <summary>True T0, EI, d1, d3.</summary>
    public required IReadOnlyList<double> Truth { get; init; }

    /// <summary>Initial guesses.</summary>
    public required IReadOnlyList<double> Initial { get; init; }

    /// <summary>After stage 1 (physical parameters only).</summary>
    public required IReadOnlyList<double> Stage1 { get; init; }

    /// <summary>After the joint stage.</summary>
    public required IReadOnlyList<double> Joint { get; init; }

    /// <summary>Normalised readout error ‖ŷ − y‖²/‖y‖² of the true linear string (no nonlinearity) over the whole target.</summary>
    public required double LinearReadoutError { get; init; }

    /// <summary>The same for the stage-1 linear approximation.</summary>
    public required double Stage1ReadoutError { get; init; }

    /// <summary>The same for the joint physical + MLP model.</summary>
    public required double JointReadoutError { get; init; }

    /// <summary>‖r̂(q) − r(q)‖/‖r(q)‖ over the whole ground-truth trajectory.</summary>
    public required double HiddenForceError { get; init; }

    /// <summary>‖r_eff − r‖/‖r‖ with r_eff = (ω²_joint − ω²_true) q + r̂(q): the position-dependent force the joint model adds to
    /// the true linear string (the MLP and the fitted ω² can trade a linear part), over the whole ground-truth trajectory.</summary>
    public required double EffectiveHiddenForceError { get; init; }

    /// <summary>The same for the stage-1 model, r_eff = (ω²_stage1 − ω²_true) q: how much of r the stiffened linear fit explains.</summary>
    public required double Stage1EffectiveForceError { get; init; }

    /// <summary>Relative change of ω from stage 1 to joint, ‖Δω‖/‖ω₁‖.</summary>
    public required double OmegaChange { get; init; }

    /// <summary>Relative change of γ₂ from stage 1 to joint.</summary>
    public required double Gamma2Change { get; init; }

    /// <summary>Final losses of stage 1 and joint.</summary>
    public required IReadOnlyList<double> FinalLosses { get; init; }

    /// <summary>Wall-clock seconds of both stages.</summary>
    public required double TrainingSeconds { get; init; }
}
