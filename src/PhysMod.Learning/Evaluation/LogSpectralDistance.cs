using PhysMod.Audio;

namespace PhysMod.Learning.Evaluation;

/// <summary>Log-spectral distance (dB) between a predicted and a reference signal, on Hann-window STFT magnitudes.</summary>
/// <remarks>
/// LSD = mean over STFT frames f of sqrt( mean over bins k of (20·log10(max(|P_fk|, ε) / max(|G_fk|, ε)))² ), with
/// ε = max_fk |G_fk| · 10^(−floorDb/20): bins quieter than the reference's loudest cell minus floorDb count as that floor in
/// both signals, so numerical noise in silent bins does not dominate. Identical signals give 0; a prediction a·g with no
/// bin of g under the floor gives exactly |20·log10 a|. Magnitudes and framing are those of <see cref="Stft.Magnitude"/>.
/// </remarks>
public static class LogSpectralDistance
{
    /// <summary>The largest power of two ≤ min(<paramref name="fftSize"/>, <paramref name="length"/>), at least 2.</summary>
    public static int FitFftSize(int fftSize, int length)
    {
        int size = fftSize;
        while (size > 2 && size > length) size /= 2;
        return size;
    }

    /// <summary>The LSD in dB of <paramref name="prediction"/> against <paramref name="reference"/> (same length); NaN if
    /// either holds a non-finite value.</summary>
    public static double Compute(ReadOnlySpan<double> prediction, ReadOnlySpan<double> reference, int fftSize, int hop, double floorDb)
    {
        if (prediction.Length != reference.Length)
            throw new ArgumentException($"prediction has {prediction.Length} samples but the reference {reference.Length}");
        if (!(floorDb > 0)) throw new ArgumentException($"floorDb {floorDb} must be > 0", nameof(floorDb));
        foreach (double v in prediction) if (!double.IsFinite(v)) return double.NaN;
        double[,] p = Stft.Magnitude(prediction, fftSize, hop), g = Stft.Magnitude(reference, fftSize, hop);
        int frames = g.GetLength(0), bins = g.GetLength(1);
        double loudest = 0;
        foreach (double m in g) loudest = Math.Max(loudest, m);
        double floor = Math.Max(loudest * Math.Pow(10, -floorDb / 20), Stft.MagnitudeFloor);
        double total = 0;
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int k = 0; k < bins; k++)
            {
                double d = 20 * Math.Log10(Math.Max(p[f, k], floor) / Math.Max(g[f, k], floor));
                sum += d * d;
            }
            total += Math.Sqrt(sum / bins);
        }
        return total / frames;
    }
}
