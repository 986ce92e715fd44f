namespace PhysMod.Learning.Comparison;

/// <summary>How fast a trained model runs: batched rollout time per step and the real-time factor when stepped sample by sample.</summary>
/// <remarks>Batched: median wall time of <c>Rollout(x0, frames)</c> on the test split's initial frames divided by frames.
/// Sample by sample: one frame (= one audio sample at the dataset's frame rate fs) per call, reading the pickup value each time;
/// real-time factor = (steps / fs) / wall time, so &gt; 1 is faster than real time.</remarks>
/// <param name="BatchSize">Trajectories per batched rollout.</param>
/// <param name="BatchFrames">Frames per batched rollout.</param>
/// <param name="BatchedSecondsPerStep">Median wall seconds per frame of the batched rollout (all trajectories together).</param>
/// <param name="BatchedRepeats">Batched rollouts timed (after one warm-up call).</param>
/// <param name="RealtimeSteps">Samples produced one at a time.</param>
/// <param name="RealtimeWallSeconds">Wall time of those steps.</param>
/// <param name="RealtimeCpuSeconds">Process CPU time of those steps (all threads).</param>
/// <param name="RealTimeFactor">(steps / fs) / wall seconds.</param>
/// <param name="RealtimeMethod">"rollout" (the model's Rollout(x, 2), feeding each predicted frame back) or "voice" (the real-time engine).</param>
public sealed record InferenceTiming(
    int BatchSize, int BatchFrames, double BatchedSecondsPerStep, int BatchedRepeats,
    int RealtimeSteps, double RealtimeWallSeconds, double RealtimeCpuSeconds, double RealTimeFactor, string RealtimeMethod);
