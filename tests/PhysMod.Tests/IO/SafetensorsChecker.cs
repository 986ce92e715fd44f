using System.Diagnostics;
using System.Text;

namespace PhysMod.Tests.IO;

/// <summary>Runs benchmarks/check_safetensors.py (the Python-side reader of our files) and captures its output.</summary>
internal static class SafetensorsChecker
{
    /// <summary>Runs the checker with <paramref name="arguments"/>; returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(FactIfPythonAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(ScriptPath());
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("check_safetensors.py did not finish in 120 s");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string ScriptPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "benchmarks", "check_safetensors.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"benchmarks/check_safetensors.py not found above {AppContext.BaseDirectory}");
    }
}
