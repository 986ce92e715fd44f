using PhysMod.Cli.Commands;
using PhysMod.Tests.Cli;

namespace PhysMod.Tests.NeuralOde;

/// <summary><c>physmod bench train --families node</c>: prints the tutorial-NODE row; a bad window count is one clear error line.</summary>
[Collection(CliCollection.Name)]
public sealed class BenchTrainNodeTests
{
    private static CliResult Run(params string[] args) => CliHarness.RunWith([BenchCommand.Create()], args);

    [Fact]
    public void NodeRowIsPrintedWithoutTheReference()
    {
        var result = Run("bench", "train", "--families", "node", "--no-reference", "--steps", "3", "--warmup", "0", "--rounds", "1", "--windows", "32");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StdoutLines, line => line.StartsWith("| node (tutorial NODE", StringComparison.Ordinal) && line.Contains("| n/a |"));
        Assert.Contains("32 windows × 10 Verlet steps × 15 modes", result.Stdout);
    }

    [Fact]
    public void ZeroWindowsIsOneErrorLine() =>
        CliHarness.AssertFailsWithOneLine(Run("bench", "train", "--families", "node", "--no-reference", "--windows", "0"), "--windows 0");
}
