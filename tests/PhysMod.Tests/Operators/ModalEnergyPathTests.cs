using System.Text.Json;
using PhysMod.Learning.Baselines;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Physics;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Tests.Operators;

/// <summary>The sine basis and the energy-modulated modal path of the autoregressive and recurrent operators: the basis is
/// the DST-I pair, the alternating least-squares fit recovers a system of its own form exactly, and models with the path start
/// by rolling out the path.</summary>
public sealed class ModalEnergyPathTests
{
    private const int Channels = 2;
    private const int ActiveModes = 4;

    [Theory]
    [InlineData(12, 10)]
    [InlineData(11, 3)]
    public void TheSineBasisIsTheDstPairAndGivesTheSameAmplitudesOnAnyGrid(int points, int modes)
    {
        using var scope = NewDisposeScope();
        using var basis = new SineBasis(points, modes, ScalarType.Float64, CPU);
        using var generator = new Generator(5, CPU);
        var amplitudes = randn([3, modes], dtype: float64, generator: generator);                      // (B, M)
        var field = amplitudes.matmul(basis.Synthesis);                                                 // (B, W)
        for (int j = 0; j < points; j++)
        {
            double expected = 0;
            for (int m = 0; m < modes; m++) expected += amplitudes[1, m].item<double>() * Math.Sin((m + 1) * Math.PI * j / (points - 1));
            Assert.Equal(expected, field[1, j].item<double>(), 12);
        }
        Assert.True((field.matmul(basis.Analysis) - amplitudes).abs().max().item<double>() < 1e-12);
        // the same continuous field, sampled directly on a finer grid, has the same amplitudes there
        int finePoints = 2 * points - 1;
        using var fine = new SineBasis(finePoints, modes, ScalarType.Float64, CPU);
        var sampled = new double[3 * finePoints];
        for (int b = 0; b < 3; b++)
            for (int j = 0; j < finePoints; j++)
                for (int m = 0; m < modes; m++)
                    sampled[b * finePoints + j] += amplitudes[b, m].item<double>() * Math.Sin((m + 1) * Math.PI * j / (finePoints - 1));
        Assert.True((tensor(sampled, [3, finePoints]).matmul(fine.Analysis) - amplitudes).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void TheFitRecoversAnEnergyModulatedModalSystemExactly()
    {
        using var scope = NewDisposeScope();
        const int points = 12;
        var (trajectories, _) = SyntheticSystem(points, count: 6, frames: 30, seed: 7);
        using var path = new ModalEnergyPath("path", points - 2, Channels, ScalarType.Float64);
        var errors = path.Fit(trajectories);
        Assert.True(errors[^1] < 1e-9, $"one-step errors of the fit {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.True(errors[^1] < errors[0] * 1e-3, "the alternating fit must improve on its uniform-weight start");
        // Rolled out from frame 0, the fitted path reproduces every trajectory (scale of a and R1 is free; the product is not).
        using var noGrad = no_grad();
        var state = trajectories.select(1, 0);
        for (int k = 1; k < trajectories.shape[1]; k++)
        {
            state = path.forward(state);
            var truth = trajectories.select(1, k);
            Assert.True(((state - truth).norm() / truth.norm()).item<double>() < 1e-7, $"frame {k}");
        }
        // Modes that carry no energy in the data keep zero maps.
        Assert.Equal(0, path.StepLinear.narrow(0, ActiveModes, points - 2 - ActiveModes).abs().max().item<double>());
        Assert.Equal(0, path.StepEnergy.narrow(0, ActiveModes, points - 2 - ActiveModes).abs().max().item<double>());
        // The same path steps the same continuous fields on a finer grid (resolution transfer).
        using var fineBasis = new SineBasis(2 * points - 1, points - 2, ScalarType.Float64, CPU);
        using var coarseBasis = new SineBasis(points, points - 2, ScalarType.Float64, CPU);
        var coarse = trajectories.select(1, 3);                                                          // (N, W, C)
        var fine = coarse.permute(0, 2, 1).matmul(coarseBasis.Analysis).matmul(fineBasis.Synthesis).permute(0, 2, 1); // (N, 2W − 1, C)
        var steppedFine = path.forward(fine).permute(0, 2, 1).matmul(fineBasis.Analysis);
        var steppedCoarse = path.forward(coarse).permute(0, 2, 1).matmul(coarseBasis.Analysis);
        Assert.True((steppedFine - steppedCoarse).abs().max().item<double>() < 1e-12);
    }

    [Theory]
    [InlineData("fno-ar")]
    [InlineData("frnn")]
    [InlineData("fgru")]
    public void AnUntrainedModelWithThePathRollsOutThePath(string family)
    {
        using var scope = NewDisposeScope();
        const int points = 12;
        var (trajectories, _) = SyntheticSystem(points, count: 6, frames: 30, seed: 7);
        var model = family switch
        {
            "fno-ar" => (ITrajectoryModel)new FnoArModel(new FnoArModelConfig { Hidden = 4, NModes = 3, Layers = 2, ProjectionHidden = 5, LinearPath = "modal" }, points, Channels, seed: 1, ScalarType.Float64),
            "frnn" => new FrnnModel(new FrnnModelConfig { Width = 4, Depth = 2, NModes = 3, LinearPath = "modal" }, points, Channels, seed: 1, ScalarType.Float64),
            _ => new FgruModel(new FgruModelConfig { Width = 4, NModes = 3, LinearPath = "modal" }, points, Channels, seed: 1, ScalarType.Float64),
        };
        using var module = model.Module;
        ((IDataInitialised)model).InitialiseFromData(trajectories);
        var path = family switch { "fno-ar" => ((FnoArModel)model).Path, "frnn" => ((FrnnModel)model).Path, _ => ((FgruModel)model).Path };
        Assert.NotNull(path);
        Assert.True(path.CorrectionScale.item<double>() is > 0 and < 1e-8);
        using var noGrad = no_grad();
        var x0 = trajectories.select(1, 0);
        var rollout = model.Rollout(x0, 30);
        var state = x0;
        for (int k = 1; k < 30; k++)
        {
            state = path.forward(state);
            Assert.Equal(0, (rollout.select(1, k) - state).abs().max().item<double>());
        }
        Assert.True(((rollout - trajectories).norm() / trajectories.norm()).item<double>() < 1e-7);
        // the loss still reaches every network parameter (the network's output is scaled, not cut off)
        using var enableGrad = enable_grad();
        var (loss, _) = model.Loss(trajectories);
        loss.backward();
        Assert.Contains(module.parameters(), p => p.grad is not null && p.grad.abs().max().item<double>() > 0);
    }

    [Fact]
    public void TheModalDmdBaselineFitsInClosedFormAndRollsOutThePath()
    {
        using var scope = NewDisposeScope();
        const int points = 12;
        var (trajectories, _) = SyntheticSystem(points, count: 6, frames: 30, seed: 7);
        var family = ModelFamilies.Find("modal-dmd");
        using var model = (ModalDmdModel)family.Create(family.QuickConfig.Model, points, Channels, 30, seed: 1);
        Assert.True(model.ClosedForm);
        model.Fit(trajectories.to(ScalarType.Float32));
        using var noGrad = no_grad();
        var rollout = model.Rollout(trajectories.select(1, 0).to(ScalarType.Float32), 30);               // (N, 30, W, C) float32
        Assert.Equal(ScalarType.Float32, rollout.dtype);
        double error = ((rollout.to(ScalarType.Float64) - trajectories).norm() / trajectories.norm()).item<double>();
        Assert.True(error < 1e-5, $"rollout error {error:E2} (float32 data)");
        Assert.Throws<InvalidSettingException>(() => family.Create(JsonDocument.Parse("{\"path_modes\": -2}").RootElement, points, Channels, 30, 1));
    }

    [Fact]
    public void AFieldTheSineModesCannotHoldIsRefused()
    {
        using var scope = NewDisposeScope();
        var (trajectories, _) = SyntheticSystem(12, count: 3, frames: 5, seed: 9);
        using var path = new ModalEnergyPath("path", 10, Channels, ScalarType.Float64);
        var error = Assert.Throws<InvalidSettingException>(() => path.Fit(trajectories + 0.1));            // ends no longer fixed
        Assert.Contains("fixed ends", error.Message);
        using var fewModes = new ModalEnergyPath("path", 2, Channels, ScalarType.Float64);                 // 4 modes carry the data
        Assert.Contains("model.path_modes", Assert.Throws<InvalidSettingException>(() => fewModes.Fit(trajectories)).Message);
    }

    [Fact]
    public void TheAutoregressiveLogLossIsLog10OfTheWindowMse()
    {
        using var scope = NewDisposeScope();
        var (trajectories, _) = SyntheticSystem(12, count: 3, frames: 12, seed: 10);
        using var model = new FnoArModel(new FnoArModelConfig { Hidden = 4, NModes = 3, Layers = 1, ProjectionHidden = 0, LogLoss = true }, 12, Channels, seed: 2, ScalarType.Float64);
        var (total, parts) = model.Loss(trajectories);
        Assert.Equal(Math.Log10(parts["mse"].item<double>()), total.item<double>(), 12);
    }

    [Fact]
    public void BadPathSettingsGiveOneClearError()
    {
        var bogus = Assert.Throws<InvalidSettingException>(() => new FnoArModelConfig { LinearPath = "dmd" }.Validate());
        Assert.Contains("model.linear_path = 'dmd'", bogus.Message);
        var residual = Assert.Throws<InvalidSettingException>(() => new FnoArModelConfig { LinearPath = "modal", Update = "residual" }.Validate());
        Assert.Contains("update = direct", residual.Message);
        var modes = Assert.Throws<InvalidSettingException>(() => new FrnnModel(new FrnnModelConfig { LinearPath = "modal", PathModes = 11 }, 12, Channels, seed: 1));
        Assert.Contains("model.path_modes = 11", modes.Message);
        Assert.Throws<InvalidSettingException>(() => new FgruModelConfig { PathModes = -1 }.Validate());
    }

    /// <summary>Fields (N, T, W, C) of V_{k+1,m} = (R0_m + e R1_m) V_{k,m}, e = Σ a V², on the first <see cref="ActiveModes"/>
    /// sine modes of a W-point grid; R0 damped rotations, R1 small rotation generators, a positive and not uniform.</summary>
    private static (Tensor Fields, Tensor Amplitudes) SyntheticSystem(int points, int count, int frames, int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        int modes = points - 2;
        var linearValues = new double[modes * Channels * Channels];
        var energyValues = new double[modes * Channels * Channels];
        var weightValues = new double[Channels * modes];
        for (int m = 0; m < ActiveModes; m++)
        {
            double angle = 0.2 * (m + 1), decay = 0.999 - 0.002 * m, shift = 0.01 * (m + 1);
            double[] rotation = [Math.Cos(angle), -Math.Sin(angle), Math.Sin(angle), Math.Cos(angle)];      // [out, in]
            double[] generatorOfRotation = [-Math.Sin(angle), -Math.Cos(angle), Math.Cos(angle), -Math.Sin(angle)];
            for (int i = 0; i < 4; i++)
            {
                linearValues[m * 4 + i] = decay * rotation[i];
                energyValues[m * 4 + i] = shift * generatorOfRotation[i];
            }
            weightValues[m] = (m + 1) * (m + 1) / 8.0;
            weightValues[modes + m] = 0.5;
        }
        var linear = tensor(linearValues, [modes, Channels, Channels]);
        var energyMap = tensor(energyValues, [modes, Channels, Channels]);
        var weights = tensor(weightValues, [Channels, modes]);
        var state = cat([0.3 * randn([count, Channels, ActiveModes], dtype: float64, generator: generator),
            zeros(count, Channels, modes - ActiveModes, dtype: float64)], 2);                               // (N, C, M)
        var states = new List<Tensor> { state };
        for (int k = 1; k < frames; k++)
        {
            var energy = (state.square() * weights).sum([1, 2]).reshape(1, -1, 1);                          // (1, N, 1)
            var perMode = state.permute(2, 0, 1);                                                           // (M, N, C)
            state = (perMode.bmm(linear.transpose(1, 2)) + energy * perMode.bmm(energyMap.transpose(1, 2))).permute(1, 2, 0);
            states.Add(state);
        }
        var amplitudes = stack(states, 1);                                                                  // (N, T, C, M)
        using var basis = new SineBasis(points, modes, ScalarType.Float64, CPU);
        return (amplitudes.matmul(basis.Synthesis).permute(0, 1, 3, 2).contiguous(), amplitudes);           // (N, T, W, C)
    }
}
