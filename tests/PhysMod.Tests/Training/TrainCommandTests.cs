using System.CommandLine;
using PhysMod.Cli;
using PhysMod.Cli.Commands;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Tests.Cli;
using PhysMod.Tests.Data;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Training;

/// <summary><c>physmod train</c> end to end with the tiny test family: output, refusals and config errors as one line.</summary>
[Collection(CliCollection.Name)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly string _data;

    public TrainCommandTests()
    {
        _data = DataFiles.WriteValid(_folder.PathOf("data.safetensors"));
    }

    public void Dispose() => _folder.Dispose();

    private static IModelFamily Find(string name) =>
        name == "tiny" ? new TinyFamily() : throw new InvalidSettingException($"unknown family '{name}': allowed are tiny");

    private static CliResult Run(params string[] args) => CliHarness.RunWith([TrainCommand.Create(Find)], args);

    [Fact]
    public void TrainsAndPrintsTheRunFolderAndFinalLoss()
    {
        string run = _folder.PathOf("run");
        var result = Run("train", "tiny", "--data", _data, "--out", run, "--preset", "quick", "--set", "training.batch_size=3", "--seed", "5");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Path.GetFullPath(run)], result.StdoutLines);
        Assert.Contains("final loss", result.Stderr);
        var config = new RunDirectory(run).ReadConfig();
        Assert.Equal(3, config.Training.BatchSize);
        Assert.Equal(5, config.Training.Seed);
        Assert.Equal(2, config.Training.Epochs);
        Assert.Equal(4, config.Model.GetProperty("hidden").GetInt32());
        Assert.Equal(["checkpoint.safetensors", "config.json", "metrics.jsonl"], CliHarness.Entries(run));

        var again = Run("train", "tiny", "--data", _data, "--out", run);
        CliHarness.AssertFailsWithOneLine(again, "already holds a run", "--resume");
        var resumed = Run("train", "tiny", "--out", run, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var changed = Run("train", "tiny", "--out", run, "--resume", "--epochs", "9");
        CliHarness.AssertFailsWithOneLine(changed, "--resume", "--epochs");
    }

    [Theory]
    [InlineData("train ssm-typo --data DATA --out RUN", "unknown family 'ssm-typo'", "tiny")]
    [InlineData("train tiny --data DATA --out RUN --set model.hiden=3", "unknown key 'model.hiden'", "hidden")]
    [InlineData("train tiny --data DATA --out RUN --set training.epochs=x", "training.epochs", "a number")]
    [InlineData("train tiny --data DATA --out RUN --preset fast", "--preset 'fast'", "default, quick")]
    [InlineData("train tiny --out RUN", "--data")]
    [InlineData("train tiny --data MISSING --out RUN", "MISSING", "not found")]
    [InlineData("train tiny --data DATA --out RUN --set training.eval_frames=50", "training.eval_frames = 50", "8 frames")]
    public void BadInputIsOneLineAndWritesNothing(string commandLine, params string[] fragments)
    {
        string run = _folder.PathOf("bad-run");
        string missing = _folder.PathOf("missing.safetensors");
        var args = CliHarness.Split(commandLine).Select(a => a switch { "DATA" => _data, "RUN" => run, "MISSING" => missing, _ => a }).ToArray();
        var result = Run(args);
        CliHarness.AssertFailsWithOneLine(result, fragments.Select(f => f == "MISSING" ? missing : f).ToArray());
        Assert.False(Directory.Exists(run));
    }
}
