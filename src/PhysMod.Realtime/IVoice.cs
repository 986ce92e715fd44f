namespace PhysMod.Realtime;

/// <summary>A streaming sound source that renders its output block by block (a simulator or an exported trained model).</summary>
/// <remarks>
/// Contract for every voice:
/// - <see cref="Process"/> fills the whole span with the next samples (mono, float32) and allocates nothing on the heap
///   after construction; it takes no locks.
/// - Changes of parameters or excitation take effect at the start of the next <see cref="Process"/> call (a block boundary).
/// - <see cref="Reset"/> returns the voice to the state it had right after construction.
/// </remarks>
public interface IVoice
{
    /// <summary>Output sample rate in Hz.</summary>
    double SampleRate { get; }

    /// <summary>Renders the next <c>output.Length</c> samples into <paramref name="output"/>.</summary>
    void Process(Span<float> output);

    /// <summary>Returns to the initial state.</summary>
    void Reset();
}
