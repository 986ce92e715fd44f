namespace PhysMod.Physics.IO;

/// <summary>The header entry of one tensor in a safetensors file: its element type, shape and byte range.</summary>
/// <param name="Name">The tensor's key in the header.</param>
/// <param name="Dtype">The element type name, one of <see cref="SafetensorsDtype"/>'s constants.</param>
/// <param name="Shape">The dimensions, outermost first (C order); empty for a scalar.</param>
/// <param name="DataBegin">The first byte of the tensor, counted from the start of the data buffer after the header.</param>
/// <param name="DataEnd">One past the last byte of the tensor, counted like <paramref name="DataBegin"/>.</param>
public sealed record SafetensorsTensorInfo(string Name, string Dtype, long[] Shape, long DataBegin, long DataEnd)
{
    /// <summary>The number of elements (1 for a scalar, 0 if any dimension is 0).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dimension in Shape) count = checked(count * dimension);
            return count;
        }
    }

    /// <summary>The number of bytes the tensor occupies in the file.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Formats as <c>name: F32 [2, 3]</c>.</summary>
    public override string ToString() => $"{Name}: {Dtype} [{string.Join(", ", Shape)}]";
}
