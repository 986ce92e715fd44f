using System.CommandLine;
using System.Globalization;
using System.Text;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod eval</c>: rolls a trained run out on the test split and writes RUN/eval (metrics.json, PNGs, WAVs).</summary>
public static class EvalCommand
{
    /// <summary>Default length of the listening rollout (s).</summary>
    public const double DefaultListenSeconds = 0.5;

    /// <summary>Builds the command; <paramref name="findFamily"/> replaces the registry lookup (tests use their own families).</summary>
    public static Command Create(Func<string, IModelFamily>? findFamily = null)
    {
        findFamily ??= ModelFamilies.Find;
        var run = new Argument<string>("run") { Description = "run folder from physmod train" };
        var data = new Option<string>("--data") { Description = "dataset file (default: the file the run was trained on); only its test split is used" };
        var horizon = new Option<int?>("--horizon") { Description = "training horizon K in frames (default: the run's training.train_frames); metrics at K and 2K" };
        var listen = new Option<double?>("--listen") { Description = $"seconds of the listening rollout written as WAV (default {DefaultListenSeconds.ToString(CultureInfo.InvariantCulture)}, capped by the dataset's pickup length; 0 = no audio)" };
        var listenCount = new Option<int>("--listen-count") { Description = "test trajectories rendered as audio", DefaultValueFactory = _ => 1 };
        var listenChunk = new Option<int>("--listen-chunk") { Description = "restart the listening rollout from its last frame every K frames (bounds memory; exact only for Markov models); 0 = one rollout" };
        var figures = new Option<int>("--figures") { Description = "test trajectories drawn as prediction / ground truth / difference heatmaps", DefaultValueFactory = _ => 3 };
        var blockFrames = new Option<int>("--block-frames") { Description = "frames per block of the relative-MAE-over-time curve", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "test trajectories per model call", DefaultValueFactory = _ => 16 };
        var gridChange = new Option<bool>("--allow-grid-change") { Description = "allow a dataset on another grid than the training grid (resolution transfer; Fourier operator families only)" };
        var command = new Command("eval", "Evaluate a trained run on the dataset's test split: MSE, relative L2, relative MAE per block and the pickup's log-spectral distance at 1× and 2× the training horizon; heatmaps, loss curves and the pickup signal as WAV, in RUN/eval.");
        command.Arguments.Add(run);
        foreach (Option option in new Option[] { data, horizon, listen, listenCount, listenChunk, figures, blockFrames, batch, gridChange }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string runFolder = parse.GetRequiredValue(run);
            var config = new RunDirectory(runFolder).ReadConfig();
            string dataPath = parse.GetValue(data) ?? config.Data.Path;
            var test = TestSplit.Load(dataPath);
            int trainingHorizon = parse.GetValue(horizon) ?? config.Training.TrainFrames;
            double pickupSeconds = test.PickupFrames / test.SampleRate;
            double listenSeconds = parse.GetValue(listen) ?? Math.Min(DefaultListenSeconds, pickupSeconds);
            var options = new EvaluationOptions
            {
                TrainingHorizon = trainingHorizon,
                ListenSeconds = listenSeconds,
                ListenTrajectories = parse.GetValue(listenCount),
                ListenChunkFrames = parse.GetValue(listenChunk),
                FigureTrajectories = parse.GetValue(figures),
                BlockFrames = parse.GetValue(blockFrames),
                BatchSize = parse.GetValue(batch),
                AllowGridChange = parse.GetValue(gridChange),
            };
            var evaluator = new Evaluator(options);
            evaluator.Check(test);
            using var trained = TrainedRun.Load(runFolder, findFamily(config.Family));
            Console.Error.WriteLine($"eval {config.Family}: {test.Count} test trajectories of {test.Source} (dataset #{test.FirstIndex}..{test.FirstIndex + test.Count - 1})");
            if (parse.GetValue(listen) is null && listenSeconds < DefaultListenSeconds)
                Console.Error.WriteLine(FormattableString.Invariant($"eval: listening rollout shortened to {listenSeconds:G4} s, the length of the dataset's pickup signal"));
            var report = evaluator.Evaluate(trained, test, new LineProgress());
            Console.Write(Table(report));
            Console.WriteLine(trained.Directory.EvalFolder);
            return 0;
        });
        return command;
    }

    /// <summary>The metric table printed after an evaluation.</summary>
    public static string Table(EvaluationReport report)
    {
        string G(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.Family} on {report.Split["test"]} test trajectories (training horizon {report.TrainingHorizonFrames} frames):");
        text.AppendLine("horizon            rel L2 disp (traj mean ± std)   rel L2 all(norm)  MSE disp (m^2)  rel MAE disp  LSD disp (dB)  LSD vel (dB)");
        foreach (var h in report.Horizons)
        {
            var d = h.Field["displacement"];
            var all = h.Field["normalised_all_channels"];
            string velocity = h.PickupLsd.TryGetValue("velocity", out var v) ? G(v.LsdDb) : "-";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{$"{h.Frames} ({h.Multiple}x)",-18} {$"{G(d.RelativeL2)} ({G(d.RelativeL2TrajectoryMean)} ± {G(d.RelativeL2TrajectoryStd)})",-31} {G(all.RelativeL2),-17} {G(d.Mse),-15} {G(d.RelativeMae),-13} {G(h.PickupLsd["displacement"].LsdDb),-14} {velocity}");
        }
        if (report.Listening is { } l)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"listening rollout {G(l.Seconds)} s ({l.Frames} frames, {l.Mode}) on {l.Trajectories.Count} trajectories: LSD vs dataset pickup {string.Join(", ", l.LsdDbMean.Select(p => $"{p.Key} {G(p.Value)} dB"))}");
        foreach (string note in report.Notes) text.AppendLine($"note: {note}");
        return text.ToString();
    }

    // Progress lines go to stderr as they happen (Progress<T> would post them to the thread pool, out of order).
    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"eval: {value}");
    }
}
