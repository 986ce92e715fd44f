using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Simulation;

/// <summary>The output of a simulation: pickup signals for every frame and the field on a grid for the leading frames.</summary>
public sealed class SimulationResult(double sampleRate, double[] pickupDisplacement, double[] pickupVelocity, Location[] grid, int fieldFrames, float[] field)
{
    /// <summary>Output sample rate (Hz).</summary>
    public double SampleRate { get; } = sampleRate;

    /// <summary>Number of frames.</summary>
    public int Frames => PickupDisplacement.Length;

    /// <summary>Displacement at the pickup, w(x_r, tⁿ) (m). Shape: (frames).</summary>
    public double[] PickupDisplacement { get; } = pickupDisplacement;

    /// <summary>Velocity at the pickup, ẇ(x_r, tⁿ) (m/s). Shape: (frames).</summary>
    public double[] PickupVelocity { get; } = pickupVelocity;

    /// <summary>The field grid (empty when no field was kept).</summary>
    public Location[] Grid { get; } = grid;

    /// <summary>Frames of field kept.</summary>
    public int FieldFrames { get; } = fieldFrames;

    /// <summary>Displacement and velocity on the grid: shape (fieldFrames, gridPoints, 2), row-major, channel 0 = w, 1 = ẇ.</summary>
    public float[] Field { get; } = field;
}
