using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace PhysMod.Learning;

/// <summary>Lets the MKL inside libtorch choose its kernels from the CPU's features on AMD processors as it does on Intel
/// ones (the AVX-512 GEMM kernels on a Zen 4), instead of its generic AVX2 "zen" path.</summary>
/// <remarks>
/// MKL asks <c>mkl_serv_intel_cpu_true()</c> once whether the CPUID vendor string is "GenuineIntel" and caches the answer
/// (an int, −1 until asked) in its own data; on any other vendor it never takes the feature-specific code paths, whatever
/// the CPU offers (MKL_ENABLE_INSTRUCTIONS and MKL_CBWR are ignored there). On an AMD CPU with AVX-512 this sets that cached
/// answer to 1 before the first MKL call, so MKL dispatches on the CPUID feature bits alone. Measured on this machine's
/// EPYC (Zen 4): the float32 GEMMs of the deep Koopman step take ≈ 15 % less CPU time; results differ from the AVX2 path
/// only by float rounding (a different kernel), and stay deterministic run to run.
///
/// The cached value's address is read from the function's first instruction, <c>mov eax, [rip + d]</c>
/// (8B 05 d32) followed by <c>test eax, eax; js; ret</c> (85 C0 78 01 C3); if libtorch's code does not look exactly like
/// that, or the value was already computed, nothing is written. Only on x86-64 Linux with an AMD CPU that has AVX-512F;
/// set PHYSMOD_MKL_VENDOR_CHECK=keep to leave MKL alone.
/// </remarks>
public static class MklCpuDispatch
{
    private static readonly byte[] Tail = [0x85, 0xC0, 0x78, 0x01, 0xC3];

    /// <summary>What <see cref="Apply"/> did: "applied", or why it did nothing.</summary>
    public static string Status { get; private set; } = "not tried";

    // Runs when PhysMod.Learning is loaded, i.e. before any of its code can reach libtorch.
#pragma warning disable CA2255 // a module initializer is the one place guaranteed to run before the first MKL call of the process
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OnLoad() => Apply();

    /// <summary>Sets MKL's cached "Intel CPU" answer on AMD CPUs with AVX-512 (see the remarks); idempotent, never throws.</summary>
    public static string Apply()
    {
        try { Status = TryApply(); }
        catch (Exception e)   // any failure (e.g. libtorch refusing to load) must leave the assembly loadable: torch reports it later
        {
            Status = $"skipped: {e.GetType().Name}";
        }
        return Status;
    }

    private static unsafe string TryApply()
    {
        if (Status == "applied") return Status;
        if (Environment.GetEnvironmentVariable("PHYSMOD_MKL_VENDOR_CHECK") == "keep") return "skipped: PHYSMOD_MKL_VENDOR_CHECK=keep";
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return "skipped: not x86-64 Linux";
        if (!Avx512F.IsSupported) return "skipped: no AVX-512F";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        if (!(ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163)) return "skipped: not an AuthenticAMD CPU";
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);                  // loads libtorch (no MKL call)
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null, out var library))
            return "skipped: libtorch_cpu.so not found";
        if (!NativeLibrary.TryGetExport(library, "mkl_serv_intel_cpu_true", out var function))
            return "skipped: libtorch has no mkl_serv_intel_cpu_true";
        var code = (byte*)function;
        if (code[0] != 0x8B || code[1] != 0x05 || !new ReadOnlySpan<byte>(code + 6, Tail.Length).SequenceEqual(Tail))
            return "skipped: unexpected code in mkl_serv_intel_cpu_true";
        var cached = (int*)(code + 6 + *(int*)(code + 2));
        if (*cached >= 0) return *cached == 1 ? "applied" : "skipped: MKL had already checked the vendor";
        *cached = 1;
        return "applied";
    }
}
