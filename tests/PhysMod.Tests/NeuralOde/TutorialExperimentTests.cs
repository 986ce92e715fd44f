using System.Text.Json;
using PhysMod.Learning.NeuralOde;
using PhysMod.Tests.Cli;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The tutorial neural ODE, test-sized: BPTT over random windows recovers L, T0/ρA and d3/ρA within the tutorial's targets.</summary>
public sealed class TutorialExperimentTests
{
    [Fact]
    public void TestSizedTutorialRecoversLengthTensionAndDamping()
    {
        var report = TutorialExperiment.Run(NodeConfig.Preset("tutorial-test") with { IntensityNoteSeconds = 0 }, file: null);
        Assert.True(report.RelativeErrors[0] < 0.005, $"L {report.Learned[0]:G6} (error {100 * report.RelativeErrors[0]:F3} %)");
        Assert.True(report.RelativeErrors[1] < 0.01, $"T0/rhoA {report.Learned[1]:G6} (error {100 * report.RelativeErrors[1]:F3} %)");
        Assert.True(report.RelativeErrors[2] < 0.05, $"d3/rhoA {report.Learned[2]:G6} (error {100 * report.RelativeErrors[2]:F3} %)");
        Assert.True(report.FinalLoss < 1e-3 * report.InitialLoss, $"loss {report.InitialLoss:G3} -> {report.FinalLoss:G3}");
        Assert.True(report.TrainedReadoutError < report.InitialReadoutError, $"readout error {report.InitialReadoutError:G3} -> {report.TrainedReadoutError:G3}");
    }

    [Fact]
    public void NodeConfigRejectsUnknownKeysAndBadValues()
    {
        var unknown = Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("tutorial", ["no_such_key=3"]));
        Assert.Contains("no_such_key", unknown.Message);
        var bad = Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("tutorial", ["window=0"]));
        Assert.Contains("window = 0", bad.Message);
        Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("no-such-preset", []));
        Assert.Equal(123, NodeConfig.Resolve("tutorial", ["updates=123"]).Updates);
        var scale = Assert.Throws<PhysMod.Physics.InvalidSettingException>(() => NodeConfig.Resolve("hybrid", ["residual_init_scale=-1"]));
        Assert.Contains("residual_init_scale = -1", scale.Message);
    }
}
