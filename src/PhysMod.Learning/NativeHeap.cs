using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PhysMod.Learning;

/// <summary>Keeps the memory that libtorch frees inside the process (glibc malloc) instead of handing it back to the kernel
/// after every training step.</summary>
/// <remarks>
/// A training step runs in one dispose scope, so its activations and gradients (tens of MB for the tutorial models) are
/// all freed together at its end. With glibc's defaults the heap top beyond the (dynamic) trim threshold is returned to
/// the kernel and chunks above the mmap threshold are unmapped, so the next step takes fresh zeroed pages: measured here
/// 2.5× the page faults of the same step in PyTorch (which frees tensors one by one during backward) and ≈ 8 % of the deep
/// Koopman step's CPU time. This fixes the mmap threshold at its maximum (32 MiB on 64-bit) and the trim threshold at
/// 1 GiB (<c>mallopt</c>), so a step reuses the previous step's pages; the resident size then stays at the peak of a step.
/// Only on Linux (glibc); set PHYSMOD_NATIVE_HEAP=default to keep glibc's behaviour.
/// </remarks>
public static partial class NativeHeap
{
    private const int TrimThreshold = -1;                  // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;                  // M_MMAP_THRESHOLD

    /// <summary>What <see cref="Configure"/> did: "configured", or why it did nothing.</summary>
    public static string Status { get; private set; } = "not tried";

#pragma warning disable CA2255 // must run before libtorch allocates, i.e. before any PhysMod.Learning code runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLoad() => Configure();

    /// <summary>Sets the two thresholds (see the remarks); idempotent, never throws.</summary>
    public static string Configure()
    {
        if (Environment.GetEnvironmentVariable("PHYSMOD_NATIVE_HEAP") == "default") return Status = "skipped: PHYSMOD_NATIVE_HEAP=default";
        if (!OperatingSystem.IsLinux()) return Status = "skipped: not Linux";
        try
        {
            bool ok = Mallopt(MmapThreshold, 32 << 20) == 1 & Mallopt(TrimThreshold, 1 << 30) == 1;
            return Status = ok ? "configured" : "skipped: mallopt refused";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Status = $"skipped: {e.GetType().Name}";
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
