using System.CommandLine;
using System.Globalization;
using PhysMod.Learning.Models;
using PhysMod.Learning.NeuralOde;
using PhysMod.Learning.Training;
using PhysMod.Physics;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod train</c>: trains a model family on a dataset into a run folder, or resumes the run there.</summary>
public static class TrainCommand
{
    /// <summary>Exit code after Ctrl+C (128 + SIGINT), with a checkpoint saved.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Builds the command; <paramref name="findFamily"/> replaces the registry lookup (tests use their own families).</summary>
    public static Command Create(Func<string, IModelFamily>? findFamily = null)
    {
        findFamily ??= ModelFamilies.Find;
        var family = new Argument<string>("family") { Description = $"model family: {string.Join(", ", ModelFamilies.All.Select(f => f.Name))}, or node (neural-ODE experiments that make their own data; --config {string.Join("|", NodeConfig.Presets.Keys)} or a JSON file)" };
        var data = new Option<string>("--data") { Description = "dataset file from physmod dataset (.safetensors)" };
        var output = new Option<string>("--out") { Description = "run folder (config.json, checkpoint.safetensors, metrics.jsonl)", Required = true };
        var configFile = new Option<string>("--config") { Description = "JSON file with \"training\" and/or \"model\" objects (snake_case keys) over the preset" };
        var preset = new Option<string>("--preset") { Description = "starting config: default (the tutorial's settings) or quick (minutes on 2 cores)" };
        var set = new Option<string[]>("--set") { Description = "override one setting: training.KEY=VALUE or model.KEY=VALUE (repeatable), e.g. --set training.epochs=10", AllowMultipleArgumentsPerToken = false };
        var epochs = new Option<int?>("--epochs") { Description = "passes over the training split (same as --set training.epochs=N)" };
        var seed = new Option<long?>("--seed") { Description = "seed for initialisation, shuffling and windows (same as --set training.seed=S)" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its checkpoint, bit-identically to an uninterrupted run" };
        var command = new Command("train", "Train a model family on a dataset (or fit it, for closed-form families) and write a run folder. Ctrl+C saves a checkpoint; --resume continues.");
        command.Arguments.Add(family);
        foreach (Option option in new Option[] { data, output, configFile, preset, set, epochs, seed, resume }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            if (parse.GetRequiredValue(family) == NodeExperiment.FamilyName)
                return RunNode(parse.GetValue(configFile) ?? parse.GetValue(preset), parse.GetValue(set) ?? [], parse.GetValue(seed),
                    parse.GetValue(epochs), parse.GetValue(data), parse.GetValue(resume), parse.GetRequiredValue(output));
            var chosen = findFamily(parse.GetRequiredValue(family));
            string runFolder = parse.GetRequiredValue(output);
            string? dataPath = parse.GetValue(data);
            bool resuming = parse.GetValue(resume);
            string[] assignments = parse.GetValue(set) ?? [];
            FamilyConfig? config = null;
            if (resuming)
            {
                var given = new List<string>();
                if (parse.GetValue(configFile) is not null) given.Add("--config");
                if (parse.GetValue(preset) is not null) given.Add("--preset");
                if (assignments.Length > 0) given.Add("--set");
                if (parse.GetValue(epochs) is not null) given.Add("--epochs");
                if (parse.GetValue(seed) is not null) given.Add("--seed");
                if (given.Count > 0)
                    throw new InvalidSettingException($"--resume continues with the run's own config.json: drop {string.Join(", ", given)} (or start a new run in another --out folder)");
            }
            else
            {
                if (dataPath is null) throw new InvalidSettingException("--data FILE is required (a dataset from physmod dataset)");
                var start = parse.GetValue(preset) switch
                {
                    null or "default" => chosen.DefaultConfig,
                    "quick" => chosen.QuickConfig,
                    var other => throw new InvalidSettingException($"--preset '{other}': allowed are default, quick"),
                };
                config = ConfigOverrides.Resolve(start, parse.GetValue(configFile), assignments, parse.GetValue(epochs), parse.GetValue(seed));
            }
            var request = new TrainingRequest { Family = chosen, Config = config, DataPath = dataPath, RunFolder = runFolder, Resume = resuming };
            return Run(request, runFolder, dataPath);
        });
        return command;
    }

    // node: the experiment generates its ground truth from a physics preset, so there is no --data, --epochs or --resume.
    private static int RunNode(string? config, string[] assignments, long? seed, int? epochs, string? data, bool resume, string runFolder)
    {
        if (data is not null) throw new InvalidSettingException("train node makes its own ground truth from the physics preset: drop --data");
        if (resume) throw new InvalidSettingException("train node has no --resume (runs take minutes): start it again");
        if (epochs is not null) throw new InvalidSettingException("train node counts updates, not epochs: use --set updates=N");
        var resolved = NodeConfig.Resolve(config, seed is { } s ? [.. assignments, $"seed={s}"] : assignments);
        new OutputStaging(runFolder).Dispose();   // fail on an unwritable folder before training
        foreach (var path in RunNodeExperiment(resolved, runFolder)) Console.WriteLine(path);
        return 0;
    }

    /// <summary>Runs a neural-ODE experiment into <paramref name="runFolder"/> (written atomically), prints its summary and
    /// returns the files written.</summary>
    public static IReadOnlyList<string> RunNodeExperiment(NodeConfig config, string runFolder)
    {
        using var staging = new OutputStaging(runFolder);
        var summary = NodeExperiment.Run(config, staging.File, line => Console.Error.WriteLine($"train node: {line}"));
        Console.Error.WriteLine($"train node ({config.Experiment}): {summary}");
        return staging.Commit();
    }

    private static int Run(TrainingRequest request, string runFolder, string? dataPath)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancel.IsCancellationRequested) return; // a second Ctrl+C ends the process at once
            e.Cancel = true;
            cancel.Cancel();
            Console.Error.WriteLine();
            Console.Error.WriteLine("physmod: stopping after the current step and saving a checkpoint (Ctrl+C again aborts without saving)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var bar = new ConsoleProgress($"train {request.Family.Name}");
            long? firstStep = null;
            var outcome = TrainingSession.Run(request, p =>
            {
                // The bar covers this session's steps (so its ETA holds after a resume); the text shows the run's position.
                firstStep ??= p.Step - 1;
                double fraction = (double)(p.Step - firstStep.Value) / Math.Max(1, p.TotalSteps - firstStep.Value);
                bar.Report(fraction, string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} epoch {p.Epoch} loss {p.Loss:G4} lr {p.LearningRate:G3}"));
            }, cancel.Token);
            string final = outcome.FinalLoss is { } loss ? loss.ToString("G6", CultureInfo.InvariantCulture) : "n/a";
            switch (outcome.Status)
            {
                case TrainingStatus.Completed:
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{request.Family.Name}: {outcome.Message} ({outcome.Elapsed.TotalSeconds:F1} s of training); final loss {final} (mean of the last epoch)"));
                    Console.WriteLine(outcome.RunFolder);
                    return 0;
                case TrainingStatus.Interrupted:
                    string data = dataPath is null ? "" : $" --data {dataPath}";
                    Console.Error.WriteLine($"physmod: {outcome.Message} in {outcome.RunFolder}; resume with: physmod train {request.Family.Name}{data} --out {runFolder} --resume");
                    return InterruptedExitCode;
                default:
                    Console.Error.WriteLine($"physmod: error: {outcome.Message}");
                    return CliRunner.Failure;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
