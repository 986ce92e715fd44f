using PhysMod.Learning.Baselines;
using PhysMod.Learning.Koopman;
using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Koopman;

/// <summary>The Koopman network's linear path and DMD start: with enough latent slots the started model rolls out as DMD.</summary>
public sealed class KoopmanSpectralInitTests
{
    private static readonly double[] Angles = [0.3, 1.1, 2.5];

    // Trajectories of a random stable linear system x_{k+1} = A x_k with eigenvalues (0.97 − 0.02 m) e^{±i angle_m},
    // (N, T, W, C) with W·C = 6.
    private static Tensor LinearTrajectories(int count, int frames)
    {
        var generator = new Generator(11);
        var q = linalg.qr(randn(6, 6, dtype: ScalarType.Float64, generator: generator)).Q;           // orthogonal
        var rotation = zeros(6, 6, dtype: ScalarType.Float64);
        for (int m = 0; m < 3; m++)
        {
            double r = 0.97 - 0.02 * m, c = r * Math.Cos(Angles[m]), s = r * Math.Sin(Angles[m]);
            rotation[2 * m, 2 * m] = c; rotation[2 * m, 2 * m + 1] = -s;
            rotation[2 * m + 1, 2 * m] = s; rotation[2 * m + 1, 2 * m + 1] = c;
        }
        var a = q.matmul(rotation).matmul(q.t());                                                     // (6, 6)
        var x0 = randn(count, 6, dtype: ScalarType.Float64, generator: generator);
        var frameList = new List<Tensor> { x0 };
        for (int k = 1; k < frames; k++) frameList.Add(frameList[^1].matmul(a.t()));
        return stack(frameList, dim: 1).reshape(count, frames, 3, 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithALinearPathAndEnoughSlotsTheStartIsTheDmdRollout(bool energyPhase)
    {
        using var scope = NewDisposeScope();
        var trajectories = LinearTrajectories(8, 30);
        var config = new KoopmanModelConfig { DLatent = 10, Width = 7, Depth = 2, LinearSkip = true, Init = "dmd", EnergyPhase = energyPhase };
        using var model = new KoopmanModel(config, 3, 2, seed: 2, ScalarType.Float64);
        model.InitialiseFromData(trajectories);
        using var dmd = new DmdModel(new DmdModelConfig(), 3, 2);
        dmd.Fit(trajectories);
        var x0 = trajectories[.., 0];
        using var noGrad = no_grad();
        var expected = dmd.Rollout(x0, 60);                                                           // 2× the horizon
        var actual = model.Rollout(x0, 60);
        double relative = ((actual - expected).norm() / expected.norm()).item<double>();
        Assert.True(relative < 1e-9, $"relative difference {relative}");
        // the linear data is exactly linear in the latent: the consistency and prediction losses start at (numerical) zero
        var (_, parts) = model.Loss(trajectories);
        Assert.True(parts["prediction"].item<double>() < 1e-20, $"prediction {parts["prediction"].item<double>():E2}");
        Assert.True(parts["consistency"].item<double>() < 1e-20, $"consistency {parts["consistency"].item<double>():E2}");
    }

    [Fact]
    public void WithoutALinearPathOnlyTheEigenvaluesComeFromDmd()
    {
        using var scope = NewDisposeScope();
        var trajectories = LinearTrajectories(8, 30);
        var config = new KoopmanModelConfig { DLatent = 8, Width = 7, Depth = 2, Init = "dmd" };
        using var started = new KoopmanModel(config, 3, 2, seed: 4, ScalarType.Float64);
        using var ring = new KoopmanModel(config with { Init = "ring" }, 3, 2, seed: 4, ScalarType.Float64);
        started.InitialiseFromData(trajectories);
        ring.InitialiseFromData(trajectories);
        var eigenvalues = started.Eigenvalues();
        var dmdSlots = eigenvalues.Take(3).OrderBy(e => e.Argument).ToArray();
        for (int m = 0; m < 3; m++)
        {
            Assert.Equal(Angles[m], dmdSlots[m].Argument, 9);
            Assert.Equal(Math.Log(0.97 - 0.02 * m), dmdSlots[m].LogModulus, 9);
        }
        // the fourth slot and every MLP weight keep the ring initialisation
        Assert.Equal(ring.Eigenvalues()[3].Argument, eigenvalues[3].Argument, 12);
        var ringParameters = ring.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in started.named_parameters().Where(p => !p.name.StartsWith("dynamics.", StringComparison.Ordinal)))
            Assert.True(parameter.equal(ringParameters[name]).all().item<bool>(), name);
    }

    [Fact]
    public void TheLinearPathLeavesTheTutorialWeightsAsTheyWere()
    {
        using var scope = NewDisposeScope();
        var config = new KoopmanModelConfig { DLatent = 6, Width = 5, Depth = 1 };
        using var plain = new KoopmanModel(config, 3, 2, seed: 9, ScalarType.Float64);
        using var skip = new KoopmanModel(config with { LinearSkip = true }, 3, 2, seed: 9, ScalarType.Float64);
        var plainParameters = plain.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var extra = skip.named_parameters().Where(p => !plainParameters.ContainsKey(p.name)).Select(p => p.name).Order().ToArray();
        Assert.Equal(["decoder_skip.weight", "encoder_skip.weight"], extra);
        foreach (var (name, parameter) in plainParameters) Assert.True(parameter.equal(skip.named_parameters().Single(p => p.name == name).parameter).all().item<bool>(), name);
        Assert.Equal(plain.ParameterCount + 2 * 6 * 6, skip.ParameterCount);
        // φ(x) − P x is the plain encoder, φ⁻¹(z) − Q z the plain decoder
        var frames = randn(new long[] { 2, 3, 2 }, dtype: ScalarType.Float64, generator: new Generator(1));
        using var noGrad = no_grad();
        var linear = skip.EncoderSkip!.forward(frames.reshape(2, 6));
        Assert.True((skip.Encode(frames) - linear).allclose(plain.Encode(frames), rtol: 1e-12, atol: 1e-12));
        var latents = randn(new long[] { 2, 6 }, dtype: ScalarType.Float64, generator: new Generator(2));
        Assert.True((skip.Decode(latents) - skip.DecoderSkip!.forward(latents).reshape(2, 3, 2)).allclose(plain.Decode(latents), rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void AutogradMatchesCentralDifferencesWithTheLinearPath()
    {
        using var scope = NewDisposeScope();
        var config = new KoopmanModelConfig { DLatent = 4, Width = 5, Depth = 2, RMin = 0.8, RMax = 0.99, LinearSkip = true, EnergyPhase = true };
        using var model = new KoopmanModel(config, gridPoints: 3, channels: 2, seed: 5, ScalarType.Float64);
        var batch = randn(new long[] { 2, 4, 3, 2 }, dtype: ScalarType.Float64, generator: new Generator(6));
        double error = FiniteDifferences.MaxGradientError(model.named_parameters(), () => model.Loss(batch).Total);
        Assert.True(error < 1e-7, $"max gradient error {error:E2}");
    }

    [Fact]
    public void AnUnknownInitIsNamed()
    {
        var error = Assert.Throws<InvalidSettingException>(() => new KoopmanModelConfig { Init = "hippo" }.Validate());
        Assert.Contains("model.init = 'hippo'", error.Message);
    }
}
