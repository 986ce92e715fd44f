using PhysMod.Learning.Training;
using static TorchSharp.torch;

namespace PhysMod.Tests.Training;

/// <summary>optax clip_by_global_norm: ‖g‖ over all tensors; scaled by c/‖g‖ only when ‖g‖ ≥ c.</summary>
public sealed class GlobalNormClipTests
{
    [Fact]
    public void ScalesEveryGradientByTheSameFactorAboveTheLimit()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 3.0, 0.0 }, ScalarType.Float64);
        var b = tensor(new[] { 0.0, 4.0, 12.0 }, ScalarType.Float64);
        double norm = new GlobalNormClip(6.5).Apply([a, b, null]);
        Assert.Equal(13.0, norm, 1e-15);
        Assert.Equal([1.5, 0.0], a.data<double>().ToArray());
        Assert.Equal([0.0, 2.0, 6.0], b.data<double>().ToArray());
        Assert.Equal(6.5, GlobalNormClip.GlobalNorm([a, b]), 1e-14);
    }

    [Fact]
    public void LeavesSmallGradientsAloneAndZeroMeansOff()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 0.3f, -0.4f });
        Assert.Equal(0.5, new GlobalNormClip(1.0).Apply([a]), 1e-7);
        Assert.Equal([0.3f, -0.4f], a.data<float>().ToArray());
        var big = tensor(new[] { 30f, -40f });
        Assert.Equal(50, new GlobalNormClip(0).Apply([big]), 1e-5);
        Assert.Equal([30f, -40f], big.data<float>().ToArray());
    }

    [Fact]
    public void ReportsANaNNormWithoutTouchingTheGradients()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { float.NaN, 1f });
        Assert.True(double.IsNaN(new GlobalNormClip(1.0).Apply([a])));
        Assert.Equal(1f, a.data<float>()[1]);
    }
}
