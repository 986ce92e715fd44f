using System.Buffers.Binary;
using NAudio.Wave;
using PhysMod.Physics.IO;

namespace PhysMod.Audio;

/// <summary>Writes and reads mono WAV files, rejecting anything PhysMod cannot use with one clear message.</summary>
public static class WavFile
{
    /// <summary>Lowest sample rate in Hz that <see cref="Read"/> accepts.</summary>
    public const int MinReadSampleRate = 8000;

    /// <summary>Highest sample rate in Hz that <see cref="Read"/> accepts.</summary>
    public const int MaxReadSampleRate = 384000;

    /// <summary>Writes mono <paramref name="samples"/> atomically as a WAV file.</summary>
    /// <remarks>
    /// When <paramref name="peakNormalise"/> &gt; 0 the samples are scaled by peakNormalise / max|x| first
    /// (all-zero input is left untouched). Pcm16 stores clamp(round(32768 x), -32768, 32767).
    /// </remarks>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate,
        WavSampleFormat format = WavSampleFormat.Float32, double peakNormalise = 0)
    {
        if (sampleRate <= 0)
            throw new ArgumentException($"sampleRate {sampleRate} Hz must be > 0.", nameof(sampleRate));
        if (!double.IsFinite(peakNormalise) || peakNormalise < 0)
            throw new ArgumentException($"peakNormalise {peakNormalise} must be a finite value >= 0 (0 = no normalisation).", nameof(peakNormalise));
        if (samples.IsEmpty)
            throw new ArgumentException("samples is empty; a WAV file needs at least one sample.", nameof(samples));
        float peak = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
                throw new ArgumentException($"samples[{i}] is {samples[i]}; WAV samples must be finite.", nameof(samples));
            peak = Math.Max(peak, Math.Abs(samples[i]));
        }
        double gain = peakNormalise > 0 && peak > 0 ? peakNormalise / peak : 1.0;
        byte[] data = format switch
        {
            WavSampleFormat.Float32 => EncodeFloat32(samples, gain),
            WavSampleFormat.Pcm16 => EncodePcm16(samples, gain),
            _ => throw new ArgumentException($"format {format} is not a WavSampleFormat.", nameof(format)),
        };
        WaveFormat waveFormat = format == WavSampleFormat.Float32
            ? WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1)
            : new WaveFormat(sampleRate, 16, 1);
        AtomicFile.Write(path, stream =>
        {
            // Disposing the writer patches the RIFF/data sizes into the header; it leaves the stream to AtomicFile.
            using var writer = new WaveFileWriter(stream, waveFormat);
            writer.Write(data);
        });
    }

    /// <summary>Reads a mono WAV file (16/24/32-bit PCM or 32/64-bit float) as samples scaled to about [-1, 1].</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a WAV PhysMod can use; the message names the file and the problem.</exception>
    public static WavAudio Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"WAV file '{path}' does not exist.", path);
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(path);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"'{path}' is not a readable WAV file: {e.Message}", e);
        }
        using (reader)
        {
            WaveFormat format = reader.WaveFormat.AsStandardWaveFormat();
            int bytesPerSample = format.BitsPerSample / 8;
            if (format.Channels != 1)
                throw new InvalidDataException($"'{path}' has {format.Channels} channels; PhysMod reads mono WAV only.");
            if (!IsSupported(format.Encoding, format.BitsPerSample) || format.BlockAlign != bytesPerSample)
                throw new InvalidDataException($"'{path}' uses unsupported encoding {format.Encoding} with {format.BitsPerSample} bits per sample; PhysMod reads 16/24/32-bit PCM and 32/64-bit IEEE float WAV.");
            if (format.SampleRate < MinReadSampleRate || format.SampleRate > MaxReadSampleRate)
                throw new InvalidDataException($"'{path}' has sample rate {format.SampleRate} Hz; PhysMod reads {MinReadSampleRate}..{MaxReadSampleRate} Hz.");
            long count = reader.Length / bytesPerSample;
            if (count == 0) throw new InvalidDataException($"'{path}' contains no samples.");
            if (count > Array.MaxLength)
                throw new InvalidDataException($"'{path}' has {count} samples; PhysMod reads at most {Array.MaxLength}.");
            var samples = new float[count];
            DecodeAll(reader, path, format.Encoding == WaveFormatEncoding.IeeeFloat, bytesPerSample, samples);
            return new WavAudio(samples, format.SampleRate);
        }
    }

    private static bool IsSupported(WaveFormatEncoding encoding, int bits) => encoding switch
    {
        WaveFormatEncoding.Pcm => bits is 16 or 24 or 32,
        WaveFormatEncoding.IeeeFloat => bits is 32 or 64,
        _ => false,
    };

    private static void DecodeAll(WaveFileReader reader, string path, bool isFloat, int bytesPerSample, float[] samples)
    {
        var buffer = new byte[bytesPerSample * 16384];
        int done = 0;
        while (done < samples.Length)
        {
            int wanted = Math.Min(buffer.Length, (samples.Length - done) * bytesPerSample);
            int got = ReadFully(reader, buffer.AsSpan(0, wanted));
            int whole = got / bytesPerSample;
            for (int i = 0; i < whole; i++)
            {
                float value = Decode(buffer.AsSpan(i * bytesPerSample, bytesPerSample), isFloat);
                if (!float.IsFinite(value))
                    throw new InvalidDataException($"'{path}' has a non-finite sample ({value}) at index {done + i}.");
                samples[done + i] = value;
            }
            done += whole;
            // NAudio already clamps a data size larger than the file (as streamed WAVs declare); this guards the rest.
            if (got < wanted)
                throw new InvalidDataException($"'{path}' is truncated: its header promises {samples.Length} samples but only {done} are present.");
        }
    }

    private static int ReadFully(WaveFileReader reader, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = reader.Read(buffer[total..]);
            if (read <= 0) break;
            total += read;
        }
        return total;
    }

    private static float Decode(ReadOnlySpan<byte> bytes, bool isFloat) => (bytes.Length, isFloat) switch
    {
        (2, false) => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768f,
        (3, false) => (bytes[0] | bytes[1] << 8 | (sbyte)bytes[2] << 16) / 8388608f,
        (4, false) => (float)(BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0),
        (4, true) => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        (8, true) => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        _ => throw new InvalidOperationException($"no decoder for {bytes.Length}-byte {(isFloat ? "float" : "PCM")} samples."),
    };

    private static byte[] EncodeFloat32(ReadOnlySpan<float> samples, double gain)
    {
        var data = new byte[samples.Length * sizeof(float)];
        for (int i = 0; i < samples.Length; i++)
        {
            float value = gain == 1.0 ? samples[i] : (float)(samples[i] * gain);
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * sizeof(float)), value);
        }
        return data;
    }

    private static byte[] EncodePcm16(ReadOnlySpan<float> samples, double gain)
    {
        var data = new byte[samples.Length * sizeof(short)];
        for (int i = 0; i < samples.Length; i++)
        {
            double scaled = Math.Round(Math.Clamp(samples[i] * gain, -1.0, 1.0) * 32768.0);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * sizeof(short)), (short)Math.Clamp(scaled, short.MinValue, short.MaxValue));
        }
        return data;
    }
}
