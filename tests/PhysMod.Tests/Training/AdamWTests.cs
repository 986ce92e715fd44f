using PhysMod.Learning.Training;
using TorchSharp;
using TorchSharp.Modules;
using AdamW = PhysMod.Learning.Training.AdamW;
using static TorchSharp.torch;

namespace PhysMod.Tests.Training;

/// <summary>optax adamw: bias-corrected moments, ε outside the root, decoupled decay lr·λ·p on the pre-update parameter.</summary>
public sealed class AdamWTests
{
    private static Parameter Make(double[] values, double[] gradient)
    {
        var p = new Parameter(tensor(values, ScalarType.Float64));
        p.grad = tensor(gradient, ScalarType.Float64);
        return p;
    }

    [Fact]
    public void TwoStepsMatchAHandComputation()
    {
        using var scope = NewDisposeScope();
        double[] p0 = [1.0, -2.0, 0.5], g1 = [0.3, -0.01, 2.0], g2 = [-0.1, 0.02, 1.0];
        const double lr1 = 0.01, lr2 = 0.02, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var p = Make(p0, g1);
        var adam = new AdamW([("w", p)], weightDecay: wd);
        adam.Update(lr1);
        p.grad = tensor(g2, ScalarType.Float64);
        adam.Update(lr2);
        Assert.Equal(2, adam.Count);

        var result = p.data<double>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            double m = 0, v = 0, x = p0[i];
            (double g, double lr, int n)[] steps = [(g1[i], lr1, 1), (g2[i], lr2, 2)];
            foreach (var (g, lr, n) in steps)
            {
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double mHat = m / (1 - Math.Pow(b1, n)), vHat = v / (1 - Math.Pow(b2, n));
                x -= lr * (mHat / (Math.Sqrt(vHat) + eps) + wd * x);
            }
            Assert.Equal(x, result[i], 1e-14);
        }
    }

    [Fact]
    public void FirstStepIsSignTimesLearningRatePlusDecay()
    {
        // After one step m̂ = g and v̂ = g², so the update is g/(|g| + ε) + λ p.
        using var scope = NewDisposeScope();
        var p = Make([3.0, -4.0], [0.5, -2.0]);
        var adam = new AdamW([("w", p)], weightDecay: 1e-4);
        adam.Update(0.1);
        var result = p.data<double>().ToArray();
        Assert.Equal(3.0 - 0.1 * (0.5 / (0.5 + 1e-8) + 1e-4 * 3.0), result[0], 1e-15);
        Assert.Equal(-4.0 - 0.1 * (-2.0 / (2.0 + 1e-8) + 1e-4 * -4.0), result[1], 1e-15);
    }

    [Fact]
    public void AdamHasNoDecayAndAMissingGradientCountsAsZero()
    {
        using var scope = NewDisposeScope();
        var p = Make([3.0], [1.0]);
        var idle = new Parameter(tensor(new[] { 5.0 }, ScalarType.Float64));
        var adam = AdamW.Adam([("w", p), ("idle", idle)]);
        Assert.Equal("adam", adam.Name);
        adam.Update(0.5);
        Assert.Equal(3.0 - 0.5 * (1 / (1 + 1e-8)), p.data<double>()[0], 1e-15);
        Assert.Equal(5.0, idle.data<double>()[0]);

        var decayed = new Parameter(tensor(new[] { 5.0 }, ScalarType.Float64));
        var adamw = new AdamW([("w", decayed)], weightDecay: 0.1);
        adamw.Update(0.5);
        Assert.Equal(5.0 - 0.5 * 0.1 * 5.0, decayed.data<double>()[0], 1e-15);
    }

    [Fact]
    public void StateIsNamedMomentTensors()
    {
        using var scope = NewDisposeScope();
        var net = nn.Linear(3, 2);
        var adam = new AdamW(net.named_parameters());
        Assert.Equal(["optimizer.mu.weight", "optimizer.nu.weight", "optimizer.mu.bias", "optimizer.nu.bias"], adam.State.Select(s => s.Name));
        Assert.Equal([2L, 3], adam.State[0].Value.shape);
    }
}
