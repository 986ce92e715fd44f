using System.Buffers.Binary;
using System.Text;

namespace PhysMod.Tests.Audio;

/// <summary>Builds WAV files byte by byte, so reader tests do not depend on the writer under test.</summary>
internal static class WavBytes
{
    public const ushort Pcm = 1, Adpcm = 2, IeeeFloat = 3, Extensible = 0xFFFE;

    /// <summary>A RIFF/WAVE file with a plain 16-byte fmt chunk (or a 40-byte extensible one) and the given data.</summary>
    /// <remarks>For <see cref="Extensible"/>, <c>extensibleSubFormat</c> is the format tag held in the SubFormat GUID;
    /// <c>declaredDataBytes</c> overrides the data chunk size in the header (to fake truncation).</remarks>
    public static byte[] Build(ushort formatTag, ushort channels, int sampleRate, ushort bitsPerSample, byte[] data,
        ushort extensibleSubFormat = Pcm, int? declaredDataBytes = null)
    {
        using var memory = new MemoryStream();
        using var writer = new BinaryWriter(memory);
        bool extensible = formatTag == Extensible;
        ushort blockAlign = (ushort)(bitsPerSample >= 8 ? channels * bitsPerSample / 8 : 256); // 256: a typical ADPCM block
        writer.Write(Encoding.ASCII.GetBytes("RIFF"));
        writer.Write(0); // patched below
        writer.Write(Encoding.ASCII.GetBytes("WAVE"));
        writer.Write(Encoding.ASCII.GetBytes("fmt "));
        writer.Write(extensible ? 40 : 16);
        writer.Write(formatTag);
        writer.Write(channels);
        writer.Write(sampleRate);
        writer.Write(sampleRate * blockAlign);
        writer.Write(blockAlign);
        writer.Write(bitsPerSample);
        if (extensible)
        {
            writer.Write((ushort)22);           // cbSize
            writer.Write(bitsPerSample);        // valid bits
            writer.Write(channels == 1 ? 4 : 3); // channel mask: centre / front left+right
            // KSDATAFORMAT_SUBTYPE_*: {0000xxxx-0000-0010-8000-00aa00389b71}
            writer.Write(new Guid($"{extensibleSubFormat:x8}-0000-0010-8000-00aa00389b71").ToByteArray());
        }
        writer.Write(Encoding.ASCII.GetBytes("data"));
        writer.Write(declaredDataBytes ?? data.Length);
        writer.Write(data);
        if (data.Length % 2 == 1) writer.Write((byte)0);
        writer.Flush();
        byte[] bytes = memory.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    /// <summary>Little-endian 24-bit PCM bytes of the given integer sample values.</summary>
    public static byte[] Int24(params int[] values) =>
        values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16) }).ToArray();

    /// <summary>Little-endian bytes of the given 16-bit samples.</summary>
    public static byte[] Int16(params short[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>Little-endian bytes of the given 32-bit integer samples.</summary>
    public static byte[] Int32(params int[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>Little-endian bytes of the given 64-bit float samples.</summary>
    public static byte[] Float64(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
