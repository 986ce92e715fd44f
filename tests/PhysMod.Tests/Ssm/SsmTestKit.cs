using PhysMod.Learning.Ssm;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Ssm;

/// <summary>Shared helpers for the SSM tests: layer construction from a seed, parameter copies across dtypes, error norms.</summary>
internal static class SsmTestKit
{
    public static LruLayer Layer(int modelSize, int hiddenSize, double rMin, double rMax, double maxPhase, bool feedthrough,
        long seed, ScalarType dtype = ScalarType.Float32)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return new LruLayer("lru", modelSize, hiddenSize, rMin, rMax, maxPhase, feedthrough, LruScan.Parallel, generator, dtype);
    }

    /// <summary>A float64 twin of <paramref name="source"/> whose parameters equal the source's exactly (widened).</summary>
    public static LruLayer WidenedTwin(LruLayer source, double rMin, double rMax, double maxPhase, long seed)
    {
        var twin = Layer(source.ModelSize, source.HiddenSize, rMin, rMax, maxPhase, source.HasFeedthrough, seed, ScalarType.Float64);
        var sourceParameters = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in twin.named_parameters())
                parameter.copy_(sourceParameters[name].to(float64));
        return twin;
    }

    /// <summary>max |a − b| / max |b| (complex tensors compared by real and imaginary parts).</summary>
    public static double RelativeMaxError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = (actual.is_complex() ? view_as_real(actual) : actual).to(float64);
        var b = (expected.is_complex() ? view_as_real(expected) : expected).to(float64);
        return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
    }

    public static Tensor Random(Generator generator, ScalarType dtype, params long[] shape) =>
        randn(shape, dtype: float64, generator: generator).to(dtype);
}
