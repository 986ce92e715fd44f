namespace PhysMod.Learning.Evaluation;

/// <summary>Field errors of one channel (or of all channels in normalised units) over frames 0..K−1 of the test split.</summary>
/// <param name="Mse">Mean of (pred − gt)² over trajectories, frames, grid points (and channels).</param>
/// <param name="MseUnit">Unit of <paramref name="Mse"/>: m^2, (m/s)^2, or 1 for normalised data.</param>
/// <param name="RelativeL2">‖pred − gt‖₂ / ‖gt‖₂ over the whole test set (one norm over every value).</param>
/// <param name="RelativeL2TrajectoryMean">Mean over test trajectories of each trajectory's ‖pred − gt‖₂ / ‖gt‖₂.</param>
/// <param name="RelativeL2TrajectoryStd">Population standard deviation (ddof 0) of the per-trajectory relative L2.</param>
/// <param name="RelativeMae">Σ|pred − gt| / Σ|gt| over the whole test set (mean |error| / mean |gt|).</param>
public sealed record ChannelErrors(
    double Mse, string MseUnit, double RelativeL2, double RelativeL2TrajectoryMean, double RelativeL2TrajectoryStd, double RelativeMae);
