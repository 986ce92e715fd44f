using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Pinn;
using PhysMod.Learning.Training;
using PhysMod.Physics;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod pinn forward|inverse|string</c>: trains a physics-informed network (spec §4) and writes results.json,
/// figures and loss curves.</summary>
public static class PinnCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("pinn", "Physics-informed neural networks: the damped oscillator (forward, inverse) and the linear string PDE.");
        command.Subcommands.Add(Oscillator("forward", PinnProblem.Forward,
            "Damped oscillator, known σ₂ and ω₀: fit q(t) to the initial conditions and the ODE residual alone; compare with the analytic solution."));
        command.Subcommands.Add(Oscillator("inverse", PinnProblem.Inverse,
            "Damped oscillator, unknown σ₂ and ω₀: learn them and q(t) from 34 points in the first third, the initial conditions and the residual. Defaults are the tutorial's (σ₂ ends 7 % off after 10,000 steps); --set data_weight=1 --epochs 3000 reaches σ₂ and ω₀ within 1 %."));
        command.Subcommands.Add(StringVerb());
        return command;
    }

    private static (Option<int?> Epochs, Option<long?> Seed, Option<int> Threads, Option<string> Out, Option<string[]> Set) Common(Command command, string epochsDefault)
    {
        var set = new Option<string[]>("--set") { Description = "override one setting KEY=VALUE (snake_case as in results.json \"config\", repeatable), e.g. --set data_weight=1", AllowMultipleArgumentsPerToken = false };
        var epochs = new Option<int?>("--epochs") { Description = $"training steps (default {epochsDefault})" };
        var seed = new Option<long?>("--seed") { Description = "seed of the initial weights, features and collocation draws" };
        var threads = new Option<int>("--threads") { Description = "torch threads", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "output folder", Required = true };
        foreach (Option option in new Option[] { epochs, seed, threads, output, set }) command.Options.Add(option);
        return (epochs, seed, threads, output, set);
    }

    private static Command Oscillator(string name, PinnProblem problem, string description)
    {
        var command = new Command(name, description);
        var defaults = new OscillatorPinnConfig();
        var (epochs, seed, threads, output, set) = Common(command, defaults.Epochs.ToString(CultureInfo.InvariantCulture));
        var float64 = new Option<bool>("--float64") { Description = "train in float64 (default float32, as the tutorial)" };
        command.Options.Add(float64);
        command.SetAction(parse =>
        {
            var start = PinnSettings.Apply(defaults, parse.GetValue(set) ?? []);
            var config = start with
            {
                Epochs = parse.GetValue(epochs) ?? start.Epochs,
                Seed = parse.GetValue(seed) ?? start.Seed,
                Float64 = parse.GetValue(float64) || start.Float64,
            };
            config.Validate();
            SetThreads(parse.GetValue(threads));
            foreach (var file in RunOscillator(config, problem, parse.GetRequiredValue(output))) Console.WriteLine(file);
            return 0;
        });
        return command;
    }

    /// <summary>Trains the oscillator PINN for <paramref name="problem"/> into <paramref name="folder"/> (results.json,
    /// own-task.json, figures; written atomically), prints its summary lines and returns the files written.</summary>
    public static IReadOnlyList<string> RunOscillator(OscillatorPinnConfig config, PinnProblem problem, string folder)
    {
        string name = problem.ToString().ToLowerInvariant();
        using var staging = new OutputStaging(folder);
        var progress = new ConsoleProgress($"pinn {name}");
        var result = OscillatorPinn.Train(config, problem, e => progress.Report((e.Step + 1.0) / config.Epochs,
            FormattableString.Invariant($"loss {e.Total:E3} σ₂ {e.Terms["sigma2"]:F4} ω₀ {e.Terms["omega0"]:F4}")));
        WriteOscillator(result, staging);
        var files = staging.Commit();
        Console.WriteLine(FormattableString.Invariant(
            $"pinn {name}: σ₂ = {result.Sigma2:F4} (true {config.Sigma2}, error {100 * result.Sigma2RelativeError:F3} %), ω₀ = {result.Omega0:F4} (true {config.Omega0}, error {100 * result.Omega0RelativeError:F3} %)"));
        Console.WriteLine(FormattableString.Invariant(
            $"pinn {name}: trajectory relative RMS {result.RelativeRms:E3} over {config.Samples / config.SampleRate:G4} s ({result.RelativeRmsFirstThird:E3} over the first third); {config.Epochs} steps in {result.WallSeconds:F1} s wall, {result.CpuSeconds:F1} s CPU"));
        return files;
    }

    private static void SetThreads(int threads)
    {
        if (threads < 1 || threads > 256) throw new InvalidSettingException($"threads = {threads}: must be between 1 and 256");
        TorchSharp.torch.set_num_threads(threads);
    }

    private static void WriteJson(string path, object value) =>
        Physics.IO.AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, value, TrainingJson.Options));

    private static void WriteOscillator(OscillatorPinnResult r, OutputStaging staging)
    {
        var c = r.Config;
        bool inverse = r.Problem == PinnProblem.Inverse;
        PhysMod.Learning.Comparison.OwnTaskResult.Write(staging.File(PhysMod.Learning.Comparison.OwnTaskResult.FileName), "pinn",
            inverse ? "damped oscillator, inverse (σ₂, ω₀ from 34 points in the first third)" : "damped oscillator, forward",
            [("σ₂ error (%)", inverse ? 100 * r.Sigma2RelativeError : null), ("ω₀ error (%)", inverse ? 100 * r.Omega0RelativeError : null),
             ("trajectory rel. RMS (1 s)", r.RelativeRms), ("steps", c.Epochs), ("train time (s)", r.WallSeconds), ("CPU time (s)", r.CpuSeconds)],
            command: SettingsDifference.Command($"physmod pinn {(inverse ? "inverse" : "forward")}", c, new OscillatorPinnConfig()));
        WriteJson(staging.File("results.json"), new
        {
            problem = r.Problem.ToString().ToLowerInvariant(),
            config = c,
            truth = new { sigma2 = c.Sigma2, omega0 = c.Omega0, q0 = c.Q0, v0 = c.V0 },
            learned = new { sigma2 = r.Sigma2, omega0 = r.Omega0 },
            sigma2_relative_error = r.Sigma2RelativeError,
            omega0_relative_error = r.Omega0RelativeError,
            trajectory_relative_rms = r.RelativeRms,
            trajectory_relative_rms_first_third = r.RelativeRmsFirstThird,
            final_loss = r.FinalLoss,
            data_points = r.DataTimes.Length,
            wall_seconds = r.WallSeconds,
            cpu_seconds = r.CpuSeconds,
            torch_threads = TorchSharp.torch.get_num_threads(),
            log = r.Log.Select(e => new { step = e.Step, total = e.Total, terms = e.Terms }),
            times = r.Times,
            truth_trajectory = r.Truth,
            prediction = r.Prediction,
        });

        double[] steps = r.Log.Select(e => (double)e.Step).ToArray();
        double[] Term(string key) => r.Log.Select(e => e.Terms[key]).ToArray();
        var trajectory = new List<PlotSeries>
        {
            new("true", r.Times, r.Truth),
            new("initial network", r.Times, r.Initial, PlotSeriesStyle.Dashed),
            new("PINN", r.Times, r.Prediction),
        };
        if (inverse) trajectory.Add(new PlotSeries("data", r.DataTimes, r.DataValues, PlotSeriesStyle.Markers));
        var losses = new List<PlotSeries>
        {
            new("total", steps, r.Log.Select(e => e.Total).ToArray()),
            new("weighted residual", steps, Term("physics")),
            new("initial conditions", steps, r.Log.Select(e => e.Terms["initial_displacement"] + e.Terms["initial_velocity"]).ToArray()),
        };
        if (inverse) losses.Insert(1, new PlotSeries("data (weighted)", steps, Term("data")));
        string title = FormattableString.Invariant(
            $"{r.Problem.ToString().ToLowerInvariant()} PINN: σ₂ = {r.Sigma2:F3} (true {c.Sigma2}), ω₀ = {r.Omega0:F3} (true {c.Omega0}), relative RMS {r.RelativeRms:E2}");
        var third = new PlotPanel[]
        {
            inverse
                ? new PlotPanel("learned parameters (dashed: true)", "update", "value",
                [
                    new("σ₂", steps, Term("sigma2")), new("ω₀", steps, Term("omega0")),
                    new("true σ₂", [0, steps[^1]], [c.Sigma2, c.Sigma2], PlotSeriesStyle.Dashed), new("true ω₀", [0, steps[^1]], [c.Omega0, c.Omega0], PlotSeriesStyle.Dashed),
                ])
                : new PlotPanel("pointwise error |q̂ − q|", "time (s)", "error", [new("|q̂ − q|", r.Times, r.Times.Select((_, i) => Math.Abs(r.Prediction[i] - r.Truth[i])).ToArray())], LogY: true),
        };
        PanelFigure.Save(staging.File("pinn_results.png"),
        [
            new PlotPanel(title, "time (s)", "q", trajectory, VerticalLines: inverse ? [c.Samples / 3 / c.SampleRate] : null),
            new PlotPanel("losses", "update", "loss", losses, LogY: true),
            third[0],
        ]);
        Plots.LossCurves(staging.File("loss_curves.png"),
            losses.Select(s => (s.Name, s.X, s.Y)).Concat([("initial displacement", steps, Term("initial_displacement")), ("initial velocity", steps, Term("initial_velocity"))]).ToList(),
            $"PINN {r.Problem.ToString().ToLowerInvariant()}: loss terms");
    }

    private static Command StringVerb()
    {
        var command = new Command("string",
            "Linear string PDE ρA u_tt + d1 u_t − T0 u_xx = 0 (nylon B string without stiffness and d3), released from a Gaussian: initial, boundary and residual losses; compared with the exact modal solution.");
        var defaults = new StringPinnConfig();
        var (epochs, seed, threads, output, set) = Common(command, defaults.Epochs.ToString(CultureInfo.InvariantCulture));
        var duration = new Option<double?>("--duration") { Description = $"simulated window T in seconds (default {defaults.Duration.ToString(CultureInfo.InvariantCulture)})" };
        var float64 = new Option<bool>("--float64") { Description = "train in float64 (default float32)" };
        command.Options.Add(duration);
        command.Options.Add(float64);
        command.SetAction(parse =>
        {
            var start = PinnSettings.Apply(defaults, parse.GetValue(set) ?? []);
            var config = start with
            {
                Epochs = parse.GetValue(epochs) ?? start.Epochs,
                Seed = parse.GetValue(seed) ?? start.Seed,
                Duration = parse.GetValue(duration) ?? start.Duration,
                Float64 = parse.GetValue(float64) || start.Float64,
            };
            config.Validate();
            SetThreads(parse.GetValue(threads));
            using var staging = new OutputStaging(parse.GetRequiredValue(output));
            var progress = new ConsoleProgress("pinn string");
            var result = StringPinn.Train(config, e => progress.Report((e.Step + 1.0) / config.Epochs, FormattableString.Invariant($"loss {e.Total:E3}")));
            WriteString(result, staging);
            var files = staging.Commit();
            Console.WriteLine(FormattableString.Invariant(
                $"pinn string: relative L2 error vs the modal solution {result.RelativeL2:E3} over {config.Duration * 1000:G4} ms (at t = 0: {result.RelativeL2PerFrame[0]:E3}, at the end: {result.RelativeL2PerFrame[^1]:E3}); {config.Epochs} steps in {result.WallSeconds:F1} s wall, {result.CpuSeconds:F1} s CPU"));
            foreach (var file in files) Console.WriteLine(file);
            return 0;
        });
        return command;
    }

    private static void WriteString(StringPinnResult r, OutputStaging staging)
    {
        PhysMod.Learning.Comparison.OwnTaskResult.Write(staging.File(PhysMod.Learning.Comparison.OwnTaskResult.FileName), "pinn",
            "linear string PDE vs the modal solution",
            [("rel. L2 vs modal", r.RelativeL2), ("rel. L2 at the end", r.RelativeL2PerFrame[^1]), ("steps", r.Config.Epochs),
             ("train time (s)", r.WallSeconds), ("CPU time (s)", r.CpuSeconds)],
            command: SettingsDifference.Command("physmod pinn string", r.Config, new StringPinnConfig()));
        var c = r.Config;
        int frames = r.Times.Length, points = r.Positions.Length;
        WriteJson(staging.File("results.json"), new
        {
            problem = "string",
            config = c,
            pde_coefficients = StringPdeCoefficients.From(c.String, c.Duration),
            relative_l2 = r.RelativeL2,
            relative_l2_initial_frame = r.RelativeL2PerFrame[0],
            relative_l2_final_frame = r.RelativeL2PerFrame[^1],
            final_loss = r.FinalLoss,
            wall_seconds = r.WallSeconds,
            cpu_seconds = r.CpuSeconds,
            torch_threads = TorchSharp.torch.get_num_threads(),
            log = r.Log.Select(e => new { step = e.Step, total = e.Total, terms = e.Terms }),
            times = r.Times,
            relative_l2_per_frame = r.RelativeL2PerFrame,
        });
        double frameRate = (frames - 1) / c.Duration;
        float[] Field(double[] values) => values.Select(v => (float)v).ToArray();
        Plots.SpaceTimeHeatmap(staging.File("string_pinn.png"), Field(r.Prediction), frames, points, frameRate, c.String.L,
            FormattableString.Invariant($"string PINN w(x, t) (relative L2 error {r.RelativeL2:E2})"), valueLabel: "displacement (m)");
        Plots.SpaceTimeHeatmap(staging.File("string_modal.png"), Field(r.Reference), frames, points, frameRate, c.String.L,
            $"modal solution w(x, t) ({c.ReferenceModes} modes, exact in time)", valueLabel: "displacement (m)");
        Plots.SpaceTimeHeatmap(staging.File("string_difference.png"), Field(r.Prediction.Select((v, i) => v - r.Reference[i]).ToArray()), frames, points,
            frameRate, c.String.L, "PINN − modal", valueLabel: "displacement (m)");
        double[] steps = r.Log.Select(e => (double)e.Step).ToArray();
        double[] Term(string key) => r.Log.Select(e => e.Terms[key]).ToArray();
        Plots.LossCurves(staging.File("loss_curves.png"),
        [
            ("total", steps, r.Log.Select(e => e.Total).ToArray()), ("residual (weighted)", steps, Term("residual")),
            ("initial displacement", steps, Term("initial_displacement")), ("initial velocity", steps, Term("initial_velocity")),
            ("boundary", steps, Term("boundary")),
        ], "string PINN: loss terms");
        PanelFigure.Save(staging.File("string_error.png"),
        [
            new PlotPanel("relative L2 error of the PINN per frame", "time (ms)", "relative L2",
                [new PlotSeries("PINN vs modal", r.Times.Select(t => t * 1000).ToArray(), r.RelativeL2PerFrame)], LogY: true),
        ]);
    }
}
