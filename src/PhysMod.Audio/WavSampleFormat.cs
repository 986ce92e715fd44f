namespace PhysMod.Audio;

/// <summary>Sample encoding used when writing a WAV file.</summary>
public enum WavSampleFormat
{
    /// <summary>32-bit IEEE float, written bit-exactly (the default).</summary>
    Float32,

    /// <summary>16-bit signed PCM: samples are clipped to [-1, 1] and scaled by 32768.</summary>
    Pcm16,
}
