using System.Text;
using System.Text.Json;
using PhysMod.Physics.IO;

namespace PhysMod.Learning.Training;

/// <summary>Appends <see cref="MetricsRecord"/> lines to <c>RUN/metrics.jsonl</c>, one JSON object per line, flushed per line.</summary>
/// <remarks>A crash can tear at most the last line; <see cref="Read"/> skips it. Resuming keeps only the lines up to the
/// checkpoint's step (rewritten atomically), so the log always matches the weights.</remarks>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    private MetricsLog(string path, bool append)
    {
        Path = path;
        _writer = new StreamWriter(new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false))
        {
            NewLine = "\n",
        };
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Starts an empty log (replacing any file there).</summary>
    public static MetricsLog Create(string path) => new(path, append: false);

    /// <summary>Keeps the records with step ≤ <paramref name="lastStep"/> and appends after them.</summary>
    public static MetricsLog Continue(string path, long lastStep)
    {
        var kept = File.Exists(path) ? Read(path).Where(r => r.Step <= lastStep).ToList() : [];
        AtomicFile.WriteText(path, string.Concat(kept.Select(r => JsonSerializer.Serialize(r, TrainingJson.Compact) + "\n")));
        return new MetricsLog(path, append: true);
    }

    /// <summary>Writes one record as a line and flushes it.</summary>
    public void Append(MetricsRecord record)
    {
        _writer.WriteLine(JsonSerializer.Serialize(record, TrainingJson.Compact));
        _writer.Flush();
    }

    /// <summary>Every complete record of a log file, in order (a torn or malformed line is skipped).</summary>
    public static IReadOnlyList<MetricsRecord> Read(string path)
    {
        var records = new List<MetricsRecord>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<MetricsRecord>(line, TrainingJson.Compact) is { } record) records.Add(record);
            }
            catch (JsonException)
            {
                // A line torn by a crash: the records before it are still good.
            }
        }
        return records;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}
