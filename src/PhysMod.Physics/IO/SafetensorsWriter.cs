using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PhysMod.Physics.IO;

/// <summary>Collects named tensors and string metadata and saves them as one safetensors file.</summary>
/// <remarks>
/// File layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__": {..}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..}</c>
/// padded with spaces to a multiple of 8, then the tensors' little-endian bytes back to back.
/// Tensors are laid out by decreasing element size, then by name (as the reference implementation does), so
/// every tensor starts at a multiple of its element size. Arrays passed to <c>Add</c> are kept by reference, not
/// copied, and streamed to disk in chunks by <see cref="Save"/>: do not change them before saving.
/// </remarks>
public sealed class SafetensorsWriter
{
    /// <summary>The largest header the reference reader accepts.</summary>
    internal const int MaxHeaderBytes = 100_000_000;

    private const int ChunkBytes = 1 << 20;

    private readonly List<Entry> entries = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>Free-form string metadata, saved under the header key <c>__metadata__</c> (omitted when empty).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The number of tensors added so far.</summary>
    public int Count => entries.Count;

    /// <summary>Adds a float32 (F32) tensor; <paramref name="shape"/> is outermost first, empty for a scalar.</summary>
    public void Add(string name, ReadOnlyMemory<float> data, params long[] shape) => Add<float>(name, data, shape);

    /// <summary>Adds a float64 (F64) tensor; <paramref name="shape"/> is outermost first, empty for a scalar.</summary>
    public void Add(string name, ReadOnlyMemory<double> data, params long[] shape) => Add<double>(name, data, shape);

    /// <summary>Adds an int32 (I32) tensor; <paramref name="shape"/> is outermost first, empty for a scalar.</summary>
    public void Add(string name, ReadOnlyMemory<int> data, params long[] shape) => Add<int>(name, data, shape);

    /// <summary>Adds an int64 (I64) tensor; <paramref name="shape"/> is outermost first, empty for a scalar.</summary>
    public void Add(string name, ReadOnlyMemory<long> data, params long[] shape) => Add<long>(name, data, shape);

    /// <summary>Adds a tensor of any element type that <see cref="SafetensorsDtype.Of{T}"/> maps to a dtype.</summary>
    /// <exception cref="ArgumentException">The name is empty, reserved or taken, or the shape does not match the data length.</exception>
    public void Add<T>(string name, ReadOnlyMemory<T> data, params long[] shape) where T : unmanaged
    {
        string dtype = SafetensorsDtype.Of<T>();
        ArgumentNullException.ThrowIfNull(shape);
        long elements = CheckNameAndShape(name, shape);
        if (elements != data.Length)
        {
            throw new ArgumentException(
                $"tensor '{name}': shape [{string.Join(", ", shape)}] has {elements} elements but the data has {data.Length}",
                nameof(shape));
        }
        entries.Add(new Entry(name, dtype, (long[])shape.Clone(), elements * Unsafe.SizeOf<T>(), stream => WriteElements(stream, data.Span)));
        names.Add(name);
    }

    /// <summary>Adds a tensor whose little-endian bytes <paramref name="writeData"/> writes when the file is saved.</summary>
    /// <remarks>For tensors too large to hold in memory at once (merged dataset shards, data generated in chunks).
    /// The callback must write exactly element size × element count bytes; otherwise saving fails and no file is left.</remarks>
    /// <exception cref="ArgumentException">The name is empty, reserved or taken, the dtype is unknown, or the shape is invalid.</exception>
    public void AddStreamed(string name, string dtype, long[] shape, Action<Stream> writeData)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(writeData);
        if (!SafetensorsDtype.TryGetElementSize(dtype, out int size))
        {
            throw new ArgumentException(
                $"tensor '{name}': unknown dtype '{dtype}' (known: {string.Join(", ", SafetensorsDtype.Known)})", nameof(dtype));
        }
        long elements = CheckNameAndShape(name, shape);
        long bytes;
        try
        {
            bytes = checked(elements * size);
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] is too large", nameof(shape));
        }
        entries.Add(new Entry(name, dtype, (long[])shape.Clone(), bytes, writeData));
        names.Add(name);
    }

    /// <summary>Writes the file atomically: on any error the target is left as it was and no partial file remains.</summary>
    /// <exception cref="ArgumentException">A metadata key or value is invalid, or the header would be too large.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ordered = entries
            .OrderByDescending(e => SafetensorsDtype.ElementSize(e.Dtype))
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        byte[] header = BuildHeader(ordered);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var entry in ordered)
            {
                var checkedStream = new LengthCheckedStream(stream, entry.ByteLength, entry.Name);
                entry.Write(checkedStream);
                checkedStream.EnsureComplete();
            }
        });
    }

    private long CheckNameAndShape(string name, long[] shape)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a tensor name must not be empty", nameof(name));
        if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved for the metadata and cannot name a tensor", nameof(name));
        if (names.Contains(name)) throw new ArgumentException($"a tensor named '{name}' was already added", nameof(name));
        long elements = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
            }
            try
            {
                elements = checked(elements * dimension);
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] is too large", nameof(shape));
            }
        }
        return elements;
    }

    private byte[] BuildHeader(List<Entry> ordered)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII and '+' readable; the result is still valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null) throw new ArgumentException($"metadata '{key}' has no value; values must be strings");
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var entry in ordered)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.Dtype);
                json.WriteStartArray("shape");
                foreach (long dimension in entry.Shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset = checked(offset + entry.ByteLength);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        if (padded > MaxHeaderBytes)
        {
            throw new ArgumentException($"the header would be {padded} bytes, more than the {MaxHeaderBytes} that safetensors readers accept");
        }
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteElements<T>(Stream stream, ReadOnlySpan<T> data) where T : unmanaged
    {
        // Chunks keep each byte view below 2 GiB (AsBytes cannot span more) and bound the byte-swap buffer.
        int chunkElements = ChunkBytes / Unsafe.SizeOf<T>();
        T[]? swapped = BitConverter.IsLittleEndian ? null : ArrayPool<T>.Shared.Rent(chunkElements);
        try
        {
            for (int start = 0; start < data.Length; start += chunkElements)
            {
                var chunk = data.Slice(start, Math.Min(chunkElements, data.Length - start));
                if (swapped is not null)
                {
                    var copy = swapped.AsSpan(0, chunk.Length);
                    chunk.CopyTo(copy);
                    SafetensorsDtype.SwapToOrFromLittleEndian(copy);
                    chunk = copy;
                }
                stream.Write(MemoryMarshal.AsBytes(chunk));
            }
        }
        finally
        {
            if (swapped is not null) ArrayPool<T>.Shared.Return(swapped);
        }
    }

    private sealed record Entry(string Name, string Dtype, long[] Shape, long ByteLength, Action<Stream> Write);
}
