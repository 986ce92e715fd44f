using System.CommandLine;
using System.Globalization;
using PhysMod.Learning.Comparison;
using PhysMod.Learning.Models;
using PhysMod.Physics;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod compare</c>: trains (or reuses) every listed family × seed on one dataset, evaluates them on its test
/// split and writes results.json, report.md and a self-contained report.html.</summary>
public static class CompareCommand
{
    /// <summary>Builds the command; <paramref name="findFamily"/> and <paramref name="allFamilies"/> replace the registry (tests use their own families).</summary>
    public static Command Create(Func<string, IModelFamily>? findFamily = null, Func<IReadOnlyList<IModelFamily>>? allFamilies = null)
    {
        findFamily ??= ModelFamilies.Find;
        allFamilies ??= () => ModelFamilies.All;
        var data = new Option<string>("--data") { Description = "dataset file from physmod dataset (.safetensors)", Required = true };
        var output = new Option<string>("--out") { Description = "comparison folder: runs/<family>-s<seed>/, results.json, report.md, report.html", Required = true };
        var families = new Option<string>("--families") { Description = $"comma-separated families (default: every registered one: {string.Join(",", ModelFamilies.All.Select(f => f.Name))})" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per family (the preset's seed, +1, …); the table shows mean ± std", DefaultValueFactory = _ => 1 };
        var preset = new Option<string>("--preset") { Description = "starting config of every family: default (the tutorial's) or quick (minutes on 2 cores)", DefaultValueFactory = _ => "default" };
        var set = new Option<string[]>("--set") { Description = "override for every family: training.KEY=VALUE or model.KEY=VALUE (repeatable)", AllowMultipleArgumentsPerToken = false };
        var epochs = new Option<int?>("--epochs") { Description = "epochs for every family (same as --set training.epochs=N)" };
        var ownTask = new Option<string[]>("--own-task") { Description = "results JSON of a family evaluated on its own task (family, task, columns), shown in the second table (repeatable; OUT/own-tasks/*.json are read too)" };
        var listen = new Option<double>("--listen") { Description = "seconds of the listening rollout per run (capped by the dataset's pickup length)", DefaultValueFactory = _ => 0.5 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: libtorch's choice)" };
        var command = new Command("compare", "Train (or reuse) every family on the same dataset, evaluate them on the same test split and write the tutorial's comparison table, measured: results.json, report.md and a self-contained report.html. Interrupt with Ctrl+C; the same command resumes without retraining finished runs.");
        foreach (Option option in new Option[] { data, output, families, seeds, preset, set, epochs, ownTask, listen, threads }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(families) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(findFamily).ToArray()
                : allFamilies().ToArray();
            if (parse.GetValue(threads) is { } n)
            {
                if (n < 1) throw new InvalidSettingException($"--threads {n}: must be ≥ 1");
                TorchSharp.torch.set_num_threads(n);
            }
            var options = new ComparisonOptions
            {
                DataPath = parse.GetRequiredValue(data),
                OutputFolder = parse.GetRequiredValue(output),
                Families = chosen,
                Seeds = parse.GetValue(seeds),
                Preset = parse.GetRequiredValue(preset),
                Assignments = parse.GetValue(set) ?? [],
                Epochs = parse.GetValue(epochs),
                OwnTaskFiles = parse.GetValue(ownTask) ?? [],
                ListenSeconds = parse.GetValue(listen),
                VoiceFactory = RunVoiceFactory.ForComparison,
            };
            return Run(options, out _);
        });
        return command;
    }

    /// <summary>Runs a comparison with console progress and Ctrl+C handling; prints the table and the path of report.html.</summary>
    /// <returns>0, <see cref="TrainCommand.InterruptedExitCode"/> after Ctrl+C.</returns>
    public static int Run(ComparisonOptions options, out ComparisonResults? results)
    {
        results = null;
        var runner = new ComparisonRunner(options);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
            Console.Error.WriteLine();
            Console.Error.WriteLine("physmod: stopping after the current training step and saving a checkpoint (Ctrl+C again aborts without saving)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var bars = new Dictionary<string, (ConsoleProgress Bar, long First)>();
            results = runner.Run(new LineProgress(), (label, p) =>
            {
                if (!bars.TryGetValue(label, out var entry)) bars[label] = entry = (new ConsoleProgress($"train {label}"), p.Step - 1);
                double fraction = (double)(p.Step - entry.First) / Math.Max(1, p.TotalSteps - entry.First);
                entry.Bar.Report(fraction, string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} loss {p.Loss:G4}"));
            }, cancel.Token);
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine($"physmod: {e.Message}");
            return TrainCommand.InterruptedExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        var (headings, rows) = ComparisonReport.Table(results);
        int skip = 2; // the qualitative columns after method and family are in the report
        Console.Error.WriteLine(string.Join(" | ", headings.Take(skip).Concat(headings.Skip(7))));
        foreach (var row in rows) Console.Error.WriteLine(string.Join(" | ", row.Take(skip).Concat(row.Skip(7))));
        Console.WriteLine(Path.Combine(Path.GetFullPath(options.OutputFolder), ComparisonRunner.HtmlFileName));
        return 0;
    }

    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"compare: {value}");
    }
}
