namespace PhysMod.Learning.Training;

/// <summary>A learning rate as a function of the update count (0 for the first update), as an optax schedule.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate of update <paramref name="step"/> (0-based).</summary>
    double At(long step);
}
