namespace PhysMod.Learning.Training;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule(double value) : ILearningRateSchedule
{
    /// <summary>The learning rate.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public double At(long step) => Value;
}
