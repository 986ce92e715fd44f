namespace PhysMod.Learning.NeuralOde;

/// <summary>What the tutorial neural-ODE fit recovered: true, initial and learned parameters, their errors and the readout errors.</summary>
public sealed record TutorialReport
{
    /// <summary>Parameter names, in the order of the arrays below: L, T0/rhoA, d3/rhoA.</summary>
    public IReadOnlyList<string> Names { get; init; } = ["L", "T0/rhoA", "d3/rhoA"];

    /// <summary>True values.</summary>
    public required IReadOnlyList<double> Truth { get; init; }

    /// <summary>Initial values.</summary>
    public required IReadOnlyList<double> Initial { get; init; }

    /// <summary>Learned values.</summary>
    public required IReadOnlyList<double> Learned { get; init; }

    /// <summary>|learned − truth| / truth.</summary>
    public required IReadOnlyList<double> RelativeErrors { get; init; }

    /// <summary>Loss at the first update.</summary>
    public required double InitialLoss { get; init; }

    /// <summary>Loss at the last update.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Updates run (fewer than configured when stopped on NaN).</summary>
    public required int Updates { get; init; }

    /// <summary>Normalised velocity-readout error ‖ŷ − y‖²/‖y‖² of the audio render before training.</summary>
    public required double InitialReadoutError { get; init; }

    /// <summary>The same after training.</summary>
    public required double TrainedReadoutError { get; init; }

    /// <summary>The same over the intensity demo (NaN when not rendered).</summary>
    public required double IntensityReadoutError { get; init; }

    /// <summary>Wall-clock seconds of training.</summary>
    public required double TrainingSeconds { get; init; }

    /// <summary>Mean milliseconds per update.</summary>
    public required double MillisecondsPerUpdate { get; init; }
}
