using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace PhysMod.Physics.IO;

/// <summary>An open safetensors file whose header has been validated and whose tensors are read on demand.</summary>
/// <remarks>
/// <see cref="Open"/> checks everything the reference reader checks: the header length, UTF-8 JSON that starts
/// with '{', string-only metadata, known dtypes, data_offsets that match dtype size × element count, and tensors
/// that cover the data buffer back to back up to the end of the file. Reads are positional, so one instance can
/// serve several threads, and a slice along the first dimension reads only its own bytes.
/// Every problem with the file's content is an <see cref="InvalidDataException"/> whose one-line message starts
/// with the file's path.
/// </remarks>
public sealed class SafetensorsFile : IDisposable
{
    private const int ChunkBytes = 1 << 30;

    private readonly SafeFileHandle handle;
    private readonly Dictionary<string, SafetensorsTensorInfo> tensors;
    private readonly long dataStart;

    private SafetensorsFile(
        string path, SafeFileHandle handle, long length, long dataStart,
        Dictionary<string, SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        this.handle = handle;
        Length = length;
        this.dataStart = dataStart;
        this.tensors = tensors;
        Metadata = metadata;
        Names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The path the file was opened with (used in every error message).</summary>
    public string Path { get; }

    /// <summary>The size of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>The header's <c>__metadata__</c> strings (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor names in ordinal order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Opens <paramref name="path"/> and validates its header.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message names the file and the problem.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            long length = RandomAccess.GetLength(handle);
            if (length < 8)
            {
                throw Invalid(path, $"the file is {length} bytes, too short for the 8-byte header length");
            }
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, path, prefix, 0);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(length - 8))
            {
                throw Invalid(path, $"header length {headerLength} is larger than the {length - 8} bytes that follow it (the file has {length} bytes)");
            }
            if (headerLength > SafetensorsWriter.MaxHeaderBytes)
            {
                throw Invalid(path, $"header length {headerLength} exceeds the safetensors limit of {SafetensorsWriter.MaxHeaderBytes} bytes");
            }
            byte[] header = new byte[(int)headerLength];
            ReadExactly(handle, path, header, 8);
            long dataStart = 8 + (long)headerLength;
            var (parsed, metadata) = ParseHeader(path, header);
            CheckLayout(path, parsed, dataStart, length);
            return new SafetensorsFile(path, handle, length, dataStart, parsed, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>Returns the dtype, shape and byte range of a tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the names there are.</exception>
    public SafetensorsTensorInfo Info(string name)
    {
        var info = Find(name);
        return info with { Shape = (long[])info.Shape.Clone() };
    }

    /// <summary>Reads a whole F32 tensor, flattened in C order.</summary>
    public float[] ReadSingle(string name) => Read<float>(name);

    /// <summary>Reads a whole F64 tensor, flattened in C order (F32 tensors are refused, not widened).</summary>
    public double[] ReadDouble(string name) => Read<double>(name);

    /// <summary>Reads a whole I32 tensor, flattened in C order.</summary>
    public int[] ReadInt32(string name) => Read<int>(name);

    /// <summary>Reads a whole I64 tensor, flattened in C order.</summary>
    public long[] ReadInt64(string name) => Read<long>(name);

    /// <summary>Reads rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>) of
    /// an F32 tensor along its first dimension, flattened in C order: a (N, T, W, C) tensor gives rowCount·T·W·C values.</summary>
    public float[] ReadSingleRows(string name, long firstRow, long rowCount) => ReadRows<float>(name, firstRow, rowCount);

    /// <summary>Reads a whole tensor whose dtype is the one <see cref="SafetensorsDtype.Of{T}"/> gives for <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">The tensor has another dtype or is too large for one array.</exception>
    public T[] Read<T>(string name) where T : unmanaged
    {
        var info = Find(name);
        CheckDtype<T>(info);
        var result = Allocate<T>(info, info.ElementCount, "the whole tensor");
        ReadElements<T>(info.DataBegin, result);
        return result;
    }

    /// <summary>Reads a whole tensor into <paramref name="destination"/>, which must have exactly its element count.</summary>
    public void Read<T>(string name, Span<T> destination) where T : unmanaged
    {
        var info = Find(name);
        CheckDtype<T>(info);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException($"tensor '{name}' has {info.ElementCount} elements but the destination has {destination.Length}", nameof(destination));
        }
        ReadElements(info.DataBegin, destination);
    }

    /// <summary>Reads rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>) along the first dimension.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not all inside the tensor.</exception>
    public T[] ReadRows<T>(string name, long firstRow, long rowCount) where T : unmanaged
    {
        var info = Find(name);
        CheckDtype<T>(info);
        long rowElements = RowElements(info, firstRow, rowCount);
        var result = Allocate<T>(info, rowCount * rowElements, $"{rowCount} rows");
        ReadElements<T>(info.DataBegin + firstRow * rowElements * Unsafe.SizeOf<T>(), result);
        return result;
    }

    /// <summary>Reads rows along the first dimension into <paramref name="destination"/>, which must fit them exactly.</summary>
    public void ReadRows<T>(string name, long firstRow, long rowCount, Span<T> destination) where T : unmanaged
    {
        var info = Find(name);
        CheckDtype<T>(info);
        long rowElements = RowElements(info, firstRow, rowCount);
        if (destination.Length != rowCount * rowElements)
        {
            throw new ArgumentException(
                $"{rowCount} rows of tensor '{name}' have {rowCount * rowElements} elements but the destination has {destination.Length}",
                nameof(destination));
        }
        ReadElements(info.DataBegin + firstRow * rowElements * Unsafe.SizeOf<T>(), destination);
    }

    /// <summary>Copies a tensor's raw little-endian bytes, whatever its dtype, to <paramref name="destination"/>.</summary>
    public void CopyRawTo(string name, Stream destination)
    {
        var info = Find(name);
        CopyBytes(info.DataBegin, info.ByteLength, destination);
    }

    /// <summary>Copies the raw little-endian bytes of rows along the first dimension to <paramref name="destination"/>.</summary>
    public void CopyRawRowsTo(string name, long firstRow, long rowCount, Stream destination)
    {
        var info = Find(name);
        long rowBytes = RowElements(info, firstRow, rowCount) * SafetensorsDtype.ElementSize(info.Dtype);
        CopyBytes(info.DataBegin + firstRow * rowBytes, rowCount * rowBytes, destination);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();

    private static InvalidDataException Invalid(string path, string problem) => new($"{path}: {problem}");

    private static (Dictionary<string, SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header)
    {
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw Invalid(path, "the JSON header does not start with '{'");
        }
        if (!Utf8.IsValid(header))
        {
            throw Invalid(path, "the JSON header is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"the header is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "the JSON header is not an object");
            }
            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            bool sawMetadata = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (sawMetadata) throw Invalid(path, "the header has '__metadata__' twice");
                    sawMetadata = true;
                    ParseMetadata(path, property.Value, metadata);
                    continue;
                }
                if (tensors.ContainsKey(property.Name))
                {
                    throw Invalid(path, $"the header names tensor '{property.Name}' twice");
                }
                tensors.Add(property.Name, ParseTensor(path, property.Name, property.Value));
            }
            return (tensors, metadata);
        }
    }

    private static void ParseMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind == JsonValueKind.Null) return;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"'__metadata__' is a JSON {element.ValueKind}, not an object of strings");
        }
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, $"metadata '{entry.Name}' is a JSON {entry.Value.ValueKind}; safetensors metadata values must be strings");
            }
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw Invalid(path, $"metadata '{entry.Name}' appears twice");
            }
        }
    }

    private static SafetensorsTensorInfo ParseTensor(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"tensor '{name}' is a JSON {element.ValueKind}, not an object with dtype, shape and data_offsets");
        }
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, $"tensor '{name}' has no string 'dtype'");
        }
        string dtype = dtypeElement.GetString()!;
        if (!SafetensorsDtype.TryGetElementSize(dtype, out int elementSize))
        {
            throw Invalid(path, $"tensor '{name}' has unknown dtype '{dtype}' (known: {string.Join(", ", SafetensorsDtype.Known)})");
        }
        long[] shape = ReadIntegers(path, name, element, "shape", expectedCount: null);
        long[] offsets = ReadIntegers(path, name, element, "data_offsets", expectedCount: 2);
        long begin = offsets[0], end = offsets[1];
        if (end < begin)
        {
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}] that end before they begin");
        }
        long needed = 1;
        try
        {
            foreach (long dimension in shape) needed = checked(needed * dimension);
            needed = checked(needed * elementSize);
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}] whose size overflows");
        }
        if (end - begin != needed)
        {
            throw Invalid(path,
                $"tensor '{name}' has data_offsets [{begin}, {end}] ({end - begin} bytes) but dtype {dtype} with shape [{string.Join(", ", shape)}] needs {needed} bytes");
        }
        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(string path, string name, JsonElement element, string key, int? expectedCount)
    {
        string wanted = expectedCount is { } count ? $"an array of {count} non-negative integers" : "an array of non-negative integers";
        if (!element.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, $"tensor '{name}' has no '{key}' array");
        }
        int length = array.GetArrayLength();
        if (expectedCount is { } expected && length != expected)
        {
            throw Invalid(path, $"tensor '{name}' has '{key}' with {length} entries; it must be {wanted}");
        }
        var values = new long[length];
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw Invalid(path, $"tensor '{name}' has '{key}' entry {item.GetRawText()}; it must be {wanted}");
            }
            values[index++] = value;
        }
        return values;
    }

    private static void CheckLayout(string path, Dictionary<string, SafetensorsTensorInfo> tensors, long dataStart, long length)
    {
        var byOffset = tensors.Values
            .OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        long position = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in byOffset)
        {
            if (tensor.DataBegin != position)
            {
                string after = previous is null ? "the data buffer starts at 0" : $"the previous tensor '{previous.Name}' ends at {position}";
                string kind = tensor.DataBegin > position ? "leaves a gap" : "overlaps";
                throw Invalid(path, $"tensor '{tensor.Name}' starts at data offset {tensor.DataBegin} but {after}: it {kind}");
            }
            long fileEnd = dataStart > long.MaxValue - tensor.DataEnd ? long.MaxValue : dataStart + tensor.DataEnd;
            if (fileEnd > length)
            {
                throw Invalid(path, $"truncated: tensor '{tensor.Name}' needs bytes up to {fileEnd} but the file has {length}");
            }
            position = tensor.DataEnd;
            previous = tensor;
        }
        long dataEnd = dataStart + position;
        if (dataEnd != length)
        {
            throw Invalid(path, $"{length - dataEnd} unexpected bytes after the last tensor (the data ends at byte {dataEnd}, the file has {length})");
        }
    }

    private SafetensorsTensorInfo Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (tensors.TryGetValue(name, out var info)) return info;
        const int shown = 20;
        string available = Names.Count == 0
            ? "it has no tensors"
            : "it has " + string.Join(", ", Names.Take(shown).Select(n => $"'{n}'")) + (Names.Count > shown ? $" and {Names.Count - shown} more" : "");
        throw new KeyNotFoundException($"{Path}: no tensor named '{name}'; {available}");
    }

    private void CheckDtype<T>(SafetensorsTensorInfo info) where T : unmanaged
    {
        string wanted = SafetensorsDtype.Of<T>();
        if (info.Dtype != wanted)
        {
            throw Invalid(Path, $"tensor '{info.Name}' has dtype {info.Dtype}, not {wanted} as {typeof(T).Name} needs");
        }
    }

    private T[] Allocate<T>(SafetensorsTensorInfo info, long count, string what) where T : unmanaged
    {
        if (count > Array.MaxLength)
        {
            throw Invalid(Path, $"{what} of tensor '{info.Name}' ({count} elements) is too large for one array; read it in rows");
        }
        return GC.AllocateUninitializedArray<T>((int)count);
    }

    private static long RowElements(SafetensorsTensorInfo info, long firstRow, long rowCount)
    {
        if (info.Shape.Length == 0)
        {
            throw new ArgumentException($"tensor '{info.Name}' is a scalar and has no rows");
        }
        long rows = info.Shape[0];
        if (firstRow < 0 || rowCount < 0 || firstRow > rows - rowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRow),
                $"rows [{firstRow}, {firstRow + rowCount}) are outside tensor '{info.Name}', which has {rows} rows");
        }
        long rowElements = 1;
        for (int i = 1; i < info.Shape.Length; i++) rowElements *= info.Shape[i];
        return rowElements;
    }

    private void ReadElements<T>(long dataOffset, Span<T> destination) where T : unmanaged
    {
        // Chunks keep each byte view below 2 GiB, the most MemoryMarshal.AsBytes can address.
        int chunkElements = ChunkBytes / Unsafe.SizeOf<T>();
        long position = dataStart + dataOffset;
        for (int start = 0; start < destination.Length; start += chunkElements)
        {
            var chunk = destination.Slice(start, Math.Min(chunkElements, destination.Length - start));
            var bytes = MemoryMarshal.AsBytes(chunk);
            ReadExactly(handle, Path, bytes, position);
            position += bytes.Length;
            SafetensorsDtype.SwapToOrFromLittleEndian(chunk);
        }
    }

    private void CopyBytes(long dataOffset, long count, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 1 << 20));
        try
        {
            long position = dataStart + dataOffset;
            while (count > 0)
            {
                var span = buffer.AsSpan(0, (int)Math.Min(count, buffer.Length));
                ReadExactly(handle, Path, span, position);
                destination.Write(span);
                position += span.Length;
                count -= span.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, string path, Span<byte> destination, long position)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, position);
            if (read == 0)
            {
                throw Invalid(path, $"truncated: the file ended at byte {position} while reading (was it changed after opening?)");
            }
            destination = destination[read..];
            position += read;
        }
    }
}
