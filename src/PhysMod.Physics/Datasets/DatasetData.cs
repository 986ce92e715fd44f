namespace PhysMod.Physics.Datasets;

/// <summary>Generated trajectories held in memory, in the layout of the dataset file.</summary>
public sealed class DatasetData
{
    /// <summary>The recipe.</summary>
    public required DatasetConfig Config { get; init; }

    /// <summary>Trajectories in the whole dataset.</summary>
    public required int Total { get; init; }

    /// <summary>Seed of the whole dataset.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Which part this is.</summary>
    public required DatasetShard Shard { get; init; }

    /// <summary>Trajectories held here.</summary>
    public required int Count { get; init; }

    /// <summary>Modes simulated (resolved from 0 = auto).</summary>
    public required int Modes { get; init; }

    /// <summary>Field frames T.</summary>
    public required int FieldFrames { get; init; }

    /// <summary>Grid points W.</summary>
    public required int GridPoints { get; init; }

    /// <summary>Pickup frames S (the whole duration).</summary>
    public required int PickupFrames { get; init; }

    /// <summary>Field, shape (Count, T, W, 2): displacement (m), velocity (m/s).</summary>
    public required float[] Fields { get; init; }

    /// <summary>Pickup signals, shape (Count, S, 2): displacement, velocity.</summary>
    public required float[] Pickup { get; init; }

    /// <summary>Initial modal state, shape (Count, modes, 2): q⁰, q̇⁰.</summary>
    public required double[] InitialState { get; init; }

    /// <summary>The random draws, shape (Count, 5) in <see cref="DatasetTrajectoryRecord.Columns"/> order.</summary>
    public required double[] Draws { get; init; }

    /// <summary>Resolved physical parameters (name, value, unit).</summary>
    public required IReadOnlyList<Parameters.ParameterInfo> Parameters { get; init; }

    /// <summary>Grid spacing extent: string length or plate sides (m).</summary>
    public required double[] Extent { get; init; }
}
