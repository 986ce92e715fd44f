namespace PhysMod.Learning.Pinn;

/// <summary>What a string PINN run produced: the PINN and modal fields on the evaluation grid, the log, errors and timing.</summary>
/// <param name="Config">The settings used.</param>
/// <param name="Positions">Grid positions x (m). Shape: (points).</param>
/// <param name="Times">Frame times t (s). Shape: (frames).</param>
/// <param name="Prediction">PINN displacement (m), row-major. Shape: (frames, points).</param>
/// <param name="Reference">Modal solution (m), row-major. Shape: (frames, points).</param>
/// <param name="Log">Losses every log interval.</param>
/// <param name="RelativeL2">‖û − u‖₂ / ‖u‖₂ over the whole grid.</param>
/// <param name="RelativeL2PerFrame">The same per frame. Shape: (frames).</param>
/// <param name="WallSeconds">Training wall-clock time (s).</param>
/// <param name="CpuSeconds">Process CPU time spent training (s).</param>
public sealed record StringPinnResult(StringPinnConfig Config, double[] Positions, double[] Times, double[] Prediction, double[] Reference,
    IReadOnlyList<PinnLogEntry> Log, double RelativeL2, double[] RelativeL2PerFrame, double WallSeconds, double CpuSeconds)
{
    /// <summary>The final logged total loss.</summary>
    public double FinalLoss => Log.Count > 0 ? Log[^1].Total : double.NaN;
}
