namespace PhysMod.Learning.Export;

/// <summary>How <see cref="RunVoices.Load"/> starts and reads a model voice: the initial state, the pickup and the dataset.</summary>
public sealed record RunVoiceOptions
{
    /// <summary>The initial state: <c>test</c> or <c>test:N</c> (frame 0 of test trajectory N of the run's dataset, default
    /// test:0), or an initial-shape excitation in the command line's syntax, projected onto the grid with the dataset's modes
    /// (<c>pluck[:x=…,h=…]</c>, <c>gaussian[:x=…,width=…,a=…]</c>, <c>random[:a=…,seed=…]</c>; positions in metres).</summary>
    public string? Excite { get; init; }

    /// <summary>Pickup position in metres along the string (interpolated between grid points); null: the dataset's pickup.</summary>
    public double? PickupMetres { get; init; }

    /// <summary>Pickup at grid point 0 … W−1 instead of a position in metres.</summary>
    public int? PickupGridPoint { get; init; }

    /// <summary>The dataset to read the initial state, pickup and physics from; null: the run's dataset (config.json).</summary>
    public string? DataPath { get; init; }

    /// <summary>Frames the model renders ahead per block; each frame is computed the same way whatever the block, so this changes
    /// only the granularity of the work, never the output.</summary>
    public int BlockFrames { get; init; } = 64;
}
