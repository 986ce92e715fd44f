using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;

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
        foreach (Option o in new Option[] { modes, fs, seconds, repeats, noReference }) simulate.Options.Add(o);
        simulate.SetAction(parse => RunSimulate(parse.GetValue(modes), parse.GetValue(fs), parse.GetValue(seconds), parse.GetValue(repeats), !parse.GetValue(noReference)));
        command.Subcommands.Add(simulate);
        return command;
    }

    private static int RunSimulate(int modes, double fs, double seconds, int repeats, bool references)
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, modes, tensionModulation: true);
        var pluck = new TriangularPluck(0.005, 0.18 * 0.65);
        var rows = new List<(string Name, string Precision, int Oversample, double Rtf)>();
        Console.WriteLine($"TM string, nylon B, {modes} modes, {fs:G6} Hz, {seconds:G4} s per run, median of {repeats}, one thread");
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

        var reference = references ? RunReferences(modes, fs, seconds, repeats) : [];
        double cppDouble = reference.FirstOrDefault(r => r.Impl == "cpp" && r.Precision == "double").Rtf;
        double cppFloat = reference.FirstOrDefault(r => r.Impl == "cpp" && r.Precision == "float").Rtf;
        Console.WriteLine();
        Console.WriteLine("| implementation | precision | oversample | real-time factor | vs C++ same precision |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var r in rows)
        {
            double cpp = r.Precision == "double" ? cppDouble : cppFloat;
            Console.WriteLine(FormattableString.Invariant($"| C# {r.Name} | {r.Precision} | {r.Oversample} | {r.Rtf:F0}× | {(cpp > 0 ? $"{r.Rtf / cpp:F2}" : "n/a")} |"));
        }
        foreach (var r in reference)
            Console.WriteLine(FormattableString.Invariant($"| {(r.Impl == "cpp" ? "C++ g++ -O3 -march=native (two-step)" : "NumPy (two-step)")} | {r.Precision} | 1 | {r.Rtf:F1}× | {(r.Impl == "cpp" ? "1.00" : $"{r.Rtf / (r.Precision == "double" ? cppDouble : cppFloat):F4}")} |"));

        DatasetThroughput();
        return 0;
    }

    private static double Measure<T>(ModalSystem system, Excitation excitation, Integrator integrator, double rate, int oversample, double seconds, int repeats)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = (int)(seconds * rate);
        var q0 = new double[system.Modes]; var v0 = new double[system.Modes];
        excitation.InitialState(system, q0, v0);
        var q0t = q0.Select(T.CreateTruncating).ToArray(); var v0t = v0.Select(T.CreateTruncating).ToArray();
        var pickup = system.Basis.DisplacementWeights(new Location(0.82 * 0.65)).Select(T.CreateTruncating).ToArray();
        var output = new T[steps / oversample + 1];
        var times = new List<double>();
        T checksum = T.Zero;
        for (int r = 0; r <= repeats; r++)   // run 0 warms up the JIT
        {
            var stepper = integrator.CreateStepper<T>(system, 1 / rate, forced: false);
            var clock = Stopwatch.StartNew();
            stepper.Start(q0t, v0t);
            for (int n = 0, k = 0; n < steps; n++)
            {
                stepper.Advance();
                if (n % oversample == 0) output[k++] = System.Numerics.Tensors.TensorPrimitives.Dot<T>(stepper.Displacement, pickup);
            }
            clock.Stop();
            if (r > 0) times.Add(clock.Elapsed.TotalSeconds);
            checksum = output.Aggregate(T.Zero, (a, b) => a + b);
        }
        if (!T.IsFinite(checksum)) throw new InvalidOperationException($"{integrator.Name} diverged in the benchmark");
        times.Sort();
        return steps / rate / times[times.Count / 2];
    }

    private readonly record struct ReferenceRow(string Impl, string Precision, double Rtf);

    private static List<ReferenceRow> RunReferences(int modes, double fs, double seconds, int repeats)
    {
        string? script = FindUp(Path.Combine("benchmarks", "ref", "run.sh"));
        if (script is null)
        {
            Console.Error.WriteLine("benchmarks/ref/run.sh not found (run from the repository): references skipped");
            return [];
        }
        var info = new ProcessStartInfo("bash", [script, "--modes", $"{modes}", "--fs", fs.ToString(CultureInfo.InvariantCulture),
            "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--repeats", $"{repeats}"]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Console.Error.WriteLine($"reference script exited with {process.ExitCode}; its rows may be missing");
        var rows = new List<ReferenceRow>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.TrimStart().StartsWith('{')) continue;
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            rows.Add(new(root.GetProperty("impl").GetString()!, root.GetProperty("precision").GetString()!, root.GetProperty("rtf").GetDouble()));
        }
        return rows;
    }

    private static void DatasetThroughput()
    {
        var config = DatasetPresets.StringBenchmark;
        DatasetGenerator.Generate(config, 4, 1, DatasetShard.Whole);   // warm-up
        var clock = Stopwatch.StartNew();
        var data = DatasetGenerator.Generate(config, 100, 1, DatasetShard.Whole);
        double elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"dataset string-benchmark: 100 × {config.Duration:G3} s, {data.Modes} modes, {Environment.ProcessorCount} threads: {elapsed:F2} s = {100 * config.Duration / elapsed:F0}× real time (aggregate)"));
    }

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }
}
