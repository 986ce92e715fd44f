using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Datasets;
using PhysMod.Tests.Koopman;
using static TorchSharp.torch;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The DAFx25 oscillator neural ODE: its ground truth is the dataset generator's, its gradients match central differences,
/// and the test-sized presets learn the cubic and sinh restoring forces.</summary>
public sealed class OscillatorExperimentTests
{
    [Theory]
    [InlineData("cubic")]
    [InlineData("sinh")]
    public void GroundTruthEqualsTheDatasetGeneratorsTrajectories(string oscillator)
    {
        const int count = 3, frames = 300;
        var data = OscillatorExperiment.Simulate(oscillator, count, frames, 44100, 11);
        var preset = (oscillator == "sinh" ? DatasetPresets.Dafx25Sinh : DatasetPresets.Dafx25Cubic) with { Duration = frames / 44100.0 };
        var generated = DatasetGenerator.Generate(preset, count, 11, DatasetShard.Whole, threads: 1);
        Assert.Equal(frames, generated.PickupFrames);
        for (int k = 0; k < count; k++)
            for (int n = 0; n < frames; n++)
            {
                Assert.Equal(generated.Pickup[(k * frames + n) * 2], (float)data.Q[k, n].item<double>());
                Assert.Equal(generated.Pickup[(k * frames + n) * 2 + 1], (float)data.V[k, n].item<double>());
            }
        // the push drives a strongly nonlinear response: q reaches several units, where γ² nl(q) exceeds ω₀² q
        Assert.True(data.Q.abs().max().item<double>() > 3);
    }

    [Fact]
    public void WindowLossGradientsThroughTheForceMlpMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var data = OscillatorExperiment.Simulate("sinh", 5, 200, 44100, 3);
        var q = data.Q[..1].reshape(-1, 1);
        var v = data.V[..1].reshape(-1, 1);
        var sampler = new WindowedRollout(q, v, 12, 2.0, 1500.0, data.F[..1].reshape(-1, 1));
        using var mlp = new FeedForwardMlp(1, 1, 6, 2, "leaky_relu", "kaiming", 1.0, new Generator(5));
        var coefficients = new ModalCoefficients(tensor(new[] { 160000.0 }, float64), tensor(new[] { 0.0 }, float64), tensor(new[] { 1.0 }, float64),
            null, x => 1e6 * mlp.forward(x / 6));
        var starts = tensor(new long[] { 0, 40, 90, 150 });
        double error = FiniteDifferences.MaxGradientError(mlp.named_parameters(), () => sampler.Loss(coefficients, RecurrentIntegrator.Verlet, data.Dt, starts), step: 1e-6);
        Assert.True(error < 1e-5, $"max gradient error {error:E2}");
    }

    [Theory]
    [InlineData("dafx25-cubic-test")]
    [InlineData("dafx25-sinh-test")]
    public void TestSizedPresetLearnsTheRestoringForce(string preset)
    {
        var report = OscillatorExperiment.Run(NodeConfig.Preset(preset), file: null);
        Assert.True(report.ForceCurveError < 0.15, $"{preset}: force curve error {report.ForceCurveError:G3}");
        Assert.True(report.OutputError < 0.5 * report.LinearOutputError, $"{preset}: output error {report.OutputError:G3} vs linear part only {report.LinearOutputError:G3}");
        // measured: cubic 0.174 / force 0.050, sinh 0.401 over 50 ms (phase drift dominates the output error)
        Assert.True(report.OutputError < 0.6, $"{preset}: held-out output error {report.OutputError:G3}");
    }

    [Fact]
    public void NewPresetsValidateAndBadOscillatorSettingsAreRejected()
    {
        foreach (var name in new[] { "forced-physical", "forced-physical-test", "forced-neural", "forced-neural-test", "dafx25-cubic", "dafx25-cubic-test", "dafx25-sinh", "dafx25-sinh-test" })
            Assert.Same(NodeConfig.Preset(name), NodeConfig.Preset(name).Validate());
        var bad = Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("dafx25-cubic", ["oscillator=tanh"]));
        Assert.Contains("oscillator = 'tanh'", bad.Message);
        Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("dafx25-cubic", ["modes=2"]));
        Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("dafx25-cubic", ["trajectories=1"]));
        Assert.Equal("sinh", NodeConfig.Resolve("dafx25-cubic", ["oscillator=sinh"]).Oscillator);
    }
}
