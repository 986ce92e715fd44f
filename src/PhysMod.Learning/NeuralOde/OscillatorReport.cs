namespace PhysMod.Learning.NeuralOde;

/// <summary>Results of a DAFx25 oscillator neural ODE: held-out trajectory errors and the learned restoring-force curve.</summary>
public sealed record OscillatorReport
{
    /// <summary>cubic or sinh.</summary>
    public required string Oscillator { get; init; }

    /// <summary>Training trajectories.</summary>
    public required int TrainTrajectories { get; init; }

    /// <summary>Held-out trajectories.</summary>
    public required int HeldOutTrajectories { get; init; }

    /// <summary>Frames per trajectory.</summary>
    public required int Frames { get; init; }

    /// <summary>Largest |q| over the training trajectories (the force curve is compared on [−q_max, q_max]).</summary>
    public required double QMax { get; init; }

    /// <summary>Mean over held-out trajectories of ‖q̂ − q‖/‖q‖ over the whole trajectory (the output is q).</summary>
    public required double OutputError { get; init; }

    /// <summary>Mean over held-out trajectories of ‖q̂̇ − q̇‖/‖q̇‖.</summary>
    public required double VelocityError { get; init; }

    /// <summary>Mean over held-out trajectories of ‖q̂ − q‖/‖q‖ over the first 100 ms only.</summary>
    public required double OutputErrorFirst100Ms { get; init; }

    /// <summary>Output error of the known linear part alone (no nonlinear force), the baseline.</summary>
    public required double LinearOutputError { get; init; }

    /// <summary>Output error of the model before training.</summary>
    public required double InitialOutputError { get; init; }

    /// <summary>‖ĝ − g‖/‖g‖ of the restoring force g(q) = γ² nl(q) on a uniform grid of [−q_max, q_max].</summary>
    public required double ForceCurveError { get; init; }

    /// <summary>‖ĝ − g‖/‖g‖ at the held-out trajectories' true states (weighted as the data visit them).</summary>
    public required double ForceErrorOnHeldOutStates { get; init; }

    /// <summary>Per held-out trajectory output errors.</summary>
    public required IReadOnlyList<double> HeldOutOutputErrors { get; init; }

    /// <summary>First window loss.</summary>
    public required double InitialLoss { get; init; }

    /// <summary>Mean window loss over the last 50 updates.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Updates done.</summary>
    public required int Updates { get; init; }

    /// <summary>Wall-clock seconds of training.</summary>
    public required double TrainingSeconds { get; init; }
}
