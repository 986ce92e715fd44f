namespace PhysMod.Learning.Comparison;

/// <summary>A run's test-split errors at one multiple of its training horizon, read from RUN/eval/metrics.json.</summary>
/// <param name="Multiple">Horizon divided by the training horizon (1, 2).</param>
/// <param name="Frames">The horizon K in frames (frames 0..K−1 are compared).</param>
/// <param name="RelativeL2">‖pred − gt‖₂ / ‖gt‖₂ of the displacement field over the test split (null when not finite).</param>
/// <param name="RelativeL2Normalised">The same over both channels in normalised units (null when not finite).</param>
/// <param name="LsdDb">Log-spectral distance (dB) of the displacement at the pickup grid point over frames 0..K−1 (null when not finite).</param>
public sealed record HorizonResult(int Multiple, int Frames, double? RelativeL2, double? RelativeL2Normalised, double? LsdDb);
