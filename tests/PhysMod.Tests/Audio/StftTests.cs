using PhysMod.Audio;

namespace PhysMod.Tests.Audio;

/// <summary>STFT framing, scaling and frequency resolution, checked on sinusoids of known frequency.</summary>
public sealed class StftTests
{
    private static double[] Sine(int length, double frequency, double amplitude, double sampleRate) =>
        Enumerable.Range(0, length).Select(n => amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate + 0.3)).ToArray();

    private static int ArgMax(double[,] grid, int frame)
    {
        int best = 0;
        for (int k = 1; k < grid.GetLength(1); k++) if (grid[frame, k] > grid[frame, best]) best = k;
        return best;
    }

    [Fact]
    public void BinCentredSinusoidPeaksAtItsBinWithItsAmplitude()
    {
        const double sampleRate = 16000;
        const int fftSize = 1024, bin = 40;
        double[] signal = Sine(8192, Stft.BinFrequency(bin, fftSize, sampleRate), 0.5, sampleRate);
        double[,] magnitude = Stft.Magnitude(signal, fftSize, hop: 256);
        int fullFrames = (signal.Length - fftSize) / 256 + 1;
        for (int f = 0; f < fullFrames; f++)
        {
            Assert.Equal(bin, ArgMax(magnitude, f));
            Assert.Equal(0.5, magnitude[f, bin], 1e-9);
            // periodic Hann: the neighbours get exactly half the peak, everything farther away ~nothing
            Assert.Equal(0.25, magnitude[f, bin + 1], 1e-9);
            Assert.InRange(magnitude[f, bin + 3], 0, 1e-9);
        }
    }

    [Theory]
    [InlineData(440.0)]
    [InlineData(1234.5)]
    [InlineData(7001.0)]
    public void SinusoidBetweenBinsPeaksAtNearestBin(double frequency)
    {
        const double sampleRate = 22050;
        const int fftSize = 2048;
        double[,] db = Stft.MagnitudeDb(Sine(20000, frequency, 1.0, sampleRate), fftSize, hop: 512);
        int expected = (int)Math.Round(frequency * fftSize / sampleRate);
        Assert.Equal(expected, ArgMax(db, 3));
        Assert.InRange(db[3, expected], -1.5, 0.0); // Hann scalloping loss is at most 1.42 dB
    }

    [Theory]
    [InlineData(5000, 1024, 256, 17)]
    [InlineData(1024, 1024, 256, 1)]
    [InlineData(1025, 1024, 256, 2)]
    [InlineData(10, 1024, 256, 1)]
    public void FrameCountCoversEverySample(int length, int fftSize, int hop, int expected)
    {
        Assert.Equal(expected, Stft.FrameCount(length, fftSize, hop));
        double[,] magnitude = Stft.Magnitude(new double[length], fftSize, hop);
        Assert.Equal(expected, magnitude.GetLength(0));
        Assert.Equal(fftSize / 2 + 1, magnitude.GetLength(1));
    }

    [Fact]
    public void SilenceIsAtTheDecibelFloor()
    {
        double[,] db = Stft.MagnitudeDb(new double[300], 256, 64);
        Assert.All(db.Cast<double>(), x => Assert.Equal(-240, x, 1e-9));
    }

    [Fact]
    public void HannWindowIsPeriodic()
    {
        double[] window = Stft.HannWindow(8);
        Assert.Equal(0, window[0]);
        Assert.Equal(1, window[4], 1e-15);
        Assert.Equal(window[1], window[7], 1e-15);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Contains("fftSize 1000", Assert.Throws<ArgumentException>(() => Stft.Magnitude(new double[2000], 1000, 100)).Message);
        Assert.Contains("hop 0", Assert.Throws<ArgumentException>(() => Stft.Magnitude(new double[2000], 1024, 0)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Stft.Magnitude([], 1024, 256)).Message);
        Assert.Contains("signal[1] is NaN", Assert.Throws<ArgumentException>(() => Stft.Magnitude([0, double.NaN], 1024, 256)).Message);
    }
}
