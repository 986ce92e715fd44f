using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PhysMod.Audio;
using PhysMod.Learning.Data;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Comparison;

/// <summary>Trains (or reuses) every family × seed on one dataset, evaluates each run on the same test split, times its
/// inference and writes results.json, report.md, report.html and the error-vs-time figure.</summary>
/// <remarks>
/// Runs live in OUT/runs/&lt;family&gt;-s&lt;seed&gt;/: a finished run is reused as it is, an unfinished one is resumed from its
/// checkpoint (bit-identically), a missing one is trained; a folder holding a run of another config or dataset stops the
/// comparison before anything is trained. A run that throws, diverges or evaluates to a non-finite error is reported as failed
/// with the reason and the report still completes. Cancellation (Ctrl+C) stops after the current training step with a
/// checkpoint saved; running the same comparison again resumes it.
/// </remarks>
public sealed class ComparisonRunner
{
    /// <summary>Folder of the training runs inside the output folder.</summary>
    public const string RunsFolderName = "runs";

    /// <summary>Folder scanned for own-task results (*.json) inside the output folder.</summary>
    public const string OwnTasksFolderName = "own-tasks";

    /// <summary>The machine-readable results.</summary>
    public const string ResultsFileName = "results.json";

    /// <summary>The Markdown report.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The self-contained HTML report.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>Relative MAE per block of every family on one plot.</summary>
    public const string ErrorFigureName = "error_vs_time.png";

