namespace PhysMod.Learning.Comparison;

/// <summary>Relative MAE of the displacement per block of frames against time, from RUN/eval/metrics.json.</summary>
/// <param name="TimeSeconds">Centre time of each block (s).</param>
/// <param name="RelativeMae">Σ|pred − gt| / Σ|gt| over the block's frames, grid points and test trajectories (null when not finite).</param>
public sealed record ErrorCurve(IReadOnlyList<double> TimeSeconds, IReadOnlyList<double?> RelativeMae);
