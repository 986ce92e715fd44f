using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PhysMod.Physics.IO;

/// <summary>The element type names of the safetensors format, their sizes and the .NET types that hold them.</summary>
/// <remarks>Data in a safetensors file is always little-endian and C-ordered (last index fastest).
/// Sub-byte types (F4, F6_*) are not supported because their tensors are not whole bytes per element.</remarks>
public static class SafetensorsDtype
{
    /// <summary>Booleans, one byte each (0 or 1).</summary>
    public const string Bool = "BOOL";
    /// <summary>Unsigned 8-bit integers.</summary>
    public const string U8 = "U8";
    /// <summary>Signed 8-bit integers.</summary>
    public const string I8 = "I8";
    /// <summary>8-bit floats with 5 exponent bits.</summary>
    public const string F8E5M2 = "F8_E5M2";
    /// <summary>8-bit floats with 4 exponent bits.</summary>
    public const string F8E4M3 = "F8_E4M3";
    /// <summary>8-bit exponent-only scale factors.</summary>
    public const string F8E8M0 = "F8_E8M0";
    /// <summary>Signed 16-bit integers.</summary>
    public const string I16 = "I16";
    /// <summary>Unsigned 16-bit integers.</summary>
    public const string U16 = "U16";
    /// <summary>IEEE half-precision floats.</summary>
    public const string F16 = "F16";
    /// <summary>Brain floats (the top 16 bits of a float32).</summary>
    public const string BF16 = "BF16";
    /// <summary>Signed 32-bit integers.</summary>
    public const string I32 = "I32";
    /// <summary>Unsigned 32-bit integers.</summary>
    public const string U32 = "U32";
    /// <summary>IEEE single-precision floats.</summary>
    public const string F32 = "F32";
    /// <summary>IEEE double-precision floats.</summary>
    public const string F64 = "F64";
    /// <summary>Signed 64-bit integers.</summary>
    public const string I64 = "I64";
    /// <summary>Unsigned 64-bit integers.</summary>
    public const string U64 = "U64";
    /// <summary>Complex numbers made of two float32 values (recent format versions only; older readers reject it).</summary>
    public const string C64 = "C64";

    private static readonly string[] KnownNames =
        [Bool, U8, I8, F8E5M2, F8E4M3, F8E8M0, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, C64];

    /// <summary>Every element type name this library can read, in the format's order of increasing alignment.</summary>
    public static IReadOnlyList<string> Known => KnownNames;

    /// <summary>Returns the number of bytes of one element of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a known element type.</exception>
    public static int ElementSize(string dtype) =>
        TryGetElementSize(dtype, out int size)
            ? size
            : throw new ArgumentException($"unknown safetensors dtype '{dtype}' (known: {string.Join(", ", KnownNames)})", nameof(dtype));

    /// <summary>Looks up the number of bytes of one element of <paramref name="dtype"/>.</summary>
    public static bool TryGetElementSize(string dtype, out int size)
    {
        size = dtype switch
        {
            Bool or U8 or I8 or F8E5M2 or F8E4M3 or F8E8M0 => 1,
            I16 or U16 or F16 or BF16 => 2,
            I32 or U32 or F32 => 4,
            F64 or I64 or U64 or C64 => 8,
            _ => 0,
        };
        return size != 0;
    }

    /// <summary>Returns the element type name stored for the .NET type <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no safetensors element type.</exception>
    public static string Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return F32;
        if (typeof(T) == typeof(double)) return F64;
        if (typeof(T) == typeof(int)) return I32;
        if (typeof(T) == typeof(long)) return I64;
        if (typeof(T) == typeof(byte)) return U8;
        if (typeof(T) == typeof(sbyte)) return I8;
        if (typeof(T) == typeof(short)) return I16;
        if (typeof(T) == typeof(ushort)) return U16;
        if (typeof(T) == typeof(uint)) return U32;
        if (typeof(T) == typeof(ulong)) return U64;
        if (typeof(T) == typeof(Half)) return F16;
        if (typeof(T) == typeof(bool)) return Bool;
        throw new NotSupportedException($"{typeof(T).Name} has no safetensors dtype; use float, double, int, long, byte, sbyte, short, ushort, uint, ulong, Half or bool");
    }

    /// <summary>Swaps every element between little-endian and host order in place (nothing to do on little-endian hosts).</summary>
    internal static void SwapToOrFromLittleEndian<T>(Span<T> values) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian) return;
        switch (Unsafe.SizeOf<T>())
        {
            case 2:
                var u16 = MemoryMarshal.Cast<T, ushort>(values);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<T, uint>(values);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<T, ulong>(values);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