    /// <summary>Creates a runner with validated options.</summary>
    public ComparisonRunner(ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public ComparisonOptions Options { get; }

    /// <summary>The run folder of one family and seed, relative to the output folder.</summary>
    public static string RunFolderName(string family, long seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{RunsFolderName}/{family}-s{seed}");

    /// <summary>Runs the comparison and writes its outputs; returns what results.json holds.</summary>
    /// <param name="progress">One line per stage.</param>
    /// <param name="training">Training progress of the run named by the first argument (family-s seed).</param>
    /// <param name="cancel">Stops training after the current step (checkpoint saved) and throws <see cref="OperationCanceledException"/>.</param>
    public ComparisonResults Run(IProgress<string>? progress = null, Action<string, TrainingProgress>? training = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var cpuStart = CpuTime();
        string output = Path.GetFullPath(Options.OutputFolder);
        if (File.Exists(output)) throw new InvalidSettingException($"--out '{Options.OutputFolder}' is a file; give a folder");
        var test = TestSplit.Load(Options.DataPath);
        var fingerprint = DatasetFingerprint.Of(Options.DataPath);
        var plans = Plan(output, fingerprint);
        Directory.CreateDirectory(Path.Combine(output, RunsFolderName));

        var runs = new List<RunResult>();
        foreach (var plan in plans)
        {
            cancel.ThrowIfCancellationRequested();
            runs.Add(Execute(plan, output, test, progress, training, cancel));
        }

        var families = Options.Families.Select(family =>
        {
            var own = runs.Where(r => r.Family == family.Name).ToArray();
            int ok = own.Count(r => r.Status == "ok");
            return new FamilyResult
            {
                Family = family.Name,
                Description = family.Description,
                Profile = FamilyProfiles.For(family.Name, family.Description),
                Status = ok == own.Length ? "ok" : ok == 0 ? "failed" : "partial",
                Reasons = own.Where(r => r.Reason is not null).Select(r => r.Reason!).Distinct().ToArray(),
                Runs = own,
                Summary = ComparisonColumns.Summarise(own),
            };
        }).ToArray();

        var notes = new List<string>();
        var ownTasks = ReadOwnTasks(output, notes);
        var figures = new List<string>();
        if (ErrorFigure(Path.Combine(output, ErrorFigureName), families, test.SampleRate)) figures.Add(ErrorFigureName);
        else notes.Add("no family produced a finite error curve: no error_vs_time.png");

        var results = new ComparisonResults
        {
            ProgramVersion = RunConfig.CurrentProgramVersion,
            DataPath = test.Source,
            DataSha256 = fingerprint.Sha256,
            Split = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["train"] = test.TrainCount, ["val"] = test.ValidationCount, ["test"] = test.Count },
            SampleRateHz = test.SampleRate,
            GridPoints = test.GridPoints,
            Preset = Options.Preset,
            Overrides = Options.Assignments.Concat(Options.Epochs is { } e ? [$"training.epochs={e}"] : []).ToArray(),
            Seeds = Options.Seeds,
            Families = families,
            OwnTasks = ownTasks,
            Machine = Machine(),
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
            CpuSeconds = (CpuTime() - cpuStart).TotalSeconds,
            Figures = figures,
            Notes = notes,
        };
        results.Write(Path.Combine(output, ResultsFileName));
        ComparisonReport.WriteMarkdown(Path.Combine(output, MarkdownFileName), results);
        ComparisonReport.WriteHtml(Path.Combine(output, HtmlFileName), results, output);
        progress?.Report(FormattableString.Invariant($"wrote {Path.Combine(output, HtmlFileName)} ({clock.Elapsed.TotalSeconds:F1} s)"));
        return results;
    }

    private sealed record RunPlan(IModelFamily Family, long Seed, FamilyConfig Config, RunDirectory Run, string Relative);

    // Resolves every config and checks every existing run folder before anything is trained.
    private List<RunPlan> Plan(string output, DatasetFingerprint fingerprint)
    {
        var plans = new List<RunPlan>();
        foreach (var family in Options.Families)
        {
            var preset = Options.Preset == "quick" ? family.QuickConfig : family.DefaultConfig;
            FamilyConfig start;
            try
            {
                start = ConfigOverrides.Resolve(preset, null, Options.Assignments, Options.Epochs);
            }
            catch (InvalidSettingException e)
            {
                throw new InvalidSettingException($"{family.Name}: {e.Message}");
            }
            for (int i = 0; i < Options.Seeds; i++)
            {
                // Seeds count up from the resolved config's seed (so --set training.seed=S moves the whole series).
                long seed = start.Training.Seed + i;
                var config = start with { Training = start.Training with { Seed = seed } };
                string relative = RunFolderName(family.Name, seed);
                var run = new RunDirectory(Path.Combine(output, relative));
                if (File.Exists(run.ConfigPath))
                {
                    var existing = run.ReadConfig();
                    string? mismatch = existing.Family != family.Name ? $"a {existing.Family} run"
                        : existing.Data.Sha256 != fingerprint.Sha256 ? $"a run on another dataset ({existing.Data.Path})"
                        : !JsonNode.DeepEquals(ConfigOverrides.ToJson(existing.FamilyConfig), ConfigOverrides.ToJson(config)) ? "a run with another config (preset, seed or overrides)"
                        : null;
                    if (mismatch is not null)
                        throw new InvalidSettingException($"{run.Folder} holds {mismatch}: use another --out, or delete that folder to retrain it");
                }
                plans.Add(new RunPlan(family, seed, config, run, relative));
            }
        }
        return plans;
    }

    private RunResult Execute(RunPlan plan, string output, TestSplit test, IProgress<string>? progress, Action<string, TrainingProgress>? training,
        CancellationToken cancel)
    {
        string label = $"{plan.Family.Name}-s{plan.Seed}";
        string action = "none";
        double? trainingCpu = null;
        try
        {
            // The evaluation's horizons must fit the data: find out before spending time on training.
            new Evaluator(EvaluationSettings(plan.Config.Training.TrainFrames, test)).Check(test);
            if (IsFinished(plan.Run))
            {
                action = "reused";
                progress?.Report($"{label}: finished run found, reused");
            }
            else
            {
                bool resume = File.Exists(plan.Run.ConfigPath);
                action = resume ? "resumed" : "trained";
                progress?.Report($"{label}: {(resume ? "resuming the unfinished run" : "training")} ({Options.Preset} preset)");
                var request = new TrainingRequest
                {
                    Family = plan.Family, Config = resume ? null : plan.Config, DataPath = Options.DataPath, RunFolder = plan.Run.Folder, Resume = resume,
                };
                var cpu = CpuTime();
                var outcome = TrainingSession.Run(request, p => training?.Invoke(label, p), cancel);
                trainingCpu = (CpuTime() - cpu).TotalSeconds;
                if (outcome.Status == TrainingStatus.Interrupted)
                    throw new OperationCanceledException($"{label}: {outcome.Message}; run the same comparison again to resume");
                if (outcome.Status == TrainingStatus.Diverged)
                    return Failed(plan, action, $"training diverged: {outcome.Message}");
                progress?.Report(FormattableString.Invariant($"{label}: {outcome.Message} ({outcome.Elapsed.TotalSeconds:F1} s of training)"));
            }
            return Measure(plan, output, test, action, trainingCpu, progress);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            progress?.Report($"{label}: failed: {e.Message.ReplaceLineEndings(" ")}");
            return Failed(plan, action, e.Message.ReplaceLineEndings(" "));
        }
    }

    private RunResult Measure(RunPlan plan, string output, TestSplit test, string action, double? trainingCpu, IProgress<string>? progress)
    {
        string label = $"{plan.Family.Name}-s{plan.Seed}";
        using var trained = TrainedRun.Load(plan.Run.Folder, plan.Family);
        var evaluator = new Evaluator(EvaluationSettings(trained.Config.Training.TrainFrames, test));
        var report = action == "reused" ? CurrentEvaluation(trained, evaluator.Options) : null;
        if (report is null)
        {
            progress?.Report($"{label}: evaluating on the {test.Count} test trajectories");
            report = evaluator.Evaluate(trained, test, new PrefixedProgress(progress, $"{label}: eval: "));
        }
        else progress?.Report($"{label}: its evaluation is current, reused");

        string Relative(string file) => Path.GetRelativePath(output, Path.Combine(trained.Directory.EvalFolder, file)).Replace('\\', '/');
        double? Finite(double v) => double.IsFinite(v) ? v : null;
        var horizons = report.Horizons.Select(h => new HorizonResult(h.Multiple, h.Frames,
            Finite(h.Field["displacement"].RelativeL2), Finite(h.Field["normalised_all_channels"].RelativeL2),
            h.PickupLsd.TryGetValue("displacement", out var lsd) ? Finite(lsd.LsdDb) : null)).ToArray();
        var blocks = report.RelativeMaeBlocks;
        var curve = new ErrorCurve(blocks.CentreSeconds, blocks.RelativeMae["displacement"].Select(Finite).ToArray());
        var listened = report.Listening?.Trajectories.FirstOrDefault();
        var metrics = trained.ReadMetrics();
        long parameters = trained.Model.Module.parameters().Sum(p => p.numel()) + trained.Model.Module.buffers().Sum(b => b.numel());
        var result = new RunResult
        {
            Family = plan.Family.Name,
            Seed = plan.Seed,
            RunFolder = plan.Relative,
            Status = "ok",
            Action = action,
            Parameters = parameters,
            TrainingSeconds = metrics.Count > 0 ? metrics[^1].ElapsedSeconds : null,
            TrainingCpuSeconds = trainingCpu,
            Steps = trained.TotalSteps,
            TrainingHorizonFrames = report.TrainingHorizonFrames,
            Horizons = horizons,
            ListeningLsdDb = report.Listening is { } l ? l.LsdDbMean.ToDictionary(p => p.Key, p => Finite(p.Value)) : new Dictionary<string, double?>(),
            ListeningSeconds = report.Listening?.Seconds,
            ErrorCurve = curve,
            Heatmap = report.Figures.FirstOrDefault(f => f.StartsWith("heatmap_", StringComparison.Ordinal)) is { } heatmap ? Relative(heatmap) : null,
            AudioModel = listened is not null && listened.Audio.TryGetValue("model", out var model) ? Relative(model) : null,
            AudioGroundTruth = listened is not null && listened.Audio.TryGetValue("gt", out var gt) ? Relative(gt) : null,
            Notes = report.Notes,
        };
        if (!trained.Finished)
            return result with { Status = "failed", Reason = $"the run stopped at step {trained.Step} of {trained.TotalSteps}" };
        if (horizons.Any(h => h.RelativeL2 is null))
            return result with { Status = "failed", Reason = "the test rollout is not finite (NaN or infinity): the model diverged" };

        progress?.Report($"{label}: timing inference");
        using var scope = NewDisposeScope();
        var scale = trained.Normalisation.Scale;
        var initial = tensor(Rollouts.InitialStates(test, 0, test.Count, scale.Count, scale), [test.Count, test.GridPoints, scale.Count]); // (n, W, C)
        var voice = Options.VoiceFactory?.Invoke(trained);
        var timing = InferenceTimer.Measure(trained.Model, initial, report.Horizons[^1].Frames, test.SampleRate, test.PickupGridIndex, Options.TimingSeconds, voice);
        return result with { Timing = timing };
    }

    // One heatmap and one listened trajectory per run; the listening rollout is capped by the dataset's pickup length.
    private EvaluationOptions EvaluationSettings(int trainingHorizon, TestSplit test) => new()
    {
        TrainingHorizon = trainingHorizon,
        ListenSeconds = Math.Min(Options.ListenSeconds, test.PickupFrames / test.SampleRate),
        ListenTrajectories = 1,
        FigureTrajectories = 1,
    };

    // The run's existing evaluation when it is newer than the checkpoint and made with the same options; null otherwise.
    private static EvaluationReport? CurrentEvaluation(TrainedRun run, EvaluationOptions options)
    {
        string path = Path.Combine(run.Directory.EvalFolder, "metrics.json");
        if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < File.GetLastWriteTimeUtc(run.Directory.CheckpointPath)) return null;
        try
        {
            var report = JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(path), EvaluationReport.Json);
            if (report is null || report.TrainingHorizonFrames != options.TrainingHorizon
                || !report.Horizons.Select(h => h.Frames).SequenceEqual(options.Horizons)
                || Math.Abs((report.Listening?.Seconds ?? 0) - options.ListenSeconds) > 1e-6
                || !report.Figures.Contains("heatmap_00.png"))
                return null;
            return report;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static RunResult Failed(RunPlan plan, string action, string reason) => new()
    {
        Family = plan.Family.Name, Seed = plan.Seed, RunFolder = plan.Relative, Status = "failed", Reason = reason, Action = action,
    };

    private static bool IsFinished(RunDirectory run)
    {
        if (!File.Exists(run.ConfigPath) || !run.HasCheckpoint) return false;
        using var reader = CheckpointReader.Open(run.CheckpointPath);
        return reader.RequireInt64("step") >= reader.RequireInt64("total_steps");
    }

    private List<OwnTaskResult> ReadOwnTasks(string output, List<string> notes)
    {
        var files = new List<string>(Options.OwnTaskFiles.Select(Path.GetFullPath));
        string folder = Path.Combine(output, OwnTasksFolderName);
        if (Directory.Exists(folder)) files.AddRange(Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal));
        var results = new List<OwnTaskResult>();
        foreach (string file in files.Distinct())
        {
            try
            {
                results.Add(OwnTaskResult.Read(file));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                notes.Add($"own-task results not shown: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return results;
    }

    // Mean relative MAE per block over each family's successful seeds, all families on one plot; false when nothing is finite.
    private static bool ErrorFigure(string path, IReadOnlyList<FamilyResult> families, double sampleRate)
    {
        var series = new List<(string, double[], double[])>();
        var horizons = new SortedSet<int>();
        foreach (var family in families)
        {
            var curves = family.Runs.Where(r => r.Status == "ok" && r.ErrorCurve is not null).Select(r => r.ErrorCurve!).ToArray();
            if (curves.Length == 0) continue;
            double[] xs = curves[0].TimeSeconds.Select(t => 1000 * t).ToArray();
            var same = curves.Where(c => c.TimeSeconds.SequenceEqual(curves[0].TimeSeconds)).ToArray();
            double[] ys = Enumerable.Range(0, xs.Length).Select(i => MeanStd.Of(same.Select(c => c.RelativeMae[i])).Mean ?? double.NaN).ToArray();
            if (!ys.Any(double.IsFinite)) continue;
            series.Add((same.Length > 1 ? $"{family.Family} (mean of {same.Length} seeds)" : family.Family, xs, ys));
            foreach (var run in family.Runs.Where(r => r.Status == "ok" && r.TrainingHorizonFrames is not null)) horizons.Add(run.TrainingHorizonFrames!.Value);
        }
        if (series.Count == 0) return false;
        var marks = horizons.Select(h => (1000.0 * h / sampleRate, FormattableString.Invariant($"training horizon ({h} frames)"))).ToArray();
        Plots.Curves(path, series, "relative MAE of the displacement per block on the test split", "time (ms)", "relative MAE  Σ|pred − gt| / Σ|gt|", marks);
        return true;
    }

    private static IReadOnlyDictionary<string, string> Machine() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["processors"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["torch_threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
        ["omp_wait_policy"] = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)",
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["load_average"] = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a",
    };

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private sealed class PrefixedProgress(IProgress<string>? inner, string prefix) : IProgress<string>
    {
        public void Report(string value) => inner?.Report(prefix + value);
    }
}
