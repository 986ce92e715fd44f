using System.Buffers.Binary;
using PhysMod.Audio;

namespace PhysMod.Tests.Audio;

/// <summary>Every plot writes a valid PNG of the requested size, with its text drawn, and rejects bad input.</summary>
public sealed class PlotsTests : IDisposable
{
    private const double SampleRate = 8000;
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static double[] DecayingSine(int length, double frequency) =>
        Enumerable.Range(0, length).Select(n => Math.Exp(-3.0 * n / length) * Math.Sin(2 * Math.PI * frequency * n / SampleRate)).ToArray();

    private static float[] StandingWave(int frames, int points) =>
        Enumerable.Range(0, frames * points)
            .Select(i => (float)(Math.Sin(Math.PI * (i % points + 0.5) / points) * Math.Cos(2 * Math.PI * 0.01 * (i / points))))
            .ToArray();

    // PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", big-endian width and height).
    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, "*" + Path.GetFileName(path) + "*"));
    }

    [Fact]
    public void WaveformUsesDefaultSize()
    {
        string path = temp.File("wave.png");
        Plots.Waveform(path, DecayingSine(4000, 220), SampleRate, "decaying sine");
        AssertPng(path, Plots.DefaultWidth, Plots.DefaultHeight);
    }

    [Fact]
    public void WaveformOverlayWritesRequestedSize()
    {
        string path = temp.File("overlay.png");
        Plots.Waveform(path, [("target", DecayingSine(4000, 220)), ("model", DecayingSine(3000, 230))], SampleRate,
            "target vs model", "displacement (m)", width: 640, height: 360);
        AssertPng(path, 640, 360);
    }

    [Fact]
    public void TitleTextIsDrawn()
    {
        // Without an installed font ScottPlot silently draws no text: the band above the axes would stay blank.
        string path = temp.File("title.png");
        Plots.Waveform(path, DecayingSine(1000, 220), SampleRate, "A TITLE THAT MUST BE VISIBLE", width: 800, height: 400);
        using var image = new ScottPlot.Image(File.ReadAllBytes(path));
        byte[,] gray = image.GetArrayGrayscale(); // (rows, columns)
        int dark = 0;
        for (int y = 0; y < 25; y++)
            for (int x = 0; x < gray.GetLength(1); x++)
                if (gray[y, x] < 128) dark++;
        Assert.True(dark > 100, $"only {dark} dark pixels in the title band: is a font (fonts-dejavu-core) installed?");
    }

    [Fact]
    public void SpectrogramWritesRequestedSize()
    {
        string path = temp.File("spectrogram.png");
        Plots.Spectrogram(path, DecayingSine(16000, 440), SampleRate, "spectrogram", fftSize: 512, hop: 128,
            maxFrequencyHz: 2000, width: 900, height: 500);
        AssertPng(path, 900, 500);
    }

    [Fact]
    public void SpectrogramOfLongSignalIsDecimated()
    {
        string path = temp.File("long-spectrogram.png");
        Plots.Spectrogram(path, DecayingSine(300_000, 1000), SampleRate, "long", fftSize: 256, hop: 64);
        AssertPng(path, Plots.DefaultWidth, Plots.DefaultHeight);
    }

    [Theory]
    [InlineData(300, 50, null)]
    [InlineData(12000, 64, 0.5)]
    public void SpaceTimeHeatmapWritesRequestedSize(int frames, int points, double? mark)
    {
        string path = temp.File($"field-{frames}.png");
        Plots.SpaceTimeHeatmap(path, StandingWave(frames, points), frames, points, frameRateHz: 16000,
            lengthMetres: 0.65, "string displacement", markTimeSeconds: mark, width: 1200, height: 450);
        AssertPng(path, 1200, 450);
    }

    [Fact]
    public void LossCurvesWritesRequestedSize()
    {
        string path = temp.File("loss.png");
        double[] steps = Enumerable.Range(0, 200).Select(i => 10.0 * i).ToArray();
        Plots.LossCurves(path,
            [("train", steps, steps.Select(s => Math.Exp(-s / 300)).ToArray()),
             ("validation", steps, steps.Select(s => s == 500 ? double.NaN : 2 * Math.Exp(-s / 500)).ToArray())],
            "training loss", width: 700, height: 420);
        AssertPng(path, 700, 420);
    }

    [Fact]
    public void BadInputFailsWithoutWritingAFile()
    {
        string path = temp.File("bad.png");
        Assert.Contains("field has 10 values",
            Assert.Throws<ArgumentException>(() => Plots.SpaceTimeHeatmap(path, new float[10], 3, 4, 100, 1, "t")).Message);
        Assert.Contains("signal[1] is NaN",
            Assert.Throws<ArgumentException>(() => Plots.Waveform(path, [0, double.NaN], SampleRate, "t")).Message);
        Assert.Contains("maxFrequencyHz 5000",
            Assert.Throws<ArgumentException>(() => Plots.Spectrogram(path, new double[4096], SampleRate, "t", maxFrequencyHz: 5000)).Message);
        Assert.Contains("width 10 px",
            Assert.Throws<ArgumentException>(() => Plots.Waveform(path, [0.0, 1.0], SampleRate, "t", width: 10)).Message);
        Assert.Contains("sampleRate 0",
            Assert.Throws<ArgumentException>(() => Plots.Waveform(path, [0.0, 1.0], 0, "t")).Message);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
