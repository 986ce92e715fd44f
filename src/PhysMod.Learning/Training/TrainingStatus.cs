namespace PhysMod.Learning.Training;

/// <summary>How a training session ended.</summary>
public enum TrainingStatus
{
    /// <summary>Every step ran (or the run was already complete); the final checkpoint is written.</summary>
    Completed,

    /// <summary>Cancelled (Ctrl+C): a checkpoint of the last finished step is written; --resume continues.</summary>
    Interrupted,

    /// <summary>A loss or gradient norm was NaN or infinite: stopped before applying it; the last good checkpoint is kept.</summary>
    Diverged,
}
