using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Cli.Commands;
using PhysMod.Tests.Cli;
using PhysMod.Tests.Evaluation;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Inspection;

/// <summary><c>physmod inspect</c> end to end on tiny trained runs: the eigenvalue table, the edit that scales frequencies and
/// decay times exactly as asked, the rendered sound, and one-line refusals.</summary>
[Collection(CliCollection.Name)]
public sealed class InspectCommandTests : IDisposable
{
    private readonly ScratchFolder folder = new();
    private readonly string data;

    public InspectCommandTests()
    {
        data = folder.PathOf("data.safetensors");
        EvaluationTestData.Write(data, count: 10, train: 6, validation: 2, frames: 12);
    }

    public void Dispose() => folder.Dispose();

    private string Train(string family, params string[] settings)
    {
        string run = folder.PathOf(family);
        var result = CliHarness.RunWith([TrainCommand.Create()],
            ["train", family, "--data", data, "--out", run, "--epochs", "2", "--set", "training.train_frames=6", "--set", "training.eval_frames=12",
             .. settings.SelectMany(s => new[] { "--set", s })]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return run;
    }

    private static CliResult Inspect(params string[] args) => CliHarness.RunWith([InspectCommand.Create()], ["inspect", .. args]);

    private static Dictionary<int, (double Frequency, double Decay)> Table(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("eigenvalues").EnumerateArray().ToDictionary(
            e => e.GetProperty("index").GetInt32(),
            e => (e.GetProperty("frequency_hz").GetDouble(), e.GetProperty("decay_time_s").GetDouble()));
    }

    [Fact]
    public void KoopmanEditScalesTheChosenFrequenciesAndDecaysAndRendersBothSounds()
    {
        // max_phase 1 rad per frame: after ×1.5 every frequency is still below Nyquist, so the ratio is exact
        string run = Train("koopman", "model.d_latent=8", "model.width=8", "model.depth=1", "model.max_phase=1", "model.r_min=0.9", "model.r_max=0.95");
        var result = Inspect(run, "--edit", "all:freq=1.5", "--edit", "2:decay=2", "--duration", "0.002");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("amplitude", result.Stdout);
        string inspect = Path.Combine(Path.GetFullPath(run), "inspect");
        var before = Table(Path.Combine(inspect, "eigenvalues.json"));
        var after = Table(Path.Combine(inspect, "eigenvalues_edited.json"));
        Assert.Equal(4, before.Count);
        foreach (var (index, (frequency, decay)) in before)
        {
            Assert.Equal(1.5, after[index].Frequency / frequency, 5);
            Assert.Equal(index == 2 ? 2.0 : 1.0, after[index].Decay / decay, 5);
        }
        foreach (string name in new[] { "original.wav", "edited.wav" })
        {
            var audio = WavFile.Read(Path.Combine(inspect, name));
            Assert.Equal(32, audio.Samples.Length); // 0.002 s at the dataset's 16 kHz
            Assert.All(audio.Samples, s => Assert.True(float.IsFinite(s)));
        }
        Assert.True(File.Exists(Path.Combine(inspect, "eigenvalues_plane.png")));
        Assert.True(File.Exists(Path.Combine(inspect, "edited_spectrogram.png")));
        Assert.DoesNotContain(Directory.GetDirectories(inspect), d => Path.GetFileName(d).StartsWith(".staging", StringComparison.Ordinal));
    }

    [Fact]
    public void ListsDmdEigenvaluesAndRefusesToEditThem()
    {
        string run = Train("dmd");
        var listed = Inspect(run, "--rows", "0");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(listed.StdoutLines, l => l.StartsWith("operator", StringComparison.Ordinal));
        CliHarness.AssertFailsWithOneLine(Inspect(run, "--edit", "all:freq=2"), "--edit", "only koopman", "dmd run");
        CliHarness.AssertFailsWithOneLine(Inspect(run, "--duration", "0"), "--duration 0");
    }
}
