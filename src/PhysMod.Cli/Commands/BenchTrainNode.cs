using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Benchmarks;
using PhysMod.Physics;

namespace PhysMod.Cli.Commands;

/// <summary>The node row of <c>physmod bench train</c>: the tutorial neural ODE's training step (<see cref="NodeStepBenchmark"/>)
/// against benchmarks/ref/torch_node.py, in alternating rounds, after a self-check that both compute the same loss and gradient.</summary>
public static class BenchTrainNode
{
    /// <summary>Times both sides and prints the table; returns 0, or 4 when the PyTorch self-check failed.</summary>
    public static int Run(int windows, int threads, int steps, int warmup, int rounds, bool reference)
    {
        if (windows < 1 || threads < 1) throw new InvalidSettingException($"--windows {windows}, --node-threads {threads}: must be ≥ 1");
        string? script = reference ? ReferenceScript.FindUp(Path.Combine("benchmarks", "ref", "run_torch.sh")) : null;
        if (reference && script is null) Console.Error.WriteLine("benchmarks/ref/run_torch.sh not found (run from the repository): PyTorch reference skipped");
        string waitPolicy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "default";
        string policy = waitPolicy.ToUpperInvariant() switch { "PASSIVE" => "passive", "ACTIVE" => "active", _ => "default" };
        Console.WriteLine(FormattableString.Invariant(
            $"tutorial neural ODE training step: {windows} windows × {NodeStepBenchmark.Window} Verlet steps × {NodeStepBenchmark.Modes} modes, float64, Adam, clip 1.0, {threads} thread(s), OMP_WAIT_POLICY {waitPolicy} (both sides); {steps} timed steps, {rounds} alternating rounds"));
        string fixture = Path.Combine(Path.GetTempPath(), $"physmod-node-fixture-{Environment.ProcessId}.json");
        NodeStepTiming? ours = null;
        JsonElement? theirs = null;
        bool checkFailed = false;
        try
        {
            if (script is not null) NodeStepBenchmark.WriteFixture(fixture);
            for (int round = 1; round <= rounds; round++)
            {
                Console.Error.WriteLine($"bench train: round {round}/{rounds}: PhysMod node …");
                var timing = NodeStepBenchmark.Measure(windows, steps, warmup, threads);
                if (ours is null || timing.MedianSeconds < ours.MedianSeconds) ours = timing;
                if (script is null || checkFailed) continue;
                Console.Error.WriteLine($"bench train: round {round}/{rounds}: PyTorch node …");
                var records = ReferenceScript.RunJsonLines(script, ["--models", "node", "--batch", $"{windows}", "--steps", $"{steps}", "--warmup", $"{warmup}",
                    "--threads", $"{threads}", "--omp-wait-policy", policy, "--dtype", "float64", "--", "--fixture", fixture]);
                if (records.Count == 0) { checkFailed = true; continue; }
                foreach (var record in records.Where(r => r.TryGetProperty("best", out var best) && best.GetBoolean()))
                    if (theirs is null || record.GetProperty("median_step_s").GetDouble() < theirs.Value.GetProperty("median_step_s").GetDouble()) theirs = record;
            }
        }
        finally { File.Delete(fixture); }

        Console.WriteLine();
        Console.WriteLine("| model | PhysMod step (median ms; CPU ms) | PyTorch step (median ms; CPU ms; best variant) | ratio PhysMod/PyTorch (wall; CPU) | PhysMod loss first → last |");
        Console.WriteLine("|---|---|---|---|---|");
        var t = ours!;
        string torchMs = checkFailed ? "self-check failed (see above)" : "n/a", ratio = "n/a";
        if (theirs is JsonElement r)
        {
            double median = r.GetProperty("median_step_s").GetDouble(), cpu = r.GetProperty("median_cpu_s").GetDouble();
            torchMs = FormattableString.Invariant($"{median * 1e3:F1}; {cpu * 1e3:F1} ({r.GetProperty("variant").GetString()}, torch {r.GetProperty("torch").GetString()})");
            ratio = FormattableString.Invariant($"{t.MedianSeconds / median:F2}; {t.MedianCpuSeconds / cpu:F2}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| node (tutorial NODE, 3 parameters) | {t.MedianSeconds * 1e3:F1}; {t.MedianCpuSeconds * 1e3:F1} | {torchMs} | {ratio} | {t.LossFirst:G3} → {t.LossLast:G3}{(t.LossDecreased ? "" : " (did not fall!)")} |"));
        return checkFailed ? 4 : 0;
    }
}
