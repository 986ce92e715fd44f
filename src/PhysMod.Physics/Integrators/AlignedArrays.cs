using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PhysMod.Physics.Integrators;

/// <summary>Zeroed arrays whose first element sits on a 64-byte (cache-line) boundary, so that no SIMD load or store of the
/// steppers' padded arrays straddles two cache lines (worth 5–15 % on the stepping loops).</summary>
/// <remarks>.NET has no aligned array allocation, but arrays on the pinned object heap never move, so one that is
/// allocated aligned stays aligned. Allocation is retried with a growing pinned spacer in between, which walks the next
/// address through the eight 8-byte phases of a cache line; if no try lands on a boundary (say, because other threads
/// allocate at the same time) an ordinary array is returned: still correct, only slower.</remarks>
internal static class AlignedArrays
{
    private const int Alignment = 64, Attempts = 16;

    /// <summary>A zeroed array of <paramref name="length"/> elements, 64-byte aligned when possible.</summary>
    public static T[] New<T>(int length) where T : unmanaged
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var array = GC.AllocateArray<T>(length, pinned: true);
            if (IsAligned(array)) return array;
            GC.AllocateArray<byte>(8 * (attempt % 8) + 1, pinned: true);   // spacer; it and the miss are garbage
        }
        return new T[length];
    }

    private static unsafe bool IsAligned<T>(T[] array) where T : unmanaged =>
        (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) % Alignment == 0;
}
