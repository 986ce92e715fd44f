using PhysMod.Learning.Baselines;
using PhysMod.Learning.Ssm;
using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Tests.Ssm;

/// <summary>The DMD initialisation of the expansion layer: with enough hidden slots its rollout is the DMD rollout.</summary>
public sealed class SpectralInitTests
{
    // Trajectories of a random stable linear system x_{k+1} = A x_k (spectral radius 0.97), (N, T, W, C) with W·C = 6.
    private static Tensor LinearTrajectories(int count, int frames, out Tensor x0)
    {
        var generator = new Generator(11);
        var q = linalg.qr(randn(6, 6, dtype: ScalarType.Float64, generator: generator)).Q;           // orthogonal
        var rotation = zeros(6, 6, dtype: ScalarType.Float64);
        double[] angles = [0.3, 1.1, 2.5];
        for (int m = 0; m < 3; m++)
        {
            double r = 0.97 - 0.02 * m, c = r * Math.Cos(angles[m]), s = r * Math.Sin(angles[m]);
            rotation[2 * m, 2 * m] = c; rotation[2 * m, 2 * m + 1] = -s;
            rotation[2 * m + 1, 2 * m] = s; rotation[2 * m + 1, 2 * m + 1] = c;
        }
        var a = q.matmul(rotation).matmul(q.t());                                                     // (6, 6)
        x0 = randn(count, 6, dtype: ScalarType.Float64, generator: generator);
        var frameList = new List<Tensor> { x0 };
        for (int k = 1; k < frames; k++) frameList.Add(frameList[^1].matmul(a.t()));
        return stack(frameList, dim: 1).reshape(count, frames, 3, 2);
    }

    [Fact]
    public void WithEnoughSlotsTheExpansionLayerRollsOutLikeDmd()
    {
        using var scope = NewDisposeScope();
        var trajectories = LinearTrajectories(8, 30, out _);
        using var model = new StackedSsm(new SsmModelConfig { NLayers = 0, DHidden = 5, Init = "dmd" }, 3, 2, trainFrames: 30, seed: 2, ScalarType.Float64);
        model.InitialiseFromData(trajectories);
        using var dmd = new DmdModel(new DmdModelConfig(), 3, 2);
        dmd.Fit(trajectories);
        var x0 = trajectories[.., 0];
        var expected = dmd.Rollout(x0, 60);                                                           // 2× the horizon
        var actual = model.Rollout(x0, 60);
        double relative = ((actual - expected).norm() / expected.norm()).item<double>();
        Assert.True(relative < 1e-9, $"relative difference {relative}");
        // three complex pairs fill three slots; the other two stay silent (C = 0)
        var eigenvalues = model.First.Eigenvalues("first");
        Assert.Equal([0.3, 1.1, 2.5], eigenvalues.Take(3).Select(e => Math.Round(e.Argument, 9)).Order());
    }

    [Fact]
    public void RingInitialisationIgnoresTheData()
    {
        using var scope = NewDisposeScope();
        var trajectories = LinearTrajectories(4, 10, out _);
        using var a = new StackedSsm(new SsmModelConfig { NLayers = 0, DHidden = 4 }, 3, 2, trainFrames: 10, seed: 5, ScalarType.Float64);
        using var b = new StackedSsm(new SsmModelConfig { NLayers = 0, DHidden = 4 }, 3, 2, trainFrames: 10, seed: 5, ScalarType.Float64);
        a.InitialiseFromData(trajectories);
        var x0 = trajectories[.., 0];
        Assert.True(a.Rollout(x0, 10).allclose(b.Rollout(x0, 10), rtol: 0, atol: 0));
    }

    [Fact]
    public void AnUnknownInitIsNamed()
    {
        var error = Assert.Throws<InvalidSettingException>(() => new SsmModelConfig { Init = "hippo" }.Validate());
        Assert.Contains("model.init = 'hippo'", error.Message);
    }
}
