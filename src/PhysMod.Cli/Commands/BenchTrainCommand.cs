using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Benchmarks;
using PhysMod.Learning.Models;
using PhysMod.Physics;
using PhysMod.Physics.Diagnostics;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod bench train</c>: PhysMod's training-step time per family against the same model in PyTorch
/// (benchmarks/ref/run_torch.sh, Debian python3-torch), measured in alternating rounds of the same run.</summary>
public static class BenchTrainCommand
{
    /// <summary>Builds the sub-verb.</summary>
    public static Command Create()
    {
        var families = new Option<string>("--families") { Description = "comma-separated families with a training step, and node (the tutorial neural ODE)", DefaultValueFactory = _ => "ssm,koopman,fno" };
        var batch = new Option<int>("--batch") { Description = "trajectories per batch", DefaultValueFactory = _ => 25 };
        var steps = new Option<int>("--steps") { Description = "timed steps per round and side", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "untimed steps before each timing", DefaultValueFactory = _ => 3 };
        var rounds = new Option<int>("--rounds") { Description = "alternating C#/PyTorch rounds; each side's least disturbed round counts", DefaultValueFactory = _ => 2 };
        var noReference = new Option<bool>("--no-reference") { Description = "time PhysMod only" };
        var windows = new Option<int>("--windows") { Description = "node: windows per training step (the tutorial's 4096)", DefaultValueFactory = _ => NodeStepBenchmark.TutorialWindows };
        var nodeThreads = new Option<int>("--node-threads") { Description = "node: torch threads on both sides (train node's default: 1)", DefaultValueFactory = _ => 1 };
        var phases = new Option<bool>("--phases") { Description = "PhysMod only: median wall and CPU time of forward, backward, clip and optimiser per family (ignores --rounds and --no-reference; not for node)" };
        var command = new Command("train", "Training-step time (loss, backward, clip, AdamW) of each family's default model, B×100 frames×101 points×2 channels, vs the same model in PyTorch; prints the ratio PhysMod/PyTorch.");
        foreach (Option o in new Option[] { families, batch, steps, warmup, rounds, noReference, windows, nodeThreads, phases }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var names = parse.GetValue(families)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var chosen = names.Where(name => name != "node").Select(ModelFamilies.Find).ToArray();
            int b = parse.GetValue(batch), n = parse.GetValue(steps), w = parse.GetValue(warmup), r = parse.GetValue(rounds);
            if (r < 1) throw new InvalidSettingException($"--rounds {r}: must be ≥ 1");
            if (parse.GetValue(phases))
            {
                if (names.Contains("node")) throw new InvalidSettingException("--phases with --families node: the phase profile covers ssm, koopman, fno and the operators; time node without --phases");
                return RunPhases(chosen, b, n, w);
            }
            int status = chosen.Length > 0 ? Run(chosen, b, n, w, r, !parse.GetValue(noReference)) : 0;
            if (names.Contains("node"))
            {
                int node = BenchTrainNode.Run(parse.GetValue(windows), parse.GetValue(nodeThreads), n, w, r, !parse.GetValue(noReference));
                if (status == 0) status = node;                                   // e.g. 4: the reference's self-check failed
            }
            return status;
        });
        return command;
    }

    private static int Run(IReadOnlyList<IModelFamily> families, int batch, int steps, int warmup, int rounds, bool reference)
    {
        string? script = reference ? ReferenceScript.FindUp(Path.Combine("benchmarks", "ref", "run_torch.sh")) : null;
        if (reference && script is null) Console.Error.WriteLine("benchmarks/ref/run_torch.sh not found (run from the repository): PyTorch reference skipped");
        var referenced = script is null ? [] : families.Where(f => File.Exists(Path.Combine(Path.GetDirectoryName(script)!, $"torch_{f.Name}.py"))).Select(f => f.Name).ToArray();
        string waitPolicy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "default";
        Console.WriteLine(FormattableString.Invariant(
            $"training step, batch {batch} × {TrainingStepBenchmark.Frames} frames × {TrainingStepBenchmark.GridPoints} points × {TrainingStepBenchmark.Channels} channels, float32, {Environment.ProcessorCount} threads, OMP_WAIT_POLICY {waitPolicy} (both sides); {steps} timed steps, {rounds} alternating rounds"));
        if (waitPolicy.ToUpperInvariant() != "PASSIVE")
            Console.Error.WriteLine("note: OMP_WAIT_POLICY is not PASSIVE: on a loaded machine libgomp's spinning barriers make both sides' times erratic (export OMP_WAIT_POLICY=PASSIVE)");
        var ours = new Dictionary<string, StepTiming>();
        var theirs = new Dictionary<string, JsonElement>();
        var cpuRatios = families.ToDictionary(f => f.Name, _ => new List<double>());
        for (int round = 1; round <= rounds; round++)
        {
            var mine = new Dictionary<string, StepTiming>();
            foreach (var family in families)
            {
                Console.Error.WriteLine($"bench train: round {round}/{rounds}: PhysMod {family.Name} …");
                var timing = mine[family.Name] = TrainingStepBenchmark.Measure(family, batch, steps, warmup);
                if (!ours.TryGetValue(family.Name, out var best) || timing.MedianSeconds < best.MedianSeconds) ours[family.Name] = timing;
            }
            if (referenced.Length > 0)
            {
                Console.Error.WriteLine($"bench train: round {round}/{rounds}: PyTorch {string.Join(", ", referenced)} …");
                foreach (var record in RunReference(script!, referenced, batch, steps, warmup, waitPolicy))
                {
                    string model = record.GetProperty("model").GetString()!;
                    if (!theirs.TryGetValue(model, out var best) || record.GetProperty("median_step_s").GetDouble() < best.GetProperty("median_step_s").GetDouble())
                        theirs[model] = record;
                    if (mine.TryGetValue(model, out var timing) && record.TryGetProperty("median_step_cpu_s", out var cpu))
                    {
                        cpuRatios[model].Add(timing.MedianCpuSeconds / cpu.GetDouble());
                        Console.WriteLine(FormattableString.Invariant(
                            $"round {round}: {model}: CPU per step PhysMod {timing.MedianCpuSeconds * 1e3:F1} ms, PyTorch {cpu.GetDouble() * 1e3:F1} ms ({record.GetProperty("variant").GetString()}) → {timing.MedianCpuSeconds / cpu.GetDouble():F2}; wall {timing.MedianSeconds * 1e3:F1} / {record.GetProperty("median_step_s").GetDouble() * 1e3:F1} ms; load {LoadAverage()}"));
                    }
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine("| model | parameters | PhysMod step (median ms) | PyTorch step (median ms, best variant) | ratio PhysMod/PyTorch (wall) | ratio in CPU time: median of rounds (min–max) | PhysMod loss first → last |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var family in families)
        {
            var t = ours[family.Name];
            string torchMs = "n/a", ratio = "n/a", cpuRatio = "n/a", parameters = t.Parameters.ToString(CultureInfo.InvariantCulture);
            if (theirs.TryGetValue(family.Name, out var record))
            {
                double median = record.GetProperty("median_step_s").GetDouble();
                long torchParameters = record.GetProperty("params").GetInt64();
                torchMs = FormattableString.Invariant($"{median * 1e3:F1} ({record.GetProperty("variant").GetString()}, torch {record.GetProperty("torch").GetString()}, {record.GetProperty("blas").GetString()})");
                ratio = (t.MedianSeconds / median).ToString("F2", CultureInfo.InvariantCulture);
                if (torchParameters != t.Parameters) parameters += $" (PyTorch {torchParameters}: models differ!)";
            }
            var r = cpuRatios[family.Name];
            if (r.Count > 0) cpuRatio = FormattableString.Invariant($"{SampleStatistics.Median(r):F2} ({r.Min():F2}–{r.Max():F2}, {r.Count} rounds)");
            Console.WriteLine(FormattableString.Invariant(
                $"| {family.Name} | {parameters} | {t.MedianSeconds * 1e3:F1} | {torchMs} | {ratio} | {cpuRatio} | {t.LossFirst:G3} → {t.LossLast:G3}{(t.LossDecreased ? "" : " (did not fall!)")} |"));
        }
        return 0;
    }

    private static int RunPhases(IReadOnlyList<IModelFamily> families, int batch, int steps, int warmup)
    {
        Console.WriteLine("| model | batch | threads | " + string.Join(" | ", StepPhases.Names.Select(n => $"{n} wall / CPU (ms)")) + " |");
        Console.WriteLine("|---|---|---|" + string.Concat(StepPhases.Names.Select(_ => "---|")));
        foreach (var family in families)
        {
            var p = TrainingStepProfiler.Measure(family, batch, steps, warmup);
            Console.WriteLine(FormattableString.Invariant($"| {p.Model} | {p.Batch} | {p.Threads} | ")
                + string.Join(" | ", StepPhases.Names.Select(n => FormattableString.Invariant($"{p.Phases[n].WallSeconds * 1e3:F2} / {p.Phases[n].CpuSeconds * 1e3:F2}"))) + " |");
        }
        return 0;
    }

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static List<JsonElement> RunReference(string script, IReadOnlyList<string> models, int batch, int steps, int warmup, string waitPolicy)
    {
        string policy = waitPolicy.ToUpperInvariant() switch { "PASSIVE" => "passive", "ACTIVE" => "active", _ => "default" };
        return ReferenceScript.RunJsonLines(script, ["--models", string.Join(',', models), "--batch", $"{batch}", "--steps", $"{steps}",
                "--warmup", $"{warmup}", "--threads", $"{Environment.ProcessorCount}", "--omp-wait-policy", policy])
            .Where(r => r.TryGetProperty("best", out var best) && best.GetBoolean()).ToList();
    }
}
