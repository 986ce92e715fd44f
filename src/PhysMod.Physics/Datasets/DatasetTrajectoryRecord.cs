namespace PhysMod.Physics.Datasets;

/// <summary>The random draws behind one trajectory (NaN where a quantity does not apply).</summary>
public readonly record struct DatasetTrajectoryRecord(double Amplitude, double X, double Y, double Width, double ForceDuration)
{
    /// <summary>Column names of <see cref="ToArray"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["amplitude", "x", "y", "width", "force_duration"];

    /// <summary>The values in <see cref="Columns"/> order.</summary>
    public double[] ToArray() => [Amplitude, X, Y, Width, ForceDuration];
}
