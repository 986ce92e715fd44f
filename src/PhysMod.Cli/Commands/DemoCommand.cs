using System.CommandLine;
using System.Diagnostics;
using PhysMod.Audio;
using PhysMod.Learning.Comparison;
using PhysMod.Learning.Models;
using PhysMod.Learning.NeuralOde;
using PhysMod.Learning.Pinn;
using PhysMod.Learning.Training;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Simulation;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod demo</c>: the README's main job: a plucked nonlinear string (WAV and plots, next to its linear twin), the
/// string-benchmark dataset with the size of its nonlinear effect, and the comparison of every registered family on it (quick
/// presets, one seed), ending with the path of report.html.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var count = new Option<int>("--count") { Description = "trajectories in the benchmark dataset", DefaultValueFactory = _ => 100 };
        var families = new Option<string>("--families") { Description = $"comma-separated families to compare (default: {string.Join(",", DefaultFamilies)}, the ones whose quick presets fit the demo's 10-minute budget on 2 cores; all: {string.Join(",", ModelFamilies.All.Select(f => f.Name))})" };
        var command = new Command("demo", "Run the main job: simulate a plucked nonlinear string (WAV, plots), generate the string-benchmark dataset, train and compare the DMD, SSM, Koopman and FNO families on it (quick presets, one seed; --families for others) and print the path of report.html. Interrupted? The same command resumes without retraining finished runs.");
        command.Options.Add(output);
        command.Options.Add(count);
        command.Options.Add(families);
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(families) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ModelFamilies.Find).ToArray()
                : DefaultFamilies.Select(ModelFamilies.Find).ToArray();
            return Run(parse.GetRequiredValue(output), parse.GetValue(count), chosen);
        });
        return command;
    }

    /// <summary>Families the demo compares unless told otherwise: the recurrent operators' quick presets (fno-ar, frnn, fgru)
    /// take 15+ minutes each on 2 cores and are left to <c>--families</c> or <c>physmod compare</c>.</summary>
    public static IReadOnlyList<string> DefaultFamilies { get; } = ["dmd", "modal-dmd", "ssm", "koopman", "fno"];

    private static int Run(string folder, int count, IReadOnlyList<IModelFamily> families)
    {
        DatasetGenerator.CheckCount(count);     // before anything is written
        var clock = Stopwatch.StartNew();
        Console.Error.WriteLine("1/4 plucked string, tension-modulated and linear (nylon B, 10 mm pluck, 48 kHz, 2 s)");
        var system = PhysicalSystem.Resolve("string", "nylon-b", []);
        var settings = new SimulationSettings(48000, 2, system.FromFractions(0.82, 0), GridPoints: 101, FieldFrames: 2400).Validate();
        int modes = system.AutoModes(48000, 101);
        var pluck = new TriangularPluck(0.01, 0.18 * 0.65);
        var nonlinear = new SimulationRequest(system, system.Build(modes, true), pluck, Integrator.Conservative, settings);
        var linear = nonlinear with { Modal = system.Build(modes, false) };
        var nonlinearResult = Simulator.Run(nonlinear.Modal, pluck, nonlinear.Integrator, settings);
        var linearResult = Simulator.Run(linear.Modal, pluck, linear.Integrator, settings);
        var written = new List<string>();
        written.AddRange(SimulateCommand.Write(Path.Combine(folder, "string-nonlinear"), nonlinear, nonlinearResult, WavSampleFormat.Float32));
        written.AddRange(SimulateCommand.Write(Path.Combine(folder, "string-linear"), linear, linearResult, WavSampleFormat.Float32));
        int shown = (int)(0.03 * 48000);
        string comparison = Path.Combine(folder, "string-linear-vs-nonlinear.png");
        Plots.Waveform(comparison, [("tension-modulated", nonlinearResult.PickupDisplacement[..shown]), ("linear", linearResult.PickupDisplacement[..shown])],
            48000, "pickup displacement, first 30 ms: the tension-modulated string starts sharp and glides down", "w (m)");
        written.Add(Path.GetFullPath(comparison));

        Console.Error.WriteLine($"2/4 dataset string-benchmark ({count} trajectories) and its linear twin");
        string data = Path.Combine(folder, "string-benchmark.safetensors");
        written.Add(DatasetCommand.Generate(DatasetPresets.StringBenchmark, count, 0, DatasetShard.Whole, data));
        var twin = DatasetGenerator.Generate(DatasetPresets.StringBenchmark with { TensionModulation = false }, count, 0, DatasetShard.Whole);
        float[] fields;
        using (var main = PhysMod.Physics.IO.SafetensorsFile.Open(data)) fields = main.ReadSingle("fields");
        int frameSize = twin.GridPoints * 2;
        foreach (int frames in new[] { 100, twin.FieldFrames })
            Console.Error.WriteLine(FormattableString.Invariant(
                $"nonlinear vs linear displacement field, relative L2 over the first {frames} frames: {RelativeL2(fields, twin.Fields, twin.FieldFrames * frameSize, frames * frameSize):F4}"));
        foreach (var file in written) Console.WriteLine(file);

        Console.Error.WriteLine("3/4 the families with their own task: PINN inverse problem (damped oscillator) and neural ODE (tutorial string)");
        foreach (var file in RunOwnTasks(folder, Path.Combine(folder, "compare", ComparisonRunner.OwnTasksFolderName))) Console.WriteLine(file);

        Console.Error.WriteLine($"4/4 compare {string.Join(", ", families.Select(f => f.Name))} on it (quick presets, 1 seed)");
        var options = new ComparisonOptions
        {
            DataPath = data, OutputFolder = Path.Combine(folder, "compare"), Families = families, Preset = "quick", Seeds = 1,
            VoiceFactory = RunVoiceFactory.ForComparison,
        };
        int code = CompareCommand.Run(options, out _);
        if (code == 0)
            Console.Error.WriteLine(FormattableString.Invariant($"demo done in {clock.Elapsed.TotalSeconds:F0} s; open the report (last line) in a browser"));
        return code;
    }

    /// <summary>The own-task runs of the demo: the PINN inverse problem with the data weight that reaches its targets
    /// (σ₂, ω₀ within 1 %) and the tutorial's neural ODE with 256 windows and a learning rate that recovers all three parameters
    /// (both ≈ 40 s on one thread). Each writes its folder and a copy of its own-task.json into <paramref name="ownTasks"/>;
    /// a run whose own-task.json already records the same command is reused.</summary>
    private static IEnumerable<string> RunOwnTasks(string folder, string ownTasks)
    {
        int threads = TorchSharp.torch.get_num_threads();
        var pinn = new OscillatorPinnConfig { DataWeight = 1, Epochs = 3000 };
        var node = NodeConfig.Resolve("tutorial", ["windows=256", "learning_rate=0.02", "audio_seconds=0.5", "intensity_note_seconds=0.25"]);
        var tasks = new (string Name, string Command, Func<string, IEnumerable<string>> Run)[]
        {
            ("pinn-inverse", SettingsDifference.Command("physmod pinn inverse", pinn, new OscillatorPinnConfig()),
             output => { TorchSharp.torch.set_num_threads(1); return PinnCommand.RunOscillator(pinn, PinnProblem.Inverse, output); }),
            ("node-tutorial", SettingsDifference.Command("physmod train node --config tutorial", node, NodeConfig.Preset("tutorial")),
             output => TrainCommand.RunNodeExperiment(node, output)),
        };
        var written = new List<string>();
        try
        {
            foreach (var (name, command, run) in tasks)
            {
                string output = Path.Combine(folder, name), result = Path.Combine(output, OwnTaskResult.FileName);
                if (File.Exists(result) && OwnTaskResult.Read(result).Command == command)
                    Console.Error.WriteLine($"{name}: reusing {output} ({command})");
                else
                    written.AddRange(run(output));
                string copy = Path.Combine(ownTasks, name + ".json");
                Directory.CreateDirectory(ownTasks);
                PhysMod.Physics.IO.AtomicFile.WriteText(copy, File.ReadAllText(result));
                written.Add(Path.GetFullPath(copy));
            }
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);     // the comparison trains on every core again
        }
        return written;
    }

    // ‖a − b‖ / ‖b‖ of the displacement channel (even entries) over the leading `used` values of each trajectory block of size `block`.
    private static double RelativeL2(float[] a, float[] b, int block, int used)
    {
        double difference = 0, reference = 0;
        for (int start = 0; start < a.Length; start += block)
            for (int i = start; i < start + used; i += 2)
            {
                double d = a[i] - b[i];
                difference += d * d;
                reference += (double)b[i] * b[i];
            }
        return Math.Sqrt(difference / reference);
    }
}
