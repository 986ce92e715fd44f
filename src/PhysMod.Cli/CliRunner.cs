using System.CommandLine;
using PhysMod.Physics;

namespace PhysMod.Cli;

/// <summary>Runs the command tree and turns every user-facing failure into one line on stderr and a non-zero exit code.</summary>
public static class CliRunner
{
    /// <summary>Exit code for bad input or a failed run.</summary>
    public const int Failure = 2;

    /// <summary>Parses and invokes; returns the exit code.</summary>
    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            Console.Error.WriteLine($"physmod: error: {message}");
            return Failure;
        }
    }

    /// <summary>The one-line message for an expected failure, or null for a bug (which then surfaces with its stack trace).</summary>
    public static string? Describe(Exception e) => e switch
    {
        InvalidSettingException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException or IOException or KeyNotFoundException => e.Message.ReplaceLineEndings(" "),
        OperationCanceledException => "cancelled",
        AggregateException { InnerExceptions.Count: > 0 } a when Describe(a.InnerExceptions[0]) is { } inner => inner,
        _ => null,
    };
}
