using System.Diagnostics;

namespace PhysMod.Tests.IO;

/// <summary>A fact that is skipped, with the reason shown, when /usr/bin/python3 with numpy is not installed.</summary>
public sealed class FactIfPythonAttribute : FactAttribute
{
    /// <summary>The interpreter the interoperability checks run.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindProblem);

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Python or numpy is absent.</summary>
    public FactIfPythonAttribute()
    {
        if (Missing.Value is { } problem) Skip = problem;
    }

    private static string? FindProblem()
    {
        if (!File.Exists(Python)) return $"{Python} is not installed (Debian: apt-get install python3 python3-numpy)";
        try
        {
            var start = new ProcessStartInfo(Python, ["-c", "import numpy; numpy.dtype('<f4')"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return $"{Python} -c 'import numpy' did not finish in 30 s";
            }
            return process.ExitCode == 0 ? null : $"numpy is not importable by {Python} (Debian: apt-get install python3-numpy)";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot be started: {e.Message}";
        }
    }
}
