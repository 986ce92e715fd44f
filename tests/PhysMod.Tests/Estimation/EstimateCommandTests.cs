using System.Text.Json;
using PhysMod.Cli.Commands;
using PhysMod.Tests.Cli;

namespace PhysMod.Tests.Estimation;

/// <summary><c>physmod estimate</c> and <c>physmod train node</c> end to end: a simulated pluck WAV in, fitted values and files out; clear errors.</summary>
[Collection(CliCollection.Name)]
public sealed class EstimateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("physmod-estimate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void EstimateRecoversTensionAndDampingFromASimulatedWav()
    {
        string sim = Path.Combine(_folder, "sim"), fit = Path.Combine(_folder, "fit");
        var simulated = Run("simulate", "string", "--linear", "--set", "T0=57.5", "--set", "d1=1.3e-3", "--set", "d3=1.7e-5",
            "--fs", "16000", "--duration", "0.3", "--modes", "20", "--grid", "0", "--out", sim);
        Assert.True(simulated.ExitCode == 0, simulated.ToString());
        var result = Run("estimate", "--audio", Path.Combine(sim, "string.wav"), "--system", "string", "--fit", "T0,d1,d3",
            "--modes", "20", "--starts", "1", "--steps", "300", "--out", fit);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in new[] { "estimate.json", "resynthesis.wav", "loss.png", "parameters.png", "waveform.png" })
            Assert.True(File.Exists(Path.Combine(fit, name)), $"missing {name}: {result}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(fit, "estimate.json")));
        var fitted = json.RootElement.GetProperty("fitted").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetDouble());
        foreach (var (name, truth) in new[] { ("T0", 57.5), ("d1", 1.3e-3), ("d3", 1.7e-5) })
            Assert.True(Math.Abs(fitted[name] / truth - 1) < 0.01, $"{name}: fitted {fitted[name]:G6}, true {truth:G6}");
    }

    [Fact]
    public void BadInputGivesOneClearLine()
    {
        string stereo = Path.Combine(_folder, "stereo.wav");
        using (var writer = new NAudio.Wave.WaveFileWriter(stereo, new NAudio.Wave.WaveFormat(16000, 16, 2))) writer.Write(new byte[400], 0, 400);
        CliHarness.AssertFailsWithOneLine(Run("estimate", "--audio", stereo, "--system", "string", "--fit", "T0"), "2 channels");
        CliHarness.AssertFailsWithOneLine(Run("estimate", "--audio", stereo, "--system", "plate", "--fit", "T0"), "plate");
        CliHarness.AssertFailsWithOneLine(Run("estimate", "--audio", stereo, "--system", "string", "--fit", "T0,E"), "'E'", "T0, d1, d3, L");
        CliHarness.AssertFailsWithOneLine(Run("estimate", "--audio", stereo, "--system", "string", "--fit", "T0", "--loss", "l1"), "l1", "mrstft");
        CliHarness.AssertFailsWithOneLine(Run("train", "node", "--config", "tutorial", "--set", "windows=0", "--out", Path.Combine(_folder, "run")), "windows = 0");
    }

    [Fact]
    public void TrainNodeWritesItsReportPlotsAndWavs()
    {
        string run = Path.Combine(_folder, "node");
        var result = Run("train", "node", "--config", "tutorial-test", "--set", "updates=2", "--set", "audio_seconds=0.01", "--set", "intensity_note_seconds=0.005", "--out", run);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in new[] { "report.json", "config.json", "before.png", "after.png", "loss.png", "target_audio.wav", "trained_predicted_audio.wav", "intensity_target.wav", "intensity_model.wav" })
            Assert.True(File.Exists(Path.Combine(run, name)), $"missing {name}: {result}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "report.json")));
        Assert.Equal(2, json.RootElement.GetProperty("updates").GetInt32());
        var ownTask = PhysMod.Learning.Comparison.OwnTaskResult.Read(Path.Combine(run, "own-task.json"));
        Assert.Equal("node", ownTask.Family);
        Assert.Equal(100 * json.RootElement.GetProperty("relative_errors")[0].GetDouble(),
            ownTask.Columns.Single(c => c.Key == "L error (%)").Value!.GetValue<double>(), 9);
    }

    private static CliResult Run(params string[] args) => CliHarness.RunWith([SimulateCommand.Create(), EstimateCommand.Create(), TrainCommand.Create()], args);
}
