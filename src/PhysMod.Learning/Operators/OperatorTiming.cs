namespace PhysMod.Learning.Operators;

/// <summary>One timed operator benchmark: per-step (or per-frame) seconds of the timed repetitions and what was timed.</summary>
/// <param name="Name">What was timed (e.g. "fno train step", "fno-ar frame").</param>
/// <param name="Implementation">"torchsharp" or "pytorch".</param>
/// <param name="MedianSeconds">Median seconds per step or frame.</param>
/// <param name="MinSeconds">Fastest step or frame (the least disturbed on a shared machine).</param>
/// <param name="MedianCpuSeconds">Median process CPU seconds (all threads) per step, or the mean per frame for inference.</param>
/// <param name="Count">Timed repetitions.</param>
/// <param name="Parameters">Trainable scalars of the timed model.</param>
/// <param name="LossFirst">Mean loss of the first tenth of the timed steps (NaN for inference).</param>
/// <param name="LossLast">Mean loss of the last tenth of the timed steps (NaN for inference).</param>
public sealed record OperatorTiming(string Name, string Implementation, double MedianSeconds, double MinSeconds, double MedianCpuSeconds, int Count, long Parameters,
    double LossFirst, double LossLast);
