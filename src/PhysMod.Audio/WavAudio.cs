namespace PhysMod.Audio;

/// <summary>Mono audio read from a WAV file: samples normalised to about [-1, 1] and their sample rate in Hz.</summary>
public sealed record WavAudio(float[] Samples, int SampleRate)
{
    /// <summary>Length of the audio in seconds.</summary>
    public double DurationSeconds => Samples.Length / (double)SampleRate;
}
