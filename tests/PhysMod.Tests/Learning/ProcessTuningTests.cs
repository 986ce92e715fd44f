using System.Runtime.Intrinsics.X86;
using PhysMod.Learning;
using static TorchSharp.torch;

namespace PhysMod.Tests.Learning;

/// <summary>The process-wide tunings made when PhysMod.Learning loads (MKL's vendor answer on AMD, glibc's heap thresholds)
/// report what they did, are idempotent, and leave float32 matrix products correct.</summary>
public sealed class ProcessTuningTests
{
    [Fact]
    public void MklDispatchIsAppliedExactlyOnAmdCpusWithAvx512()
    {
        string status = MklCpuDispatch.Apply();
        Assert.Equal(status, MklCpuDispatch.Apply());
        var (_, ebx, ecx, edx) = X86Base.IsSupported ? X86Base.CpuId(0, 0) : (0, 0, 0, 0);
        bool amd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163;
        if (OperatingSystem.IsLinux() && amd && Avx512F.IsSupported && Environment.GetEnvironmentVariable("PHYSMOD_MKL_VENDOR_CHECK") != "keep")
            Assert.Equal("applied", status);
        else
            Assert.StartsWith("skipped", status);
    }

    [Fact]
    public void TheNativeHeapIsConfiguredOnLinux()
    {
        string status = NativeHeap.Configure();
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("PHYSMOD_NATIVE_HEAP") != "default")
            Assert.Equal("configured", status);
        else
            Assert.StartsWith("skipped", status);
    }

    [Fact]
    public void Float32MatrixProductsStillAgreeWithFloat64()
    {
        // the GEMM kernel MKL now picks: (500 × 300) @ (300 × 202), the odd width of the Koopman decoder's last layer
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(3, CPU);
        var a = randn([500, 300], dtype: float64, generator: generator);
        var b = randn([300, 202], dtype: float64, generator: generator);
        var exact = a.matmul(b);
        var single = a.to_type(ScalarType.Float32).matmul(b.to_type(ScalarType.Float32)).to_type(ScalarType.Float64);
        double relative = ((single - exact).norm() / exact.norm()).item<double>();
        Assert.True(relative < 1e-6, $"relative error {relative:E2}");
    }
}
