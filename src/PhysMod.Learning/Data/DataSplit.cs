namespace PhysMod.Learning.Data;

/// <summary>One of the three consecutive parts of a dataset, in stored order (no shuffle before the split, spec §6.1).</summary>
public enum DataSplit
{
    /// <summary>The first trajectories: fitted on, and the source of the normalisation.</summary>
    Train,

    /// <summary>The trajectories after the training split.</summary>
    Validation,

    /// <summary>The last trajectories: only for evaluation.</summary>
    Test,
}
