using System.Diagnostics;
using System.Text.Json;

namespace PhysMod.Cli;

/// <summary>Runs a reference benchmark script of benchmarks/ref (bash) and reads the JSON records it prints one per line.</summary>
public static class ReferenceScript
{
    /// <summary>The path of <paramref name="relative"/> in the current folder or its nearest ancestor holding it; null if none.</summary>
    public static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    /// <summary>Runs <c>bash script args…</c> (stderr passes through) and returns every stdout line that is a JSON object.</summary>
    /// <remarks>A non-zero exit is reported on stderr, not thrown: the rows that were printed are still returned.</remarks>
    public static List<JsonElement> RunJsonLines(string script, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("bash", [script, .. args]) { RedirectStandardOutput = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start bash {script}");
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Console.Error.WriteLine($"{Path.GetFileName(script)} exited with {process.ExitCode} (see its messages above); its rows may be missing");
        var records = new List<JsonElement>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.TrimStart().StartsWith('{')) continue;
            using var json = JsonDocument.Parse(line);
            records.Add(json.RootElement.Clone());
        }
        return records;
    }
}
