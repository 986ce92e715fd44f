using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PhysMod.Physics.IO;

namespace PhysMod.Learning.Comparison;

/// <summary>Renders <see cref="ComparisonResults"/> as report.md (files linked) and as a self-contained report.html (PNGs and
/// WAVs embedded as data: URIs, no scripts, no network).</summary>
public static class ComparisonReport
{
    private const string Qualitative = "method, core idea, prior, time, advantage, challenge";

    /// <summary>The comparison table: qualitative columns from the tutorial, then the measured ones (mean ± std over seeds).</summary>
    public static (IReadOnlyList<string> Headings, IReadOnlyList<IReadOnlyList<string>> Rows) Table(ComparisonResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var headings = new List<string> { "method", "family", "core idea", "prior", "time", "advantage", "challenge", "status" };
        headings.AddRange(ComparisonColumns.All.Select(c => c.Heading));
        var rows = new List<IReadOnlyList<string>>();
        foreach (var family in results.Families)
        {
            var p = family.Profile;
            var row = new List<string> { p.Method, family.Family, p.CoreIdea, p.Prior, p.Time, p.Advantage, p.Challenge, Status(family) };
            foreach (var column in ComparisonColumns.All)
                row.Add(Format(family.Summary[column.Key], column.Format));
            rows.Add(row);
        }
        return (headings, rows);
    }

    /// <summary>The table without its timing columns (training time, inference time, real-time factor): what the same seeds
    /// must reproduce exactly.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ReproducibleRows(ComparisonResults results)
    {
        var (_, rows) = Table(results);
        int qualitative = 8;
        var keep = Enumerable.Range(0, qualitative).Concat(ComparisonColumns.All.Select((c, i) => (c, i)).Where(x => !x.c.Timing).Select(x => qualitative + x.i)).ToArray();
        return rows.Select(r => (IReadOnlyList<string>)keep.Select(i => r[i]).ToArray()).ToArray();
    }

