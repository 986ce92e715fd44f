using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using PhysMod.Learning.Comparison;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Tests.Evaluation;
using PhysMod.Tests.Training;

namespace PhysMod.Tests.Comparison;

/// <summary>The comparison end to end on tiny families: every number comes from the runs, failures are reported with their
/// reason, the same seeds give the same table, an interrupted comparison resumes without retraining finished runs, and
/// report.html opens in headless Chromium with no console messages, every image decoded and every audio element playable.</summary>
[Collection(TorchRngCollection.Name)]
public sealed partial class ComparisonTests(ComparisonFixture fixture) : IClassFixture<ComparisonFixture>
{
    private static FamilyResult Family(ComparisonResults results, string name) => results.Families.Single(f => f.Family == name);

    private static IReadOnlyList<string> Row(ComparisonResults results, string family)
    {
        int index = results.Families.ToList().FindIndex(f => f.Family == family);
        return ComparisonReport.ReproducibleRows(results)[index];
    }

    [Fact]
    public void WorkingFamiliesAreMeasuredFromTheirOwnRuns()
    {
        var dmd = Family(fixture.Results, "dmd");
        Assert.Equal("ok", dmd.Status);
        var run = Assert.Single(dmd.Runs);
        Assert.Equal("trained", run.Action);
        // DMD's state is the full operator on the flattened frame: (W·C)² values.
        Assert.Equal((long)Math.Pow(EvaluationTestData.Points * 2, 2), run.Parameters);
        Assert.Equal([20, 40], run.Horizons.Select(h => h.Frames));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Output, run.RunFolder, "eval", "metrics.json")));
        var horizons = metrics.RootElement.GetProperty("horizons");
        for (int h = 0; h < 2; h++)
        {
            Assert.Equal(horizons[h].GetProperty("field").GetProperty("displacement").GetProperty("relative_l2").GetDouble(), run.Horizons[h].RelativeL2);
            Assert.Equal(horizons[h].GetProperty("pickup_lsd").GetProperty("displacement").GetProperty("lsd_db").GetDouble(), run.Horizons[h].LsdDb);
        }
        Assert.Equal(run.Horizons[0].RelativeL2, dmd.Summary["rel_l2_1x"].Mean);
        Assert.Equal(0, dmd.Summary["rel_l2_1x"].Std);
        var timing = Assert.IsType<InferenceTiming>(run.Timing);
        Assert.True(timing.BatchedSecondsPerStep > 0 && timing.RealTimeFactor > 0 && timing.RealtimeSteps >= 16, $"{timing}");
        Assert.Equal(Math.Round(timing.RealtimeSteps / EvaluationTestData.SampleRate / timing.RealtimeWallSeconds, 9), Math.Round(timing.RealTimeFactor, 9));

        var tiny = Family(fixture.Results, "tiny");
        Assert.Equal("ok", tiny.Status);
        Assert.Equal(10, tiny.Runs[0].Steps); // ⌈6/4⌉ steps per epoch × 5 epochs
        Assert.NotNull(tiny.Runs[0].AudioModel);
        foreach (string file in new[] { ComparisonRunner.ResultsFileName, ComparisonRunner.MarkdownFileName, ComparisonRunner.HtmlFileName, ComparisonRunner.ErrorFigureName })
            Assert.True(File.Exists(Path.Combine(fixture.Output, file)), $"{file} is missing");
        EvaluationTestData.AssertPng(Path.Combine(fixture.Output, ComparisonRunner.ErrorFigureName), 1000, 400);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Output, ComparisonRunner.ResultsFileName)));
        Assert.Equal(ComparisonResults.CurrentFormat, written.RootElement.GetProperty("format").GetString());
    }

    [Fact]
    public void FailingFamiliesAppearAsFailedWithTheirReasonAndTheReportCompletes()
    {
        var nan = Family(fixture.Results, "tiny-nan");
        Assert.Equal("failed", nan.Status);
        Assert.Contains("diverged", Assert.Single(nan.Reasons));
        var broken = Family(fixture.Results, "broken");
        Assert.Equal("failed", broken.Status);
        Assert.Contains("cannot build its model", Assert.Single(broken.Reasons));
        Assert.All(broken.Summary.Values, v => Assert.Null(v.Mean));
        string markdown = File.ReadAllText(Path.Combine(fixture.Output, ComparisonRunner.MarkdownFileName));
        Assert.Contains("**broken failed**: the broken family cannot build its model", markdown);
        Assert.Contains("**tiny-nan failed**: training diverged", markdown);
        string html = File.ReadAllText(Path.Combine(fixture.Output, ComparisonRunner.HtmlFileName));
        Assert.Contains("cannot build its model", html);
    }

    [Fact]
    public void OwnTaskResultsFormTheSecondTable()
    {
        var task = Assert.Single(fixture.Results.OwnTasks);
        Assert.Equal("pinn", task.Family);
        Assert.Equal(["rel L2", "omega recovered (rad/s)", "solver"], task.Columns.Select(c => c.Key));
        var (headings, rows) = ComparisonReport.OwnTaskTable(fixture.Results);
        Assert.Equal(["family", "task", "rel L2", "omega recovered (rad/s)", "solver"], headings);
        Assert.Equal(["pinn", "damped oscillator", "0.0123", "2765", "adam"], Assert.Single(rows));
        Assert.Contains("| pinn | damped oscillator | 0.0123 | 2765 | adam |", File.ReadAllText(Path.Combine(fixture.Output, ComparisonRunner.MarkdownFileName)));
    }

    [Fact]
    public void TheSameSeedsGiveTheSameTableUpToTimings()
    {
        string output = fixture.Folder.PathOf("again");
        var again = new ComparisonRunner(fixture.Options(output, ComparisonFixture.Working())).Run();
        foreach (string family in new[] { "dmd", "tiny" })
        {
            Assert.Equal(Row(fixture.Results, family), Row(again, family));
            Assert.Equal(Family(fixture.Results, family).Runs[0].Horizons, Family(again, family).Runs[0].Horizons);
        }
        // A different seed gives the tiny MLP different weights, so its errors change: the table is not constant.
        var other = new ComparisonRunner(fixture.Options(fixture.Folder.PathOf("other-seed"), [new TinyFamily()]) with { Assignments = [.. ComparisonFixture.Overrides, "training.seed=12"] }).Run();
        Assert.NotEqual(Family(fixture.Results, "tiny").Runs[0].Horizons[0].RelativeL2, Family(other, "tiny").Runs[0].Horizons[0].RelativeL2);
    }

    [Fact]
    public void AnInterruptedComparisonResumesWithoutRetrainingFinishedRuns()
    {
        string output = fixture.Folder.PathOf("interrupted");
        var options = fixture.Options(output, ComparisonFixture.Working());
        using (var cancel = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => new ComparisonRunner(options).Run(
                training: (label, p) => { if (label.StartsWith("tiny", StringComparison.Ordinal) && p.Step == 3) cancel.Cancel(); }, cancel: cancel.Token));
        }
        string dmdCheckpoint = Path.Combine(output, Family(fixture.Results, "dmd").Runs[0].RunFolder, RunDirectory.CheckpointFileName);
        Assert.True(File.Exists(dmdCheckpoint));
        var fitted = File.GetLastWriteTimeUtc(dmdCheckpoint);
        Assert.False(File.Exists(Path.Combine(output, ComparisonRunner.ResultsFileName)));

        var resumed = new ComparisonRunner(options).Run();
        Assert.Equal("reused", Family(resumed, "dmd").Runs[0].Action);
        Assert.Equal("resumed", Family(resumed, "tiny").Runs[0].Action);
        Assert.Equal(fitted, File.GetLastWriteTimeUtc(dmdCheckpoint));
        foreach (string family in new[] { "dmd", "tiny" }) Assert.Equal(Row(fixture.Results, family), Row(resumed, family));

        var third = new ComparisonRunner(options).Run();
        Assert.All(third.Families, f => Assert.Equal("reused", f.Runs[0].Action));
        foreach (string family in new[] { "dmd", "tiny" }) Assert.Equal(Row(fixture.Results, family), Row(third, family));

        var changed = options with { Epochs = 7 };
        var error = Assert.Throws<InvalidSettingException>(() => new ComparisonRunner(changed).Run());
        Assert.Contains("another config", error.Message);
    }

    [Fact]
    public void AFamilyWhoseHorizonDoesNotFitTheDataFailsBeforeTraining()
    {
        string output = fixture.Folder.PathOf("too-long");
        // 2 × 40 frames are needed for the 2× horizon, the dataset stores 60.
        var options = fixture.Options(output, [new PhysMod.Learning.Baselines.DmdFamily()]) with { Assignments = ["training.train_frames=40", "training.eval_frames=40"] };
        var results = new ComparisonRunner(options).Run();
        var dmd = Family(results, "dmd");
        Assert.Equal("failed", dmd.Status);
        Assert.Equal("none", dmd.Runs[0].Action);
        Assert.Contains("exceeds the 60 field frames", Assert.Single(dmd.Reasons));
        Assert.False(Directory.Exists(Path.Combine(output, dmd.Runs[0].RunFolder)));
        Assert.True(File.Exists(Path.Combine(output, ComparisonRunner.HtmlFileName)));
    }

    [Fact]
    public void MeanStdIsThePopulationStatisticOfTheFiniteValues()
    {
        var value = MeanStd.Of([1.0, 2.0, 3.0, null, double.NaN, double.PositiveInfinity]);
        Assert.Equal(2.0, value.Mean);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), value.Std!.Value, 15);
        Assert.Equal(3, value.Count);
        Assert.Equal(new MeanStd(null, null, 0), MeanStd.Of([null, double.NaN]));
        Assert.Equal("0.500 ± 0.100", ComparisonReport.Format(new MeanStd(0.5, 0.1, 2), "F3"));
        Assert.Equal("0.500", ComparisonReport.Format(new MeanStd(0.5, 0, 1), "F3"));
    }

    [Fact]
    public void EveryRegisteredFamilyHasAProfileAndTheTutorialsRowsAreComplete()
    {
        foreach (var family in PhysMod.Learning.Models.ModelFamilies.All)
            Assert.True(FamilyProfiles.Find(family.Name) is not null, $"family {family.Name} has no row in FamilyProfiles");
        var tutorial = FamilyProfiles.All.Where(p => p.Source == FamilyProfiles.Tutorial).Select(p => p.Method).ToArray();
        Assert.Equal(["Neural ODE", "PINN", "Neural Operator (FNO)", "Koopman", "DSSM"], tutorial);
        Assert.Equal("unknown", FamilyProfiles.For("unknown", "a description").Method);
        Assert.Equal(FamilyProfiles.All.SelectMany(p => p.Families).Count(), FamilyProfiles.All.SelectMany(p => p.Families).Distinct().Count());
    }

    // Injected into a copy of the report, first thing in <head>: records load errors of any element and, once every image and
    // audio element has settled, writes what it found into the DOM for --dump-dom to return.
    private const string Probe = """
        <script>
        window.__errors = [];
        window.addEventListener('error', function (e) { var t = e.target; window.__errors.push(t && t.tagName ? 'resource ' + t.tagName : 'script ' + e.message); }, true);
        function __probe(tries) {
          var images = Array.prototype.slice.call(document.images), audio = Array.prototype.slice.call(document.querySelectorAll('audio'));
          var settled = images.every(function (i) { return i.complete; }) && audio.every(function (a) { return a.readyState >= 2 || a.error; });
          if (!settled && tries < 200) { setTimeout(function () { __probe(tries + 1); }, 50); return; }
          var out = document.createElement('pre'); out.id = 'physmod-probe';
          out.textContent = JSON.stringify({
            images: images.map(function (i) { return i.naturalWidth; }),
            audio: audio.map(function (a) { return { ready: a.readyState, error: a.error ? a.error.code : 0, duration: a.duration }; }),
            errors: window.__errors });
          document.body.appendChild(out);
        }
        window.addEventListener('load', function () { __probe(0); });
        </script>
        """;

    [FactIfChromium]
    public void ReportLoadsWithoutErrorsAndEveryImageAndAudioElementWorks()
    {
        string html = File.ReadAllText(Path.Combine(fixture.Output, ComparisonRunner.HtmlFileName));
        // Self-contained: every image and audio source is embedded.
        var sources = SourceAttribute().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.StartsWith("data:", s));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        string probe = fixture.Folder.PathOf("probe.html");
        int head = html.IndexOf("<head>", StringComparison.Ordinal);
        File.WriteAllText(probe, html.Insert(head + "<head>".Length, Probe));
        var start = new ProcessStartInfo(FactIfChromiumAttribute.Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={fixture.Folder.PathOf("chromium-profile")}", "--virtual-time-budget=20000", "--dump-dom", new Uri(probe).AbsoluteUri,
        })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string dom = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(180_000)) process.Kill(entireProcessTree: true);
        string log = stderr.Result;
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {log}");
        // Chromium logs every console message (log, warning, error, uncaught exception) as a CONSOLE line; the report has no
        // scripts and the probe logs nothing, so any such line is a failure.
        Assert.DoesNotContain(":CONSOLE", log, StringComparison.Ordinal);
        var match = ProbeOutput().Match(dom);
        Assert.True(match.Success, $"the probe wrote no result; DOM ends with: {dom[Math.Max(0, dom.Length - 500)..]}");
        using var result = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value));
        var images = result.RootElement.GetProperty("images").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var audio = result.RootElement.GetProperty("audio").EnumerateArray().ToArray();
        Assert.Empty(result.RootElement.GetProperty("errors").EnumerateArray());
        // The error-vs-time figure and one triptych per working family (dmd, tiny).
        Assert.Equal(1 + 2, images.Length);
        Assert.All(images, width => Assert.True(width > 0, "an image did not decode"));
        // Ground truth plus one player per working family.
        Assert.Equal(1 + 2, audio.Length);
        Assert.All(audio, a =>
        {
            Assert.Equal(0, a.GetProperty("error").GetInt32());
            Assert.True(a.GetProperty("ready").GetInt32() >= 2, $"audio readyState {a.GetProperty("ready").GetInt32()} < 2");
            Assert.True(a.GetProperty("duration").GetDouble() > 0);
        });
    }

    [GeneratedRegex("""<(?:img|audio)[^>]*\ssrc="([^"]*)""")]
    private static partial Regex SourceAttribute();

    [GeneratedRegex("""<pre id="physmod-probe">([^<]*)</pre>""")]
    private static partial Regex ProbeOutput();
}
