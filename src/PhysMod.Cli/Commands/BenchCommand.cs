using System.CommandLine;

namespace PhysMod.Cli.Commands;

/// <summary>Placeholder replaced below.</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create() => new("bench", "not yet");
}
