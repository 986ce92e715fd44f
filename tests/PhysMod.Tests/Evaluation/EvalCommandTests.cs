using System.CommandLine;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Cli;
using PhysMod.Cli.Commands;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Tests.Cli;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Evaluation;

/// <summary><c>physmod eval</c> end to end on a run of a closed-form test family: table, outputs and one-line refusals.</summary>
[Collection(CliCollection.Name)]
public sealed class EvalCommandTests(DecayRunFixture fixture) : IClassFixture<DecayRunFixture>
{
    private readonly ScratchFolder folder = fixture.Folder;
    private readonly string data = fixture.Data, run = fixture.Run;

    private static IModelFamily Find(string name) =>
        name == "decay" ? new DecayFamily() : throw new InvalidSettingException($"unknown family '{name}': allowed are decay");

    private static CliResult Run(params string[] args) => CliHarness.RunWith([EvalCommand.Create(Find)], args);

    [Fact]
    public void EvaluatesTheRunIntoItsEvalFolder()
    {
        var result = Run("eval", run, "--data", data, "--figures", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        string eval = Path.Combine(Path.GetFullPath(run), "eval");
        Assert.Equal(eval, result.StdoutLines[^1]);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("40 (1x)", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("80 (2x)", StringComparison.Ordinal));
        Assert.Contains("listening rollout", result.Stdout);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(eval, "metrics.json")));
        Assert.Equal("decay", metrics.RootElement.GetProperty("family").GetString());
        Assert.Equal(40, metrics.RootElement.GetProperty("training_horizon_frames").GetInt32());
        // The default listening length is capped by the 120-frame pickup signal of this dataset.
        Assert.Equal(120, metrics.RootElement.GetProperty("listening").GetProperty("frames").GetInt32());
        Assert.Equal(120, WavFile.Read(Path.Combine(eval, "audio", "model_00.wav")).Samples.Length);
        Assert.True(File.Exists(Path.Combine(eval, "heatmap_00.png")));
        Assert.True(File.Exists(Path.Combine(eval, "relative_mae_blocks.png")));
        Assert.DoesNotContain(metrics.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("not the file the run was trained on"));
    }

    [Fact]
    public void HorizonOptionAndDefaultDataAreUsed()
    {
        var result = Run("eval", run, "--horizon", "30", "--listen", "0", "--figures", "0");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.StartsWith("60 (2x)", StringComparison.Ordinal));
        Assert.Contains("no audio", result.Stdout);
    }

    [Theory]
    [InlineData("--horizon 100", "horizon 200 frames", "≤ 60")]
    [InlineData("--listen 2", "listen 2 s", "≤ 0.0075 s")]
    [InlineData("--figures -1", "figure trajectories = -1")]
    public void RefusesBadRequestsWithOneLine(string options, params string[] fragments)
    {
        var result = Run(["eval", run, "--data", data, .. CliHarness.Split(options)]);
        CliHarness.AssertFailsWithOneLine(result, fragments);
    }

    [Fact]
    public void MissingRunIsOneLine()
    {
        var result = Run("eval", folder.PathOf("nothing"), "--data", data);
        CliHarness.AssertFailsWithOneLine(result, "nothing", "does not exist");
    }
}
