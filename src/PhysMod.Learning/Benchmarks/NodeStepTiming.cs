namespace PhysMod.Learning.Benchmarks;

/// <summary>Timed training steps of the tutorial neural ODE: median and fastest wall time, median process CPU time (seconds),
/// and the mean loss over the first and last tenth of the timed steps.</summary>
public sealed record NodeStepTiming(int Windows, int Threads, double MedianSeconds, double MinSeconds, double MedianCpuSeconds, double LossFirst, double LossLast)
{
    /// <summary>Whether the loss fell over the timed steps (else the timed work was not real training).</summary>
    public bool LossDecreased => LossLast < LossFirst && double.IsFinite(LossLast);
}
