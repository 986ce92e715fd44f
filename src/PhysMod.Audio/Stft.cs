using System.Numerics;

namespace PhysMod.Audio;

/// <summary>Short-time Fourier transform magnitudes of a real signal with a periodic Hann window.</summary>
/// <remarks>
/// Frame f covers samples [f·hop, f·hop + fftSize), zero-padded past the end; there are
/// 1 + ceil(max(0, length - fftSize) / hop) frames, so every sample lies in some frame.
/// w[n] = 0.5 - 0.5 cos(2πn / fftSize); |X_f[k]| = (2 / Σw) |Σ_n w[n] x[f·hop + n] exp(-2πi k n / fftSize)|,
/// scaled so a sinusoid of amplitude A centred on a bin peaks at A (0 dB for A = 1).
/// </remarks>
public static class Stft
{
    /// <summary>Magnitudes clamped to this value before taking the logarithm, so silence gives -240 dB, not -∞.</summary>
    public const double MagnitudeFloor = 1e-12;

    /// <summary>Number of frames for a signal of <paramref name="length"/> samples.</summary>
    public static int FrameCount(int length, int fftSize, int hop)
    {
        Validate(length, fftSize, hop);
        return 1 + (Math.Max(0, length - fftSize) + hop - 1) / hop;
    }

    /// <summary>Centre frequency in Hz of <paramref name="bin"/>: bin · sampleRate / fftSize.</summary>
    public static double BinFrequency(int bin, int fftSize, double sampleRate) => bin * sampleRate / fftSize;

    /// <summary>Time in seconds of the centre of <paramref name="frame"/>: (frame · hop + fftSize / 2) / sampleRate.</summary>
    public static double FrameTime(int frame, int fftSize, int hop, double sampleRate) =>
        (frame * (double)hop + fftSize / 2.0) / sampleRate;

    /// <summary>Linear magnitudes, shape (frames, fftSize/2 + 1).</summary>
    public static double[,] Magnitude(ReadOnlySpan<double> signal, int fftSize = 2048, int hop = 256)
    {
        int frames = FrameCount(signal.Length, fftSize, hop);
        RequireFinite(signal);
        var fft = new Fft(fftSize);
        double[] window = HannWindow(fftSize);
        double scale = 2.0 / window.Sum();
        var result = new double[frames, fft.RealBins];
        var frame = new double[fftSize];
        var spectrum = new Complex[fft.RealBins];
        for (int f = 0; f < frames; f++)
        {
            int start = f * hop;
            int available = Math.Clamp(signal.Length - start, 0, fftSize);
            for (int n = 0; n < available; n++) frame[n] = window[n] * signal[start + n];
            Array.Clear(frame, available, fftSize - available);
            fft.ForwardReal(frame, spectrum);
            for (int k = 0; k < spectrum.Length; k++) result[f, k] = scale * spectrum[k].Magnitude;
        }
        return result;
    }

    /// <summary>Magnitudes in dB, 20·log10(max(|X|, MagnitudeFloor)), shape (frames, fftSize/2 + 1).</summary>
    public static double[,] MagnitudeDb(ReadOnlySpan<double> signal, int fftSize = 2048, int hop = 256)
    {
        double[,] magnitude = Magnitude(signal, fftSize, hop);
        for (int f = 0; f < magnitude.GetLength(0); f++)
            for (int k = 0; k < magnitude.GetLength(1); k++)
                magnitude[f, k] = 20.0 * Math.Log10(Math.Max(magnitude[f, k], MagnitudeFloor));
        return magnitude;
    }

    /// <summary>Periodic Hann window of <paramref name="size"/> points: w[n] = 0.5 - 0.5 cos(2πn / size).</summary>
    public static double[] HannWindow(int size)
    {
        if (size < 1) throw new ArgumentException($"window size {size} must be >= 1.", nameof(size));
        var window = new double[size];
        for (int n = 0; n < size; n++) window[n] = 0.5 - 0.5 * Math.Cos(2.0 * Math.PI * n / size);
        return window;
    }

    private static void Validate(int length, int fftSize, int hop)
    {
        if (length < 1) throw new ArgumentException("signal is empty; the STFT needs at least one sample.", "signal");
        if (fftSize < 2 || !BitOperations.IsPow2(fftSize))
            throw new ArgumentException($"fftSize {fftSize} is not a power of two >= 2.", nameof(fftSize));
        if (hop < 1) throw new ArgumentException($"hop {hop} must be >= 1.", nameof(hop));
    }

    private static void RequireFinite(ReadOnlySpan<double> signal)
    {
        for (int i = 0; i < signal.Length; i++)
            if (!double.IsFinite(signal[i]))
                throw new ArgumentException($"signal[{i}] is {signal[i]}; the STFT needs finite samples.", nameof(signal));
    }
}
