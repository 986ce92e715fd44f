namespace PhysMod.Learning.Estimation;

/// <summary>The outcome of a fit: best values, per-start results, and the best start's loss and parameter trajectories.</summary>
public sealed record EstimationResult
{
    /// <summary>Fitted parameter names.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>Best fitted values (SI), in the order of <see cref="Names"/>.</summary>
    public required IReadOnlyList<double> Values { get; init; }

    /// <summary>Starting values of the best start.</summary>
    public required IReadOnlyList<double> StartValues { get; init; }

    /// <summary>Final loss of the best start.</summary>
    public required double Loss { get; init; }

    /// <summary>Final values and loss of every start.</summary>
    public required IReadOnlyList<(IReadOnlyList<double> Values, double Loss)> StartResults { get; init; }

    /// <summary>Loss per update of the best start.</summary>
    public required IReadOnlyList<double> LossHistory { get; init; }

    /// <summary>Values per update of the best start (updates × names).</summary>
    public required IReadOnlyList<double[]> ValueHistory { get; init; }

    /// <summary>Best-fit synthesis scaled to the target by least squares. Shape: (T).</summary>
    public required double[] Resynthesis { get; init; }

    /// <summary>Optimiser updates per second over all starts.</summary>
    public required double IterationsPerSecond { get; init; }
}
