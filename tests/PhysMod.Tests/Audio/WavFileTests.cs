using System.Buffers.Binary;
using NAudio.Wave;
using PhysMod.Audio;

namespace PhysMod.Tests.Audio;

/// <summary>WAV writing and reading: exact round trips, normalisation and one clear error per bad input.</summary>
public sealed class WavFileTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static float[] RandomSamples(int count, double scale, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(scale * (2 * random.NextDouble() - 1))).ToArray();
    }

    [Fact]
    public void Float32RoundTripIsBitExact()
    {
        float[] samples = [.. RandomSamples(1001, 3.0, 1), 1.5f, -3f, float.Epsilon, -0f, float.MaxValue];
        string path = temp.File("float.wav");
        WavFile.Write(path, samples, 48000);
        WavAudio audio = WavFile.Read(path);
        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(samples.Select(BitConverter.SingleToInt32Bits), audio.Samples.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void WriterFinalisesHeaderAndLeavesNoTemporaryFile()
    {
        string path = temp.File("header.wav");
        WavFile.Write(path, RandomSamples(100, 0.5, 2), 44100);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(bytes.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        using (var reader = new WaveFileReader(path))
        {
            Assert.Equal(WaveFormatEncoding.IeeeFloat, reader.WaveFormat.Encoding);
            Assert.Equal(400, reader.Length);
        }
        Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Pcm16RoundTripIsWithinOneQuantum()
    {
        float[] samples = [.. RandomSamples(2000, 1.0, 3), 1f, -1f, 0f];
        string path = temp.File("pcm16.wav");
        WavFile.Write(path, samples, 16000, WavSampleFormat.Pcm16);
        WavAudio audio = WavFile.Read(path);
        Assert.Equal(samples.Length, audio.Samples.Length);
        for (int i = 0; i < samples.Length; i++)
            Assert.InRange(Math.Abs(audio.Samples[i] - samples[i]), 0, 1.0 / 32768);
        using var reader = new WaveFileReader(path);
        Assert.Equal(16, reader.WaveFormat.BitsPerSample);
    }

    [Fact]
    public void Pcm16ClipsToUnitRange()
    {
        string path = temp.File("clip.wav");
        WavFile.Write(path, [2f, -2f], 8000, WavSampleFormat.Pcm16);
        Assert.Equal(new[] { 32767f / 32768, -1f }, WavFile.Read(path).Samples);
    }

    [Theory]
    [InlineData(WavSampleFormat.Float32, 1e-6)]
    [InlineData(WavSampleFormat.Pcm16, 1.0 / 32768)]
    public void PeakNormalisationScalesLargestMagnitudeToTarget(WavSampleFormat format, double tolerance)
    {
        float[] samples = [0.1f, -0.25f, 0.2f, 0f];
        string path = temp.File("norm.wav");
        WavFile.Write(path, samples, 8000, format, peakNormalise: 0.9);
        float[] read = WavFile.Read(path).Samples;
        double[] expected = samples.Select(x => x * 0.9 / 0.25).ToArray();
        for (int i = 0; i < samples.Length; i++) Assert.Equal(expected[i], read[i], tolerance);
    }

    [Fact]
    public void PeakNormalisationLeavesSilenceUntouched()
    {
        string path = temp.File("silence.wav");
        WavFile.Write(path, new float[10], 8000, peakNormalise: 0.5);
        Assert.All(WavFile.Read(path).Samples, x => Assert.Equal(0f, x));
    }

    [Theory]
    [InlineData(0, "sampleRate 0")]
    [InlineData(-44100, "sampleRate -44100")]
    public void WriteRejectsNonPositiveSampleRate(int sampleRate, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => WavFile.Write(temp.File("x.wav"), [0f], sampleRate));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(float.NaN, "samples[1] is NaN")]
    [InlineData(float.PositiveInfinity, "samples[1] is Infinity")]
    public void WriteRejectsNonFiniteSamplesAndLeavesExistingFileIntact(float bad, string expected)
    {
        string path = temp.File("keep.wav");
        WavFile.Write(path, [0.5f], 8000);
        var e = Assert.Throws<ArgumentException>(() => WavFile.Write(path, [0f, bad], 8000));
        Assert.Contains(expected, e.Message);
        Assert.Equal(new[] { 0.5f }, WavFile.Read(path).Samples);
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void WriteRejectsEmptyInputAndNegativePeak()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => WavFile.Write(temp.File("e.wav"), [], 8000)).Message);
        Assert.Contains("peakNormalise -1", Assert.Throws<ArgumentException>(() => WavFile.Write(temp.File("p.wav"), [1f], 8000, peakNormalise: -1)).Message);
    }

    [Fact]
    public void ReadsPcm24Pcm32AndFloat64()
    {
        string pcm24 = temp.File("pcm24.wav"), pcm32 = temp.File("pcm32.wav"), float64 = temp.File("f64.wav");
        File.WriteAllBytes(pcm24, WavBytes.Build(WavBytes.Pcm, 1, 96000, 24, WavBytes.Int24(0x400000, -0x800000, 1)));
        File.WriteAllBytes(pcm32, WavBytes.Build(WavBytes.Pcm, 1, 44100, 32, WavBytes.Int32(int.MinValue, 0x40000000)));
        File.WriteAllBytes(float64, WavBytes.Build(WavBytes.IeeeFloat, 1, 384000, 64, WavBytes.Float64(0.25, -0.125)));
        Assert.Equal(new[] { 0.5f, -1f, 1f / 8388608 }, WavFile.Read(pcm24).Samples);
        Assert.Equal(new[] { -1f, 0.5f }, WavFile.Read(pcm32).Samples);
        WavAudio audio = WavFile.Read(float64);
        Assert.Equal(new[] { 0.25f, -0.125f }, audio.Samples);
        Assert.Equal(384000, audio.SampleRate);
    }

    [Fact]
    public void ReadsExtensibleFormatByItsSubFormat()
    {
        string path = temp.File("extensible.wav");
        File.WriteAllBytes(path, WavBytes.Build(WavBytes.Extensible, 1, 48000, 16, WavBytes.Int16(16384, -32768), WavBytes.Pcm));
        Assert.Equal(new[] { 0.5f, -1f }, WavFile.Read(path).Samples);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = temp.File("absent.wav");
        var e = Assert.Throws<FileNotFoundException>(() => WavFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TextFileIsNotAWav()
    {
        string path = temp.File("notes.wav");
        File.WriteAllText(path, "these are not audio samples\n");
        AssertInvalid(path, "is not a readable WAV file");
    }

    [Fact]
    public void StereoIsRejected()
    {
        string path = temp.File("stereo.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(44100, 16, 2))) writer.WriteSamples(new short[] { 1, 2, 3, 4 }, 0, 4);
        AssertInvalid(path, "has 2 channels; PhysMod reads mono WAV only");
    }

    [Fact]
    public void StereoExtensibleIsRejected()
    {
        string path = temp.File("stereo-ext.wav");
        File.WriteAllBytes(path, WavBytes.Build(WavBytes.Extensible, 2, 48000, 24, WavBytes.Int24(1, 2), WavBytes.Pcm));
        AssertInvalid(path, "has 2 channels");
    }

    [Theory]
    [InlineData(WavBytes.Pcm, 8, "unsupported encoding Pcm with 8 bits per sample")]
    [InlineData(WavBytes.Adpcm, 4, "unsupported encoding Adpcm")]
    [InlineData(WavBytes.IeeeFloat, 16, "unsupported encoding IeeeFloat with 16 bits")]
    public void UnsupportedEncodingIsRejected(ushort tag, ushort bits, string expected)
    {
        string path = temp.File($"enc{tag}-{bits}.wav");
        File.WriteAllBytes(path, WavBytes.Build(tag, 1, 8000, bits, new byte[16]));
        AssertInvalid(path, expected);
    }

    [Fact]
    public void EmptyDataChunkIsRejected()
    {
        string path = temp.File("empty.wav");
        File.WriteAllBytes(path, WavBytes.Build(WavBytes.IeeeFloat, 1, 44100, 32, []));
        AssertInvalid(path, "contains no samples");
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(768000)]
    public void SampleRateOutsideRangeIsRejected(int sampleRate)
    {
        string path = temp.File($"rate{sampleRate}.wav");
        WavFile.Write(path, [0.1f, 0.2f], sampleRate);
        AssertInvalid(path, $"has sample rate {sampleRate} Hz; PhysMod reads 8000..384000 Hz");
    }

    [Fact]
    public void NonFiniteFloatSampleIsRejected()
    {
        string path = temp.File("nan.wav");
        File.WriteAllBytes(path, WavBytes.Build(WavBytes.IeeeFloat, 1, 8000, 64, WavBytes.Float64(0, double.NaN)));
        AssertInvalid(path, "non-finite sample (NaN) at index 1");
    }

    private static void AssertInvalid(string path, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
