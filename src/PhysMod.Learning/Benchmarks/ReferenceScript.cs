using System.Diagnostics;
using System.Text.Json;

namespace PhysMod.Learning.Benchmarks;

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

    /// <summary>Runs <c>bash script args…</c> and returns every stdout line that is a JSON object; the script's stderr passes
    /// through, or with <paramref name="quiet"/> goes to <paramref name="log"/> (if given) and only its last line is shown on
    /// failure.</summary>
    /// <remarks>A non-zero exit is reported on stderr, not thrown: the rows that were printed are still returned.</remarks>
    public static List<JsonElement> RunJsonLines(string script, IEnumerable<string> args, bool quiet = false, TextWriter? log = null)
    {
        var info = new ProcessStartInfo("bash", [script, .. args]) { RedirectStandardOutput = true, RedirectStandardError = quiet };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start bash {script}");
        var errors = quiet ? process.StandardError.ReadToEndAsync() : null;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (errors is not null) log?.Write(errors.Result);
        if (process.ExitCode != 0)
            Console.Error.WriteLine($"{Path.GetFileName(script)} exited with {process.ExitCode}{(errors is null ? " (see its messages above)" : $": {errors.Result.Trim().Split('\n').LastOrDefault()}")}; its rows may be missing");
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
