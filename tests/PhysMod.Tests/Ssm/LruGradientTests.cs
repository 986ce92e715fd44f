using PhysMod.Learning.Ssm;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PhysMod.Tests.Ssm;

/// <summary>Autograd through the LRU (complex intermediates, all three scan forms, the expansion mode) equals central
/// differences in float64 for every parameter: ν, θ, γ, B, C and D.</summary>
public sealed class LruGradientTests(ITestOutputHelper output)
{
    private const double Step = 1e-6;

    [Theory]
    [InlineData(LruScan.Parallel)]
    [InlineData(LruScan.Recurrence)]
    [InlineData(LruScan.Convolution)]
    [InlineData(LruScan.Fused)]
    public void SequenceModeGradientsMatchCentralDifferences(LruScan scan)
    {
        using var scope = NewDisposeScope();
        using var layer = SsmTestKit.Layer(3, 4, 0.5, 0.95, Math.PI, feedthrough: true, seed: 31, ScalarType.Float64);
        using var generator = new Generator(7, CPU);
        var input = SsmTestKit.Random(generator, float64, 2, 6, 3);                                   // (B, T, D)
        var weights = SsmTestKit.Random(generator, float64, 2, 6, 3);                                 // (B, T, D)
        double worst = CheckAll(layer, () => (layer.Sequence(input, scan) * weights).sum());
        output.WriteLine($"{scan}: worst |autograd − central difference| / max(1, |autograd|) = {worst:E2}");
    }

    [Fact]
    public void InitialConditionModeGradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        using var layer = SsmTestKit.Layer(3, 4, 0.5, 0.95, Math.PI, feedthrough: false, seed: 32, ScalarType.Float64);
        using var generator = new Generator(9, CPU);
        var x0 = SsmTestKit.Random(generator, float64, 2, 3);                                          // (B, D)
        var weights = SsmTestKit.Random(generator, float64, 2, 9, 3);                                 // (B, steps, D)
        double worst = CheckAll(layer, () => (layer.Expand(x0, 9) * weights).sum());
        output.WriteLine($"expansion: worst relative gradient error {worst:E2}");
    }

    [Fact]
    public void StackedModelGradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var config = new SsmModelConfig { NLayers = 2, DHidden = 3, Activation = "half_glu1" };
        using var model = new StackedSsm(config, 2, 2, 5, seed: 4, ScalarType.Float64);
        using var generator = new Generator(5, CPU);
        var batch = SsmTestKit.Random(generator, float64, 2, 5, 2, 2);                                // (B, T, W, C)
        double worst = CheckAll(model, () => model.Loss(batch).Total);
        output.WriteLine($"stacked model (LayerNorm, half_glu1): worst relative gradient error {worst:E2}");
    }

    /// <summary>Compares autograd with central differences for every element of every parameter; returns the worst error.</summary>
    private static double CheckAll(nn.Module module, Func<Tensor> loss)
    {
        foreach (var p in module.parameters()) p.grad?.zero_();
        loss().backward();
        double worst = 0;
        var checkedNames = new List<string>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            Assert.NotNull(parameter.grad);
            var analytic = parameter.grad!.reshape(-1).data<double>().ToArray();
            var flat = parameter.detach().view(-1);
            for (int i = 0; i < analytic.Length; i++)
            {
                double plus, minus;
                using (no_grad())
                {
                    flat.narrow(0, i, 1).add_(Step);
                    plus = loss().item<double>();
                    flat.narrow(0, i, 1).sub_(2 * Step);
                    minus = loss().item<double>();
                    flat.narrow(0, i, 1).add_(Step);
                }
                double numeric = (plus - minus) / (2 * Step);
                double error = Math.Abs(numeric - analytic[i]) / Math.Max(1, Math.Abs(analytic[i]));
                worst = Math.Max(worst, error);
                Assert.True(error < 1e-7, $"{name}[{i}]: autograd {analytic[i]:G10}, central difference {numeric:G10}");
            }
            checkedNames.Add(name);
        }
        Assert.Contains(checkedNames, n => n.EndsWith("nu_log"));
        Assert.Contains(checkedNames, n => n.EndsWith("gamma_log"));
        return worst;
    }
}