    /// <summary>Formats a mean ± std (just the mean for one seed; "—" when no seed gave a value).</summary>
    public static string Format(MeanStd value, string format)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Mean is not double mean) return "—";
        string text = mean.ToString(format, CultureInfo.InvariantCulture);
        return value.Count > 1 && value.Std is double std ? $"{text} ± {std.ToString(format, CultureInfo.InvariantCulture)}" : text;
    }

    /// <summary>The second table: families on their own tasks, with the union of their columns.</summary>
    public static (IReadOnlyList<string> Headings, IReadOnlyList<IReadOnlyList<string>> Rows) OwnTaskTable(ComparisonResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var columns = results.OwnTasks.SelectMany(t => t.Columns.Select(c => c.Key)).Distinct().ToList();
        var headings = new List<string> { "family", "task" };
        headings.AddRange(columns);
        var rows = results.OwnTasks.Select(t =>
        {
            var row = new List<string> { t.Family, t.Task };
            foreach (string column in columns)
            {
                var cell = t.Columns.FirstOrDefault(c => c.Key == column);
                row.Add(cell.Key is null ? "" : Cell(cell.Value));
            }
            return (IReadOnlyList<string>)row;
        }).ToArray();
        return (headings, rows);
    }

    /// <summary>Writes report.md atomically.</summary>
    public static void WriteMarkdown(string path, ComparisonResults results) => AtomicFile.WriteText(path, Markdown(results));

    /// <summary>Writes report.html atomically, embedding the figures and audio it finds under <paramref name="folder"/>.</summary>
    public static void WriteHtml(string path, ComparisonResults results, string folder) => AtomicFile.WriteText(path, Html(results, folder));

    /// <summary>The Markdown report (figures and audio linked relative to the comparison folder).</summary>
    public static string Markdown(ComparisonResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        md.AppendLine($"# PhysMod comparison on {Path.GetFileName(results.DataPath)}").AppendLine();
        foreach (string line in Summary(results)) md.AppendLine($"- {line}");
        md.AppendLine().AppendLine("## The tutorial's table, measured").AppendLine();
        md.AppendLine($"Qualitative columns ({Qualitative}) are the tutorial's closing table (rows it lacks are marked in the profile source); every other column was measured by this run.").AppendLine();
        var (headings, rows) = Table(results);
        AppendMarkdownTable(md, headings, rows);
        md.AppendLine();
        foreach (string line in Definitions(results)) md.AppendLine($"- {line}");
        foreach (var failed in results.Families.Where(f => f.Status != "ok"))
            md.AppendLine($"- **{failed.Family} {failed.Status}**: {string.Join("; ", failed.Reasons)}");
        md.AppendLine();
        if (results.Figures.Contains(ComparisonRunner.ErrorFigureName))
            md.AppendLine("## Error against time").AppendLine().AppendLine($"![relative MAE per block, every family]({ComparisonRunner.ErrorFigureName})").AppendLine();
        md.AppendLine("## Per family").AppendLine();
        foreach (var family in results.Families)
        {
            md.AppendLine($"### {family.Family}: {family.Profile.Method}").AppendLine();
            md.AppendLine($"{family.Description}. Profile: {family.Profile.Source}.").AppendLine();
            AppendMarkdownTable(md, RunHeadings, family.Runs.Select(RunRow).ToArray());
            md.AppendLine();
            var shown = family.Runs.FirstOrDefault(r => r.Status == "ok");
            if (shown?.Heatmap is { } heatmap) md.AppendLine($"![{family.Family} heatmap triptych]({heatmap})").AppendLine();
            if (shown?.AudioModel is { } audio)
                md.AppendLine($"Audio (test trajectory 0, {shown.ListeningSeconds?.ToString("G3", CultureInfo.InvariantCulture)} s): [ground truth]({shown.AudioGroundTruth}), [{family.Family}]({audio})").AppendLine();
        }
        md.AppendLine("## Families on their own tasks").AppendLine();
        if (results.OwnTasks.Count == 0)
            md.AppendLine($"None given. Families whose method needs another setting (PINN on the oscillator, NODE on its modal string) appear here when their results file is passed with --own-task FILE or put in {ComparisonRunner.OwnTasksFolderName}/.").AppendLine();
        else
        {
            var (ownHeadings, ownRows) = OwnTaskTable(results);
            AppendMarkdownTable(md, ownHeadings, ownRows);
            md.AppendLine();
            foreach (var task in results.OwnTasks)
            {
                if (task.Command is not null) md.AppendLine($"- {task.Family}: `{task.Command}`");
                foreach (string note in task.Notes) md.AppendLine($"- {task.Family}: {note}");
            }
            md.AppendLine();
        }
        if (results.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (string note in results.Notes) md.AppendLine($"- {note}");
        }
        return md.ToString();
    }

    /// <summary>The self-contained HTML report: every PNG and WAV it shows is embedded as a data: URI.</summary>
    public static string Html(ComparisonResults results, string folder)
    {
        ArgumentNullException.ThrowIfNull(results);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>PhysMod comparison on {E(Path.GetFileName(results.DataPath))}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:1.5em;max-width:1400px}table{border-collapse:collapse;margin:0.5em 0}"
            + "th,td{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top}th{background:#eee}td.num{text-align:right;white-space:nowrap}"
            + "tr.failed td{background:#fde8e8}img{max-width:100%;border:1px solid #ddd}figure{margin:0.5em 0}.audio{display:flex;flex-wrap:wrap;gap:1em}"
            + ".audio div{border:1px solid #ddd;padding:4px}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine($"<h1>PhysMod comparison on {E(Path.GetFileName(results.DataPath))}</h1><ul>");
        foreach (string line in Summary(results)) html.AppendLine($"<li>{E(line)}</li>");
        html.AppendLine("</ul><h2>The tutorial's table, measured</h2>");
        html.AppendLine($"<p>Qualitative columns ({Qualitative}) are the tutorial's closing table; every other column was measured by this run.</p>");
        var (headings, rows) = Table(results);
        AppendHtmlTable(html, headings, rows, results.Families.Select(f => f.Status != "ok").ToArray(), firstNumeric: 8);
        html.AppendLine("<ul>");
        foreach (string line in Definitions(results)) html.AppendLine($"<li>{E(line)}</li>");
        foreach (var failed in results.Families.Where(f => f.Status != "ok"))
            html.AppendLine($"<li><b>{E(failed.Family)} {E(failed.Status)}</b>: {E(string.Join("; ", failed.Reasons))}</li>");
        html.AppendLine("</ul>");
        if (results.Figures.Contains(ComparisonRunner.ErrorFigureName))
            html.AppendLine($"<h2>Error against time</h2><figure>{Image(folder, ComparisonRunner.ErrorFigureName, "relative MAE per block, every family")}</figure>");

        html.AppendLine("<h2>Listen</h2><div class=\"audio\">");
        var listened = results.Families.Select(f => (f.Family, Run: f.Runs.FirstOrDefault(r => r.Status == "ok" && r.AudioModel is not null))).Where(x => x.Run is not null).ToArray();
        if (listened.Length > 0 && listened[0].Run!.AudioGroundTruth is { } truth)
            html.AppendLine($"<div>ground truth<br>{Audio(folder, truth)}</div>");
        foreach (var (name, run) in listened) html.AppendLine($"<div>{E(name)}<br>{Audio(folder, run!.AudioModel!)}</div>");
        html.AppendLine("</div>");
        if (listened.Length > 0)
            html.AppendLine($"<p>Test trajectory 0, the pickup's velocity (displacement for displacement-only models), each file peak-normalised; {E(listened[0].Run!.ListeningSeconds?.ToString("G3", CultureInfo.InvariantCulture) ?? "")} s rolled out from the initial frame.</p>");
        else html.AppendLine("<p>No family produced audio.</p>");

        html.AppendLine("<h2>Per family</h2>");
        foreach (var family in results.Families)
        {
            html.AppendLine($"<h3>{E(family.Family)}: {E(family.Profile.Method)}</h3><p>{E(family.Description)}. Profile: {E(family.Profile.Source)}.</p>");
            AppendHtmlTable(html, RunHeadings, family.Runs.Select(RunRow).ToArray(), family.Runs.Select(r => r.Status != "ok").ToArray(), firstNumeric: 4);
            if (family.Runs.FirstOrDefault(r => r.Status == "ok")?.Heatmap is { } heatmap)
                html.AppendLine($"<figure>{Image(folder, heatmap, $"{family.Family}: prediction, ground truth and difference")}</figure>");
        }

        html.AppendLine("<h2>Families on their own tasks</h2>");
        if (results.OwnTasks.Count == 0)
            html.AppendLine($"<p>None given. Families whose method needs another setting (PINN on the oscillator, NODE on its modal string) appear here when their results file is passed with --own-task FILE or put in {ComparisonRunner.OwnTasksFolderName}/.</p>");
        else
        {
            var (ownHeadings, ownRows) = OwnTaskTable(results);
            AppendHtmlTable(html, ownHeadings, ownRows, new bool[ownRows.Count], firstNumeric: 2);
            html.AppendLine("<ul>");
            foreach (var task in results.OwnTasks)
            {
                if (task.Command is not null) html.AppendLine($"<li>{E(task.Family)}: <code>{E(task.Command)}</code></li>");
                foreach (string note in task.Notes) html.AppendLine($"<li>{E(task.Family)}: {E(note)}</li>");
            }
            html.AppendLine("</ul>");
        }
        if (results.Notes.Count > 0)
        {
            html.AppendLine("<h2>Notes</h2><ul>");
            foreach (string note in results.Notes) html.AppendLine($"<li>{E(note)}</li>");
            html.AppendLine("</ul>");
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static readonly string[] RunHeadings =
        ["seed", "run folder", "status", "this invocation", "params", "steps", "train time (s)", "train CPU (s)", "rel L2 @1×", "rel L2 @2×",
         "rel L2 norm. @1×", "rel L2 norm. @2×", "listening LSD (dB)", "inference µs/step (batch)", "real-time factor", "RT CPU s / wall s"];

    private static IReadOnlyList<string> RunRow(RunResult run)
    {
        string N(double? v, string format) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "—";
        HorizonResult? At(int m) => run.Horizons.FirstOrDefault(h => h.Multiple == m);
        string status = run.Status == "ok" ? "ok" : $"failed: {run.Reason}";
        var t = run.Timing;
        return
        [
            run.Seed.ToString(CultureInfo.InvariantCulture), run.RunFolder, status, run.Action, N(run.Parameters, "N0"),
            N(run.Steps, "N0"), N(run.TrainingSeconds, "G3"), N(run.TrainingCpuSeconds, "G3"),
            N(At(1)?.RelativeL2, "F4"), N(At(2)?.RelativeL2, "F4"), N(At(1)?.RelativeL2Normalised, "F4"), N(At(2)?.RelativeL2Normalised, "F4"),
            N(run.ListeningLsdDb.TryGetValue("displacement", out var lsd) ? lsd : null, "F2"),
            N(t is null ? null : t.BatchedSecondsPerStep * 1e6, "G3"), N(t?.RealTimeFactor, "G3"),
            t is null ? "—" : $"{N(t.RealtimeCpuSeconds, "G3")} / {N(t.RealtimeWallSeconds, "G3")} ({t.RealtimeMethod})",
        ];
    }

    private static IEnumerable<string> Summary(ComparisonResults r)
    {
        string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        yield return $"dataset: {r.DataPath} (sha256 {r.DataSha256[..Math.Min(12, r.DataSha256.Length)]}…), split train {r.Split["train"]} / val {r.Split["val"]} / test {r.Split["test"]}, {r.SampleRateHz.ToString("G6", CultureInfo.InvariantCulture)} Hz frames, {r.GridPoints} grid points";
        yield return $"preset: {r.Preset}; seeds per family: {r.Seeds}" + (r.Overrides.Count > 0 ? $"; overrides: {string.Join(" ", r.Overrides)}" : "");
        yield return $"this invocation: {G(r.ElapsedSeconds)} s wall, {G(r.CpuSeconds)} s CPU (reused runs cost nothing here)";
        yield return $"machine: {string.Join(", ", r.Machine.Select(p => $"{p.Key} {p.Value}"))}";
        yield return $"program version {r.ProgramVersion}; results.json holds every number below";
    }

    private static IEnumerable<string> Definitions(ComparisonResults r)
    {
        yield return "rel L2 @K×: ‖pred − gt‖₂ / ‖gt‖₂ of the displacement field over the test split, frames 0..K·H−1 rolled out from each test trajectory's frame 0 (H = the family's training horizon); mean ± population std over seeds";
        yield return "LSD @K×: log-spectral distance (dB) of the displacement at the pickup grid point over the same frames; listening LSD: the same over a longer rollout against the dataset's pickup signal";
        yield return "params: values in the checkpoint's state dict (parameters and buffers); train time: wall time of the whole run (from its metrics.jsonl, summed over resumed sessions)";
        yield return $"inference µs/step (batched): median wall time of one rollout of all {r.Split["test"]} test trajectories to 2× the horizon, divided by its frames";
        yield return $"real-time factor: audio seconds produced per wall second when the model is stepped one frame (= one sample at {r.SampleRateHz.ToString("G4", CultureInfo.InvariantCulture)} Hz) at a time through Rollout(x, 2), batch 1 (> 1 is faster than real time; latent-state models re-encode each step, so this is the cost of the call, not of an optimised real-time engine)";
        yield return "timing columns (train time, inference, real-time factor) depend on the machine and its load; every other column is reproduced exactly by the same seeds";
    }

    private static string Status(FamilyResult family) => family.Status switch
    {
        "ok" => "ok",
        "failed" => "failed",
        _ => $"partial ({family.Runs.Count(r => r.Status == "ok")}/{family.Runs.Count} seeds)",
    };

    private static string Cell(JsonNode? value) => value switch
    {
        null => "—",
        JsonValue v when v.TryGetValue(out double d) => d.ToString("G4", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out string? s) => s ?? "",
        _ => value.ToJsonString(),
    };

    private static void AppendMarkdownTable(StringBuilder md, IReadOnlyList<string> headings, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
        md.AppendLine("| " + string.Join(" | ", headings.Select(Escape)) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", headings.Count)));
        foreach (var row in rows) md.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
    }

    private static void AppendHtmlTable(StringBuilder html, IReadOnlyList<string> headings, IReadOnlyList<IReadOnlyList<string>> rows, bool[] failed, int firstNumeric)
    {
        html.AppendLine("<table><thead><tr>" + string.Concat(headings.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>")) + "</tr></thead><tbody>");
        for (int r = 0; r < rows.Count; r++)
        {
            html.Append(failed[r] ? "<tr class=\"failed\">" : "<tr>");
            for (int c = 0; c < rows[r].Count; c++)
                html.Append(c >= firstNumeric ? "<td class=\"num\">" : "<td>").Append(WebUtility.HtmlEncode(rows[r][c])).Append("</td>");
            html.AppendLine("</tr>");
        }
        html.AppendLine("</tbody></table>");
    }

    private static string Image(string folder, string relative, string alt)
    {
        string path = Path.Combine(folder, relative);
        if (!File.Exists(path)) return $"<p>(missing figure {WebUtility.HtmlEncode(relative)})</p>";
        return $"<img alt=\"{WebUtility.HtmlEncode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\">";
    }

    private static string Audio(string folder, string relative)
    {
        string path = Path.Combine(folder, relative);
        if (!File.Exists(path)) return $"(missing audio {WebUtility.HtmlEncode(relative)})";
        return $"<audio controls preload=\"auto\" src=\"data:audio/wav;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\"></audio>";
    }
}
