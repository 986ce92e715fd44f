namespace PhysMod.Learning.Training;

/// <summary>What the trainer reports after each step, for a progress bar or log line.</summary>
/// <param name="Step">Updates done (1-based).</param>
/// <param name="TotalSteps">Updates of the whole run.</param>
/// <param name="Epoch">Epoch of this step (1-based).</param>
/// <param name="Loss">Total loss of this step's batch.</param>
/// <param name="LearningRate">Learning rate of this update.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Elapsed">Training time so far (summed over resumed sessions).</param>
public sealed record TrainingProgress(long Step, long TotalSteps, long Epoch, double Loss, double LearningRate, double GradNorm, TimeSpan Elapsed);
