namespace PhysMod.Learning.Export;

/// <summary>One model of <see cref="ModelVoiceBenchmark"/>: per-sample cost of the plain-C# voice and of TorchSharp stepping the
/// same model one frame at a time.</summary>
/// <param name="Model">Family and size.</param>
/// <param name="Parameters">Trainable scalars.</param>
/// <param name="SampleRate">Frame (= sample) rate of the model in Hz.</param>
/// <param name="VoiceMicroseconds">Voice: µs per sample (best of the repeats).</param>
/// <param name="VoiceMedianMicroseconds">Voice: µs per sample (median of the repeats).</param>
/// <param name="TorchMicroseconds">TorchSharp one step at a time: µs per sample (best of the repeats).</param>
/// <param name="TorchMedianMicroseconds">TorchSharp one step at a time: µs per sample (median of the repeats).</param>
/// <param name="Agreement">max |voice − torch| / max |torch| over the first checked frames (the two loops run the same model).</param>
public sealed record ModelBenchmarkRow(string Model, long Parameters, double SampleRate, double VoiceMicroseconds, double VoiceMedianMicroseconds,
    double TorchMicroseconds, double TorchMedianMicroseconds, double Agreement)
{
    /// <summary>Real-time factor of the voice on one core: seconds of audio per second of compute (best run).</summary>
    public double RealTimeFactor => 1e6 / (VoiceMicroseconds * SampleRate);

    /// <summary>Real-time factor of TorchSharp stepping (best run).</summary>
    public double TorchRealTimeFactor => 1e6 / (TorchMicroseconds * SampleRate);

    /// <summary>TorchSharp time over voice time (best runs).</summary>
    public double Gain => TorchMicroseconds / VoiceMicroseconds;
}
