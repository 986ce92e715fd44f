using System.CommandLine;
using PhysMod.Cli;
using PhysMod.Cli.Commands;

namespace PhysMod.Tests.Cli;

/// <summary>What one in-process run of <c>physmod</c> returned and printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Non-empty stdout lines.</summary>
    public string[] StdoutLines => Lines(Stdout);

    /// <summary>Non-empty stderr lines.</summary>
    public string[] StderrLines => Lines(Stderr);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the <c>physmod</c> command tree in this process, as Program.cs builds it, with Console captured.</summary>
internal static class CliHarness
{
    /// <summary>Builds the root command with the verbs under test and runs it through <see cref="CliRunner"/>.</summary>
    public static CliResult Run(params string[] args) =>
        RunWith([SimulateCommand.Create(), DatasetCommand.Create(), MergeCommand.Create()], args);

    /// <summary>Runs <paramref name="args"/> against a root command holding exactly <paramref name="verbs"/>.</summary>
    public static CliResult RunWith(IEnumerable<Command> verbs, params string[] args)
    {
        var root = new RootCommand("physmod (tests)");
        foreach (var verb in verbs) root.Subcommands.Add(verb);
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int exitCode;
        try
        {
            exitCode = CliRunner.Run(root, args);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Splits a command line on spaces (the test arguments contain none).</summary>
    public static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts a clean refusal: non-zero exit, nothing on stdout, exactly one stderr line naming every fragment.</summary>
    public static string AssertFailsWithOneLine(CliResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode != 0, $"expected failure, got {result}");
        Assert.True(result.StderrLines.Length == 1, $"expected exactly one line on stderr, got {result}");
        Assert.Empty(result.StdoutLines);
        string line = result.StderrLines[0];
        Assert.StartsWith("physmod: error:", line);
        foreach (string fragment in fragments) Assert.Contains(fragment, line);
        return line;
    }

    /// <summary>Every file and folder under <paramref name="folder"/> (hidden ones included), relative, sorted.</summary>
    public static string[] Entries(string folder) => Directory.Exists(folder)
        ? Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order(StringComparer.Ordinal).ToArray()
        : [];
}
