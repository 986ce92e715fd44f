namespace PhysMod.Learning.Training;

/// <summary>The result of a training session.</summary>
public sealed record TrainingOutcome
{
    /// <summary>How it ended.</summary>
    public required TrainingStatus Status { get; init; }

    /// <summary>Updates done when it ended (the failing step is not counted).</summary>
    public required long Step { get; init; }

    /// <summary>Updates of the whole run.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>The step of the checkpoint on disk (null when none was written).</summary>
    public long? CheckpointStep { get; init; }

    /// <summary>Mean loss over the last epoch's steps (null when no step ran).</summary>
    public double? FinalLoss { get; init; }

    /// <summary>Training time of the run so far (summed over resumed sessions).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>One line for the user: what happened, and for <see cref="TrainingStatus.Diverged"/> which value at which step.</summary>
    public required string Message { get; init; }

    /// <summary>The run folder (full path).</summary>
    public string RunFolder { get; init; } = "";
}
