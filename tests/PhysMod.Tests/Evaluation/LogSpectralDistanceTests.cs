using PhysMod.Learning.Evaluation;

namespace PhysMod.Tests.Evaluation;

/// <summary>The log-spectral distance is 0 for identical signals and |20·log10 a| for a signal scaled by a.</summary>
public sealed class LogSpectralDistanceTests
{
    private static double[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    [Fact]
    public void IdenticalSignalsHaveZeroDistance()
    {
        var signal = Noise(2000, 1);
        Assert.Equal(0, LogSpectralDistance.Compute(signal, signal, 256, 64, 80));
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.1)]
    [InlineData(1.5)]
    public void ScaledSignalIsTwentyLogTenOfTheScale(double scale)
    {
        // Broadband noise keeps every STFT bin far above the 200 dB floor, so the distance is exactly |20 log10 a| in every bin.
        var reference = Noise(4096, 2);
        var scaled = reference.Select(v => scale * v).ToArray();
        Assert.Equal(Math.Abs(20 * Math.Log10(scale)), LogSpectralDistance.Compute(scaled, reference, 512, 128, 200), 9);
    }

    [Fact]
    public void DifferentSpectraAreFarApartAndNonFiniteIsNaN()
    {
        var t = Enumerable.Range(0, 4000).Select(n => n / 16000.0).ToArray();
        var a = t.Select(x => Math.Sin(2 * Math.PI * 440 * x)).ToArray();
        var b = t.Select(x => Math.Sin(2 * Math.PI * 1870 * x)).ToArray();
        Assert.True(LogSpectralDistance.Compute(b, a, 1024, 256, 80) > 10);
        b[7] = double.NaN;
        Assert.True(double.IsNaN(LogSpectralDistance.Compute(b, a, 1024, 256, 80)));
    }

    [Theory]
    [InlineData(64, 200, 64)]
    [InlineData(64, 100, 64)]
    [InlineData(64, 40, 32)]
    [InlineData(1024, 8000, 1024)]
    public void FftSizeFitsTheSignal(int requested, int length, int expected) =>
        Assert.Equal(expected, LogSpectralDistance.FitFftSize(requested, length));
}
