using PhysMod.Cli.Commands;
using PhysMod.Learning.Baselines;
using PhysMod.Learning.Models;
using PhysMod.Tests.Cli;
using PhysMod.Tests.Evaluation;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Comparison;

/// <summary><c>physmod compare</c> on the command line: bad input is one clear line before anything is trained, and a
/// successful comparison prints the path of report.html as its only stdout line.</summary>
[Collection(CliCollection.Name)]
public sealed class CompareCommandTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly string _data;

    public CompareCommandTests()
    {
        _data = _folder.PathOf("data.safetensors");
        EvaluationTestData.Write(_data, count: 10, train: 6, validation: 2, frames: 60);
    }

    public void Dispose() => _folder.Dispose();

    private static CliResult Run(params string[] args)
    {
        IModelFamily dmd = new DmdFamily();
        var compare = CompareCommand.Create(
            name => name == dmd.Name ? dmd : throw new PhysMod.Physics.InvalidSettingException($"unknown family '{name}': allowed are dmd"),
            () => [dmd]);
        return CliHarness.RunWith([compare], args);
    }

    [Fact]
    public void BadInputIsOneLineAndWritesNothing()
    {
        string output = _folder.PathOf("out");
        CliHarness.AssertFailsWithOneLine(Run("compare", "--data", _data, "--out", output, "--preset", "fast"), "--preset 'fast'", "default, quick");
        CliHarness.AssertFailsWithOneLine(Run("compare", "--data", _data, "--out", output, "--families", "dmd,nope"), "unknown family 'nope'");
        CliHarness.AssertFailsWithOneLine(Run("compare", "--data", _data, "--out", output, "--seeds", "0"), "--seeds 0", "1..100");
        CliHarness.AssertFailsWithOneLine(Run("compare", "--data", _data, "--out", output, "--set", "training.nope=1"), "dmd:", "nope");
        CliHarness.AssertFailsWithOneLine(Run("compare", "--data", _folder.PathOf("missing.safetensors"), "--out", output), "missing.safetensors");
        Assert.Empty(CliHarness.Entries(output));
    }

    [Fact]
    public void ASuccessfulComparisonPrintsTheReportPath()
    {
        string output = _folder.PathOf("ok");
        var result = Run(["compare", "--data", _data, "--out", output, .. ComparisonFixture.Overrides.SelectMany(o => new[] { "--set", o })]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Path.Combine(output, "report.html"), Assert.Single(result.StdoutLines));
        Assert.Contains(result.StderrLines, l => l.StartsWith("DMD | dmd | ok | 484 |", StringComparison.Ordinal));
    }
}
