namespace PhysMod.Learning.Benchmarks;

/// <summary>Median wall and process CPU time in seconds of each part of a training step (forward with the loss read back,
/// backward, global-norm clipping, optimiser update, and the whole step), over the timed steps of one model.</summary>
/// <remarks>CPU time is the process's user + system time over all threads (as Python's <c>time.process_time</c>): on a shared
/// machine it is distorted far less than wall time by other processes.</remarks>
public sealed record StepPhases(string Model, int Batch, int Threads, IReadOnlyDictionary<string, (double WallSeconds, double CpuSeconds)> Phases)
{
    /// <summary>The phase names in step order.</summary>
    public static readonly IReadOnlyList<string> Names = ["forward", "backward", "clip", "optimiser", "step"];
}
