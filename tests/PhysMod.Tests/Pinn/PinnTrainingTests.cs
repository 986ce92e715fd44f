using PhysMod.Learning.Pinn;
using PhysMod.Physics;
using Xunit.Abstractions;

namespace PhysMod.Tests.Pinn;

/// <summary>Short PINN trainings: the loss falls, the inverse problem moves σ₂ and ω₀ to the truth, and bad settings are refused.</summary>
public sealed class PinnTrainingTests(ITestOutputHelper output)
{
    // Test-sized: a small network and few steps (a few seconds of CPU), not the tutorial's 10,000 steps; data weight 1 (the
    // tuned setting: with the tutorial's 0.1 σ₂ converges far more slowly).
    private static OscillatorPinnConfig Small => new()
    {
        Features = 16, Width = 32, Depth = 2, Collocation = 64, Epochs = 1500, PeakLearningRate = 1e-2, DataWeight = 1, LogEvery = 50, Seed = 1,
    };

    [Fact]
    public void TheInverseProblemRecoversTheOscillatorParametersRoughly()
    {
        var result = OscillatorPinn.Train(Small, PinnProblem.Inverse);
        output.WriteLine($"σ₂ {result.Sigma2} ω₀ {result.Omega0} loss {result.Log[0].Total} → {result.FinalLoss}, rel RMS {result.RelativeRms}, first third {result.RelativeRmsFirstThird}");
        Assert.Equal(34, result.DataTimes.Length);
        Assert.True(result.FinalLoss < result.Log[0].Total / 100, $"loss {result.Log[0].Total} → {result.FinalLoss}");
        // started 33 % low (ω₀ = 20) and 43 % high (σ₂ = 5)
        Assert.True(result.Omega0RelativeError < 0.02, $"ω₀ = {result.Omega0}");
        Assert.True(result.Sigma2RelativeError < 0.1, $"σ₂ = {result.Sigma2}");
        Assert.True(result.RelativeRmsFirstThird < 0.1, $"relative RMS over the data third {result.RelativeRmsFirstThird}");
    }

    [Fact]
    public void TheForwardProblemFitsTheStartOfTheTrajectory()
    {
        var result = OscillatorPinn.Train(Small with { Epochs = 800 }, PinnProblem.Forward);
        output.WriteLine($"loss {result.Log[0].Total} → {result.FinalLoss}, rel RMS {result.RelativeRms}, first third {result.RelativeRmsFirstThird}");
        Assert.Empty(result.DataTimes);
        Assert.Equal(3.5, result.Sigma2, 5);    // given, not learned
        Assert.Equal(30, result.Omega0, 4);
        Assert.True(result.FinalLoss < result.Log[0].Total / 100, $"loss {result.Log[0].Total} → {result.FinalLoss}");
        // from the initial conditions and the ODE alone the network follows the analytic solution over the whole second
        Assert.True(result.RelativeRms < 0.05, $"relative RMS {result.RelativeRms}");
    }

    [Fact]
    public void TheStringPinnLossFalls()
    {
        var config = new StringPinnConfig
        {
            Width = 0.15, Features = 16, FeatureScale = 2, NetworkWidth = 24, Depth = 2, Collocation = 128, InitialPoints = 64, BoundaryPoints = 32,
            InitialDisplacementWeight = 10, ResidualWeight = 1e-3, PeakLearningRate = 1e-2, Epochs = 300, LogEvery = 10, GridPoints = 21, Frames = 11,
            ReferenceModes = 60,
        };
        var result = StringPinn.Train(config);
        output.WriteLine($"loss {result.Log[0].Total} → {result.FinalLoss}, rel L2 {result.RelativeL2}, at t=0 {result.RelativeL2PerFrame[0]}");
        Assert.True(result.FinalLoss < result.Log[0].Total / 5, $"loss {result.Log[0].Total} → {result.FinalLoss}");
        // the initial condition is what a short run learns first: the t = 0 frame is much closer than an untrained guess (error ~1)
        Assert.True(result.RelativeL2PerFrame[0] < 0.5, $"relative L2 at t = 0: {result.RelativeL2PerFrame[0]}");
    }

    [Theory]
    [InlineData("epochs")]
    [InlineData("sigma2")]
    [InlineData("collocation")]
    [InlineData("stride")]
    public void BadOscillatorSettingsAreRefusedByName(string which)
    {
        var bad = which switch
        {
            "epochs" => Small with { Epochs = 0 },
            "sigma2" => Small with { Sigma2 = 70 },
            "collocation" => Small with { Collocation = 0 },
            _ => Small with { DataStride = 0 },
        };
        var e = Assert.Throws<InvalidSettingException>(() => OscillatorPinn.Train(bad, PinnProblem.Inverse));
        Assert.Contains(which switch { "stride" => "data stride", _ => which }, e.Message);
    }

    [Theory]
    [InlineData("centre")]
    [InlineData("duration")]
    [InlineData("T0")]
    public void BadStringSettingsAreRefusedByName(string which)
    {
        var config = new StringPinnConfig();
        var bad = which switch
        {
            "centre" => config with { Centre = 1.2 },
            "duration" => config with { Duration = -1 },
            _ => config with { String = config.String with { T0 = 0 } },
        };
        var e = Assert.Throws<InvalidSettingException>(() => StringPinn.Train(bad));
        Assert.Contains(which, e.Message);
    }
}
