using System.Text.Json;
using PhysMod.Cli.Commands;
using PhysMod.Tests.Cli;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Pinn;

/// <summary><c>physmod pinn</c> in-process: a tiny run writes its files, bad input is one error line and no files.</summary>
[Collection(CliCollection.Name)]
public sealed class PinnCommandTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static CliResult Run(params string[] args) => CliHarness.RunWith([PinnCommand.Create()], args);

    [Fact]
    public void ATinyInverseRunWritesResultsFigureAndLossCurves()
    {
        string output = folder.PathOf("inverse");
        var result = Run("pinn", "inverse", "--epochs", "20", "--seed", "5", "--set", "width=8", "--set", "features=4", "--set", "collocation=16",
            "--set", "log_every=5", "--out", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["loss_curves.png", "own-task.json", "pinn_results.png", "results.json"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var root = json.RootElement;
        Assert.Equal("inverse", root.GetProperty("problem").GetString());
        Assert.Equal(20, root.GetProperty("config").GetProperty("epochs").GetInt32());
        Assert.Equal(8, root.GetProperty("config").GetProperty("width").GetInt32());
        Assert.Equal(34, root.GetProperty("data_points").GetInt32());
        Assert.Equal(5, root.GetProperty("log").GetArrayLength());   // steps 0, 5, 10, 15 and the last
        Assert.True(root.GetProperty("cpu_seconds").GetDouble() > 0);
        Assert.Contains(result.StdoutLines, line => line.Contains("σ₂ =") && line.Contains("ω₀ ="));
        // the comparison's second table reads the same numbers
        var ownTask = PhysMod.Learning.Comparison.OwnTaskResult.Read(Path.Combine(output, "own-task.json"));
        Assert.Equal("pinn", ownTask.Family);
        var sigmaError = ownTask.Columns.Single(c => c.Key == "σ₂ error (%)").Value!.GetValue<double>();
        Assert.Equal(100 * Math.Abs(root.GetProperty("learned").GetProperty("sigma2").GetDouble() - 3.5) / 3.5, sigmaError, 9);
    }

    [Theory]
    [InlineData("pinn inverse --epochs 0", "epochs = 0")]
    [InlineData("pinn forward --set nonsense=3", "unknown setting 'nonsense'")]
    [InlineData("pinn forward --set width=wide", "width")]
    [InlineData("pinn string --duration -1", "duration")]
    [InlineData("pinn string --threads 0", "threads = 0")]
    public void BadInputIsOneLineAndNoFiles(string commandLine, string fragment)
    {
        string output = folder.PathOf("bad");
        var result = Run([.. CliHarness.Split(commandLine), "--out", output]);
        CliHarness.AssertFailsWithOneLine(result, fragment);
        Assert.Empty(CliHarness.Entries(output));
    }
}
