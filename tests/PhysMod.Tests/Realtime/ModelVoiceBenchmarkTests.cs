using PhysMod.Learning.Export;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Ssm;
using Xunit.Abstractions;

namespace PhysMod.Tests.Realtime;

/// <summary>The render benchmark compares like with like: its TorchSharp step loop and the voice produce the same frames, and
/// it reports the torch models' parameter counts.</summary>
/// <remarks>Runs small models by default. With PHYSMOD_BENCH_TUTORIAL=1 it runs the tutorial-size models (spec §7) on the
/// string-benchmark frame (101 × 2 at 16 kHz) and prints the table (no time is asserted).</remarks>
public sealed class ModelVoiceBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void BenchmarkLoopsAgreeAndReportParameterCounts()
    {
        bool tutorial = Environment.GetEnvironmentVariable("PHYSMOD_BENCH_TUTORIAL") == "1";
        var ssm = tutorial ? new SsmModelConfig() : new SsmModelConfig { NLayers = 2, DHidden = 8 };
        var koopman = tutorial ? new KoopmanModelConfig() : new KoopmanModelConfig { DLatent = 8, Width = 16, Depth = 2 };
        int gridPoints = tutorial ? 101 : 7;
        var rows = ModelVoiceBenchmark.Run(gridPoints, 2, 16000, voiceSeconds: tutorial ? 2 : 0.02, torchSteps: tutorial ? 2000 : 20,
            repeats: tutorial ? 5 : 1, ssm, koopman, output.WriteLine);
        output.WriteLine(ModelVoiceBenchmark.Format(rows));

        using var ssmModel = new StackedSsm(ssm, gridPoints, 2, 100, seed: 0);
        using var koopmanModel = new KoopmanModel(koopman, gridPoints, 2, seed: 0);
        Assert.Equal([ssmModel.ParameterCount, koopmanModel.ParameterCount], rows.Select(r => r.Parameters));
        foreach (var row in rows)
        {
            Assert.True(row.Agreement <= 1e-4, $"{row.Model}: voice and torch step loop differ by {row.Agreement:E2}");
            Assert.True(row.VoiceMicroseconds > 0 && row.TorchMicroseconds > 0 && double.IsFinite(row.Gain));
        }
    }
}
