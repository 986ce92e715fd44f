using static TorchSharp.torch;

namespace PhysMod.Tests.Learning;

/// <summary>Proves libtorch loads on this OS (the GLIBCXX patch in the build works) and autograd runs.</summary>
public sealed class TorchLoadsTests
{
    [Fact]
    public void GradientOfCubeIsThreeXSquared()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 0.5, -2.0, 3.0 }, requires_grad: true);
        var y = (x * x * x).sum();
        y.backward();
        var grad = x.grad!.data<double>().ToArray();
        Assert.Equal(new[] { 0.75, 12.0, 27.0 }, grad);
    }
}
