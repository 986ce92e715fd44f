namespace PhysMod.Realtime.Models;

/// <summary>A trained model that rolls a field out frame by frame from an initial frame, in its normalised units, without
/// allocating after construction.</summary>
/// <remarks>A frame is W·C values, grid point major and channel fastest (the flattened (W, C) of the datasets). Frames are
/// written at <see cref="FrameStride"/> floats apart; the padding after the W·C values is zero.</remarks>
public interface IFrameModel
{
    /// <summary>Family name (ssm, koopman, frnn, fgru).</summary>
    string Family { get; }

    /// <summary>W: grid points per frame.</summary>
    int GridPoints { get; }

    /// <summary>C: channels per grid point.</summary>
    int Channels { get; }

    /// <summary>Floats between consecutive frames written by <see cref="Render"/> (≥ W·C).</summary>
    int FrameStride { get; }

    /// <summary>Most frames one <see cref="Render"/> call may produce.</summary>
    int MaxFrames { get; }

    /// <summary>Trainable scalars of the model.</summary>
    long ParameterCount { get; }

    /// <summary>Restarts the rollout from x_0 (W·C normalised values): the next frame rendered is frame 0.</summary>
    void Start(ReadOnlySpan<float> initial);

    /// <summary>Writes the next <paramref name="count"/> (1 … <see cref="MaxFrames"/>) frames to <paramref name="frames"/>.</summary>
    void Render(Span<float> frames, int count);
}
