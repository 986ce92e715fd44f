using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Estimation;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.IO;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod estimate</c>: fits a string's T0, d1, d3 (and L) to a recorded pluck by differentiable modal synthesis.</summary>
public static class EstimateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var audio = new Option<string>("--audio") { Description = "mono WAV (PCM 16/24/32 or float) of a plucked string", Required = true };
        var system = new Option<string>("--system") { Description = "physical system: string", Required = true };
        var fit = new Option<string>("--fit") { Description = "parameters to fit, comma-separated: T0,d1,d3[,L]", Required = true };
        var loss = new Option<string>("--loss") { Description = "mrstft (default), logmag or mse" };
        var starts = new Option<int?>("--starts") { Description = "independent starts, the best wins (default 4)" };
        var steps = new Option<int?>("--steps") { Description = "Adam updates per start (default 400)" };
        var rate = new Option<double?>("--lr") { Description = "peak Adam learning rate on log(p/p_start) (default 0.05)" };
        var seed = new Option<long?>("--seed") { Description = "seed of the random starts (default 0)" };
        var threads = new Option<int?>("--threads") { Description = "torch threads (default 1)" };
        var preset = new Option<string>("--preset") { Description = "string preset for the known parameters (A, I, rho, E) and starting values: nylon-b|guitar-d|bass|piano" };
        var set = new Option<string[]>("--set") { Description = "override a known parameter, e.g. --set L=0.65", AllowMultipleArgumentsPerToken = false };
        var excite = new Option<string>("--excite") { Description = "the pluck, as in simulate: pluck[:x=METRES] (default x = 0.18·L; the height is fitted as a gain)" };
        var pickup = new Option<string>("--pickup") { Description = "pickup position in metres (default 0.82·L)" };
        var modes = new Option<int?>("--modes") { Description = "modes synthesised (default: as simulate, all below 0.45·fs, at most 100)" };
        var duration = new Option<double?>("--duration") { Description = "seconds of the recording analysed from its start (default: up to 1 s)" };
        var signal = new Option<string>("--signal") { Description = "what the recording is: velocity (default, as simulate's string.wav) or displacement" };
        var output = new Option<string>("--out") { Description = "output folder (default out/estimate)" };
        var command = new Command("estimate", "Estimate physical parameters of a string from a recording (differentiable modal synthesis, multistart).");
        foreach (Option option in new Option[] { audio, system, fit, loss, starts, steps, rate, seed, threads, preset, set, excite, pickup, modes, duration, signal, output })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            string kind = parse.GetRequiredValue(system);
            if (kind != "string") throw new InvalidSettingException($"--system '{kind}': estimation is implemented for string only");
            var settings = new EstimationSettings(
                parse.GetRequiredValue(fit).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                parse.GetValue(loss) ?? "mrstft", parse.GetValue(starts) ?? 4, parse.GetValue(steps) ?? 400, parse.GetValue(rate) ?? 0.05,
                parse.GetValue(seed) ?? 0, parse.GetValue(threads) ?? 1).Validate();
            string kindOfSignal = parse.GetValue(signal) ?? "velocity";
            if (kindOfSignal is not ("velocity" or "displacement")) throw new InvalidSettingException($"--signal '{kindOfSignal}': allowed are velocity, displacement");
            var physical = PhysicalSystem.Resolve(kind, parse.GetValue(preset) ?? "", SystemOptions.ParseOverrides(parse.GetValue(set)));
            var parameters = (StringParameters)physical.Parameters;
            string path = parse.GetRequiredValue(audio);
            var recording = WavFile.Read(path);
            double seconds = parse.GetValue(duration) ?? Math.Min(1.0, recording.DurationSeconds);
            InvalidSettingException.RequirePositive("--duration", seconds, "s");
            int frames = (int)Math.Round(seconds * recording.SampleRate);
            if (frames > recording.Samples.Length)
                throw new InvalidSettingException($"--duration {seconds:G4} s: '{path}' is only {recording.DurationSeconds:G4} s long");
            if (frames < 256) throw new InvalidSettingException($"--duration {seconds:G4} s gives {frames} samples: need at least 256");
            int modeCount = parse.GetValue(modes) ?? physical.AutoModes(recording.SampleRate, 101);
            var modal = physical.Build(modeCount, tensionModulation: false);
            var excitation = SystemOptions.ParseExcitation(parse.GetValue(excite), physical, modal.Basis);
            if (excitation is not TriangularPluck pluck) throw new InvalidSettingException($"--excite '{parse.GetValue(excite)}': estimation supports pluck only");
            var pickupAt = parse.GetValue(pickup) is { } text ? SystemOptions.ParseLocation("pickup", text) : physical.FromFractions(0.82, 0.37);
            modal.Basis.ValidateInside("pickup", pickupAt);
            string folder = parse.GetValue(output) ?? Path.Combine("out", "estimate");
            new OutputStaging(folder).Dispose();

            var synth = new StringSynthesizer(parameters, modeCount, pluck.Position, pickupAt.X, recording.SampleRate, frames, kindOfSignal == "velocity");
            var target = recording.Samples[..frames];
            var result = StringEstimator.Fit(synth, target, settings, line => Console.Error.WriteLine($"estimate: {line}"));
            foreach (var (name, value) in result.Names.Zip(result.Values))
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"estimate: {name} = {value:G6} (start {result.StartValues[result.Names.ToList().IndexOf(name)]:G6})"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"estimate: loss {result.Loss:G5} ({settings.Loss}); {result.IterationsPerSecond:F1} updates/s"));

            using var staging = new OutputStaging(folder);
            var report = new
            {
                audio = Path.GetFullPath(path), system = kind, preset = physical.Preset, loss = settings.Loss, starts = settings.Starts, steps = settings.Steps,
                learning_rate = settings.LearningRate, seed = settings.Seed, modes = modeCount, sample_rate = recording.SampleRate, seconds,
                signal = kindOfSignal, pluck_position = pluck.Position, pickup = pickupAt.X,
                fitted = result.Names.Select((n, k) => new { name = n, value = result.Values[k], start = result.StartValues[k], unit = Unit(n) }),
                known = parameters.Describe().Where(p => !result.Names.Contains(p.Name)).Select(p => new { name = p.Name, value = p.Value, unit = p.Unit }),
                final_loss = result.Loss, updates_per_second = result.IterationsPerSecond,
                all_starts = result.StartResults.Select(r => new { values = r.Values, loss = r.Loss }),
            };
            AtomicFile.WriteText(staging.File("estimate.json"), JsonSerializer.Serialize(report, TrainingJson.Options) + "\n");
            WavFile.Write(staging.File("resynthesis.wav"), result.Resynthesis.Select(x => (float)x).ToArray(), recording.SampleRate, WavSampleFormat.Float32, 0.95);
            var updates = Enumerable.Range(1, result.LossHistory.Count).Select(i => (double)i).ToArray();
            Plots.LossCurves(staging.File("loss.png"), [(settings.Loss, updates, result.LossHistory.ToArray())], "estimate: loss of the best start", "log10 loss");
            Plots.LossCurves(staging.File("parameters.png"),
                result.Names.Select((n, k) => ($"|{n} / {n}_final − 1|", updates, result.ValueHistory.Select(v => Math.Abs(v[k] / result.Values[k] - 1)).ToArray())).ToList(),
                "estimate: parameter trajectories of the best start", "log10 relative distance to the final value");
            int shown = Math.Min(frames, (int)(0.05 * recording.SampleRate));
            Plots.Waveform(staging.File("waveform.png"), [("recording", target[..shown].Select(x => (double)x).ToArray()), ("resynthesis", result.Resynthesis[..shown])],
                recording.SampleRate, "estimate: first 50 ms", "amplitude");
            foreach (var file in staging.Commit()) Console.WriteLine(file);
            return 0;
        });
        return command;
    }

    private static string Unit(string name) => name switch { "T0" => "N", "d1" => "kg/(m s)", "d3" => "kg m/s", _ => "m" };
}
