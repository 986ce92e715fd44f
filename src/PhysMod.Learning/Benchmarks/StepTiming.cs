namespace PhysMod.Learning.Benchmarks;

/// <summary>Timed training steps of one model: median and fastest step in wall seconds, the median step in process CPU seconds
/// (all threads; far less distorted than wall time on a shared machine), and the mean loss over the first and last tenth of
/// the timed steps (the loss must fall, or the timed work was not real training).</summary>
public sealed record StepTiming(string Model, long Parameters, int Batch, double MedianSeconds, double MinSeconds, double LossFirst, double LossLast,
    double MedianCpuSeconds)
{
    /// <summary>Whether the loss fell over the timed steps.</summary>
    public bool LossDecreased => LossLast < LossFirst && double.IsFinite(LossLast);
}
