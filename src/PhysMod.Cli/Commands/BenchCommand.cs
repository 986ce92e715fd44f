using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.Diagnostics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Learning.Benchmarks;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod bench simulate</c>: real-time factors of every integrator on the tension-modulated string, side by side
/// with the C++ and NumPy reference loops run in the same invocation, and dataset-generation throughput.</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks that print ratios against references measured in the same run.");
        var simulate = new Command("simulate", "TM string voice (50 modes, 48 kHz) per integrator and precision vs C++ (g++ -O3 -march=native) and NumPy; dataset throughput.");
        var modes = new Option<int>("--modes") { DefaultValueFactory = _ => 50, Description = "modes" };
        var fs = new Option<double>("--fs") { DefaultValueFactory = _ => 48000, Description = "sample rate (Hz)" };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 10, Description = "audio seconds per timed run" };
        var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 7, Description = "timed runs (median reported)" };
        var noReference = new Option<bool>("--no-reference") { Description = "skip the C++/NumPy references" };
        var datasetOnly = new Option<bool>("--dataset-only") { Description = "measure only the dataset throughput" };
        foreach (Option o in new Option[] { modes, fs, seconds, repeats, noReference, datasetOnly }) simulate.Options.Add(o);
        simulate.SetAction(parse => parse.GetValue(datasetOnly)
            ? DatasetThroughput([100, 1000], 5)
            : RunSimulate(parse.GetValue(modes), parse.GetValue(fs), parse.GetValue(seconds), parse.GetValue(repeats), !parse.GetValue(noReference)));
        command.Subcommands.Add(simulate);
        command.Subcommands.Add(BenchTrainCommand.Create());
        command.Subcommands.Add(RenderBench.Create());
        return command;
    }

    private static int RunSimulate(int modes, double fs, double seconds, int repeats, bool references)
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, modes, tensionModulation: true);
        var pluck = new TriangularPluck(0.005, 0.18 * 0.65);
        var rows = new List<(string Name, string Precision, int Oversample, (double Median, double Best, double Cpu, double CpuBest) Rtf)>();
        // the references run before and after the C# voices and the faster C++ run of the two counts (load drifts)
        var before = references ? RunReferences(modes, fs, seconds, repeats, numpy: true) : [];
        Console.WriteLine($"TM string, nylon B, {modes} modes, {fs:G6} Hz, {seconds:G4} s per run, median (and best) of {repeats}, one thread");
        Console.WriteLine($"C# voices: ModalStepper.Render (block render, {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512" : $"{Vector<double>.Count * 64}")}-bit vectors); " +
            "CPU = thread CPU time (C++: its own thread CPU time), less disturbed by other processes than wall time; " +
            "per step = CPU ratio × oversample (the C++ loop takes one step per sample)");
        foreach (var integrator in Integrator.All.Where(i => i != Integrator.Exact))
        {
            int oversample = 1;
            while (system.MaxOmega / (fs * oversample) >= integrator.StabilityLimit) oversample++;
            rows.Add((integrator.Name, "double", oversample, Measure<double>(system, pluck, integrator, fs * oversample, oversample, seconds, repeats)));
            rows.Add((integrator.Name, "float", oversample, Measure<float>(system, pluck, integrator, fs * oversample, oversample, seconds, repeats)));
        }
        var linear = system.Linearised();
        rows.Add(("exact (linear)", "double", 1, Measure<double>(linear, pluck, Integrator.Exact, fs, 1, seconds, repeats)));
        rows.Add(("exact (linear)", "float", 1, Measure<float>(linear, pluck, Integrator.Exact, fs, 1, seconds, repeats)));

        var after = references ? RunReferences(modes, fs, seconds, repeats, numpy: false) : [];
        var reference = before.Select(r => after.FirstOrDefault(a => a.Impl == r.Impl && a.Precision == r.Precision) is { Impl: not null } a
            ? new ReferenceRow(r.Impl, r.Precision, Math.Max(r.Rtf, a.Rtf), Math.Max(r.BestRtf, a.BestRtf), Math.Max(r.CpuRtf, a.CpuRtf), Math.Max(r.CpuBestRtf, a.CpuBestRtf)) : r).ToList();
        var cppDouble = reference.FirstOrDefault(r => r.Impl == "cpp" && r.Precision == "double");
        var cppFloat = reference.FirstOrDefault(r => r.Impl == "cpp" && r.Precision == "float");
        // On a shared machine the median moves with the load; the best run is the least disturbed one of each.
        static string Ratio(double value, double reference, int digits = 2) =>
            reference > 0 ? (value / reference).ToString($"F{digits}", CultureInfo.InvariantCulture) : "n/a";
        Console.WriteLine();
        Console.WriteLine("| implementation | precision | oversample | real-time factor (median) | vs C++ same precision | best run | best vs C++ best | CPU-time factor (median) | CPU vs C++ | CPU per step vs C++ | CPU best run | CPU best vs C++ best | per step, best |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var cpp = r.Precision == "double" ? cppDouble : cppFloat;
            Console.WriteLine(FormattableString.Invariant(
                $"| C# {r.Name} | {r.Precision} | {r.Oversample} | {r.Rtf.Median:F0}× | {Ratio(r.Rtf.Median, cpp.Rtf)} | {r.Rtf.Best:F0}× | {Ratio(r.Rtf.Best, cpp.BestRtf)} | {r.Rtf.Cpu:F0}× | {Ratio(r.Rtf.Cpu, cpp.CpuRtf)} | {Ratio(r.Rtf.Cpu * r.Oversample, cpp.CpuRtf)} | {r.Rtf.CpuBest:F0}× | {Ratio(r.Rtf.CpuBest, cpp.CpuBestRtf)} | {Ratio(r.Rtf.CpuBest * r.Oversample, cpp.CpuBestRtf)} |"));
        }
        foreach (var r in reference)
        {
            var cpp = r.Precision == "double" ? cppDouble : cppFloat;
            Console.WriteLine(FormattableString.Invariant(
                $"| {(r.Impl == "cpp" ? "C++ g++ -O3 -march=native (two-step)" : "NumPy (two-step)")} | {r.Precision} | 1 | {r.Rtf:F1}× | {(r.Impl == "cpp" ? "1.00" : Ratio(r.Rtf, cpp.Rtf, 4))} | {r.BestRtf:F1}× | {(r.Impl == "cpp" ? "1.00" : Ratio(r.BestRtf, cpp.BestRtf, 4))} | {(r.CpuRtf > 0 ? r.CpuRtf.ToString("F1", CultureInfo.InvariantCulture) + "×" : "n/a")} | {(r.Impl == "cpp" ? "1.00" : r.CpuRtf > 0 ? Ratio(r.CpuRtf, cpp.CpuRtf, 4) : "n/a")} | {(r.Impl == "cpp" ? "1.00" : "")} | {(r.CpuBestRtf > 0 ? r.CpuBestRtf.ToString("F1", CultureInfo.InvariantCulture) + "×" : "n/a")} | {(r.Impl == "cpp" ? "1.00" : "n/a")} | {(r.Impl == "cpp" ? "1.00" : "")} |"));
        }

        return DatasetThroughput([100, 1000], 5);
    }

    private static (double Median, double Best, double Cpu, double CpuBest) Measure<T>(ModalSystem system, Excitation excitation, Integrator integrator, double rate, int oversample, double seconds, int repeats)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = (int)(seconds * rate);
        var q0 = new double[system.Modes]; var v0 = new double[system.Modes];
        excitation.InitialState(system, q0, v0);
        var q0t = q0.Select(T.CreateTruncating).ToArray(); var v0t = v0.Select(T.CreateTruncating).ToArray();
        var pickup = system.Basis.DisplacementWeights(new Location(0.82 * 0.65)).Select(T.CreateTruncating).ToArray();
        var output = new T[steps / oversample];
        var times = new List<double>(); var cpu = new List<double>();
        T checksum = T.Zero;
        for (int r = 0; r <= repeats; r++)   // run 0 warms up the JIT
        {
            var stepper = integrator.CreateStepper<T>(system, 1 / rate, forced: false);
            double cpuStart = CpuClock.ThreadSeconds();
            double elapsed = Render(stepper, q0t, v0t, pickup, output, oversample);
            double cpuElapsed = CpuClock.ThreadSeconds() - cpuStart;
            if (r > 0) { times.Add(elapsed); cpu.Add(cpuElapsed); }
            checksum = output.Aggregate(T.Zero, (a, b) => a + b);
        }
        if (!T.IsFinite(checksum)) throw new InvalidOperationException($"{integrator.Name} diverged in the benchmark");
        times.Sort(); cpu.Sort();
        double audio = output.Length * oversample / rate;
        return (audio / times[times.Count / 2], audio / times[0], audio / cpu[cpu.Count / 2], audio / cpu[0]);
    }

    // The timed voice: the stepper's block render (a voice renders a block of output samples per call; the schemes step it
    // in one tight loop and accumulate the pickup while they write q, as the C++ loop does).
    private static double Render<T>(ModalStepper<T> stepper, T[] q0, T[] v0, T[] pickup, T[] output, int oversample)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long start = Stopwatch.GetTimestamp();
        stepper.SetPickup(pickup);
        stepper.Start(q0, v0);
        stepper.Render(output, default, oversample);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private readonly record struct ReferenceRow(string Impl, string Precision, double Rtf, double BestRtf, double CpuRtf, double CpuBestRtf);

    private static List<ReferenceRow> RunReferences(int modes, double fs, double seconds, int repeats, bool numpy)
    {
        string? script = ReferenceScript.FindUp(Path.Combine("benchmarks", "ref", "run.sh"));
        if (script is null)
        {
            Console.Error.WriteLine("benchmarks/ref/run.sh not found (run from the repository): references skipped");
            return [];
        }
        var rows = new List<ReferenceRow>();
        foreach (var root in ReferenceScript.RunJsonLines(script, ["--modes", $"{modes}", "--fs", fs.ToString(CultureInfo.InvariantCulture),
            "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--repeats", $"{repeats}", .. (numpy ? Array.Empty<string>() : ["--no-numpy"])]))
            rows.Add(new(root.GetProperty("impl").GetString()!, root.GetProperty("precision").GetString()!, root.GetProperty("rtf").GetDouble(),
                root.GetProperty("seconds").GetDouble() / root.GetProperty("min_s").GetDouble(),
                root.TryGetProperty("cpu_median_s", out var cpuSeconds) ? root.GetProperty("seconds").GetDouble() / cpuSeconds.GetDouble() : 0,
                root.TryGetProperty("cpu_min_s", out var cpuBest) ? root.GetProperty("seconds").GetDouble() / cpuBest.GetDouble() : 0));
        return rows;
    }

    // Dataset generation in this process on every core: wall time (aggregate real-time factor) and process CPU time (per
    // core), for two output-memory regimes: fresh arrays per run (what one `physmod dataset` call does: the first touch of
    // every output page is a page fault, costly in this VM) and arrays reused from the previous run (repeated generation,
    // the steady state of the simulation itself). A run of 100 trajectories (the preset) is dominated by fixed costs
    // (thread start, allocation); the larger count measures the steady state.
    private static int DatasetThroughput(int[] counts, int runs)
    {
        var config = DatasetPresets.StringBenchmark;
        DatasetGenerator.Generate(config, 16, 1, DatasetShard.Whole);   // warm-up
        Console.WriteLine();
        foreach (int count in counts)
            foreach (bool reused in new[] { false, true })
            {
                var wall = new List<double>(); var cpu = new List<double>();
                DatasetData? previous = reused ? DatasetGenerator.Generate(config, count, 1, DatasetShard.Whole) : null;
                for (int run = 0; run < runs; run++)
                {
                    double cpuStart = CpuClock.ProcessSeconds();
                    var clock = Stopwatch.StartNew();
                    var data = DatasetGenerator.Generate(config, count, 1, DatasetShard.Whole, reuse: previous);
                    wall.Add(clock.Elapsed.TotalSeconds);
                    cpu.Add(CpuClock.ProcessSeconds() - cpuStart);
                    if (reused) previous = data;
                }
                double audio = count * config.Duration, median = SampleStatistics.Median(wall), best = wall.Min(), cpuMedian = SampleStatistics.Median(cpu);
                string memory = reused ? "reused output arrays" : "fresh output arrays";
                Console.WriteLine(FormattableString.Invariant(
                    $"dataset string-benchmark: {count} × {config.Duration:G3} s, {memory}, {Environment.ProcessorCount} threads, median of {runs}: wall {median:F3} s = {audio / median:F0}× real time (aggregate), best {best:F3} s = {audio / best:F0}×; CPU {cpuMedian:F3} s = {audio / cpuMedian:F0}× real time per core"));
            }
        return 0;
    }

}
