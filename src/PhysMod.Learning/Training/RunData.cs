namespace PhysMod.Learning.Training;

/// <summary>The dataset a run was trained on: where it was, its exact content (SHA-256 and size) and its shape.</summary>
public sealed record RunData
{
    /// <summary>Full path of the dataset file when the run started.</summary>
    public required string Path { get; init; }

    /// <summary>SHA-256 of the whole file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>File size in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>Trajectories N in the file.</summary>
    public required int Trajectories { get; init; }

    /// <summary>Stored frames T per trajectory.</summary>
    public required int Frames { get; init; }

    /// <summary>Grid points W.</summary>
    public required int GridPoints { get; init; }

    /// <summary>Channels C.</summary>
    public required int Channels { get; init; }

    /// <summary>The split as in the file's metadata ("train=80,val=10,test=10").</summary>
    public required string Split { get; init; }

    /// <summary>Frame rate in Hz (null when the file does not say).</summary>
    public double? SampleRate { get; init; }
}
