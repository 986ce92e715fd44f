using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PhysMod.Audio;
using PhysMod.Physics;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Simulation;
using PhysMod.Realtime;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod render RUN|&lt;system&gt;</c>: plays a simulator voice (or a trained run's voice) through the real-time
/// engine, block by block as an audio host would, and writes the result as a WAV file.</summary>
public static class RenderCommand
{
    /// <summary>Samples per <see cref="IVoice.Process"/> call unless <c>--block</c> says otherwise.</summary>
    public const int DefaultBlock = 512;

    /// <summary>Builds the command. <paramref name="runVoiceFactory"/> turns a run folder (a directory with config.json) and
    /// the settings into a voice; it is the one place where trained-model voices plug in (Program.cs passes it).</summary>
    public static Command Create(Func<string, RenderSettings, IVoice>? runVoiceFactory = null)
    {
        var options = new SystemOptions();
        options.System.Description = "string, plate, membrane or oscillator, or a trained run folder (a directory with config.json)";
        var output = new Option<string>("--out") { Description = "output WAV file", Required = true };
        var signal = new Option<string>("--signal") { Description = "velocity (default for systems) or displacement (default and only choice for trained runs) at the pickup" };
        var block = new Option<int?>("--block") { Description = $"samples per Process call (default {DefaultBlock})" };
        var pcm16 = new Option<bool>("--pcm16") { Description = "write 16-bit PCM WAV instead of 32-bit float" };
        var raw = new Option<bool>("--no-normalise") { Description = "keep physical units (m or m/s) instead of scaling the peak to 0.95" };
        var command = new Command("render", "Render a simulator (or a trained run) through the real-time engine to a WAV file.");
        options.AddTo(command);
        foreach (Option o in new Option[] { output, signal, block, pcm16, raw }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            string source = parse.GetRequiredValue(options.System);
            string path = parse.GetRequiredValue(output);
            int blockSize = parse.GetValue(block) ?? DefaultBlock;
            if (blockSize < 1 || blockSize > 1 << 20) throw new InvalidSettingException($"block = {blockSize}: must be between 1 and 1048576 samples");
            string? signalText = parse.GetValue(signal);
            var pickupSignal = ParseSignal(signalText ?? (Directory.Exists(source) ? "displacement" : "velocity"));
            IVoice voice;
            double duration;
            string description;
            if (Directory.Exists(source))
            {
                RejectSimulatorOptions(parse, options, source);
                if (!File.Exists(Path.Combine(source, "config.json")))
                    throw new InvalidSettingException($"'{source}' is a folder without config.json: render takes a trained run folder or a system ({string.Join(", ", PhysicalSystem.Kinds)})");
                var settings = new RenderSettings(parse.GetValue(options.SampleRate), parse.GetValue(options.Duration) ?? 2,
                    parse.GetValue(options.Excite), pickupSignal).Validate();
                if (runVoiceFactory is null)
                    throw new InvalidSettingException(
                        $"'{source}' is a run folder, but no model-voice factory is wired into this build's render command (RenderCommand.Create(runVoiceFactory) in Program.cs)");
                voice = runVoiceFactory(source, settings);
                duration = settings.Duration;
                description = $"run {source}";
            }
            else
            {
                if (!PhysicalSystem.Kinds.Contains(source))
                    throw new InvalidSettingException($"'{source}' is neither a system ({string.Join(", ", PhysicalSystem.Kinds)}) nor a run folder");
                if (parse.GetValue(options.Integrator) is { } name && Integrator.Parse(name) != Integrator.Conservative)
                    throw new InvalidSettingException($"integrator {name}: render plays the conservative scheme (exact when linear, stable at any amplitude) only");
                if (parse.GetValue(options.Oversample) is { } m && m != 1)
                    throw new InvalidSettingException($"oversample = {m}: render runs one step per output sample (modes near or above Nyquist are silenced); use a higher --fs");
                var request = SimulationRequest.From(parse, options);
                var modal = new ModalVoice(request.Modal, request.Settings.SampleRate, request.Settings.Pickup, pickupSignal, request.Excitation);
                voice = modal;
                duration = request.Settings.Duration;
                description = $"{request.System.Kind} ({request.System.Preset}, {modal.ActiveModes}/{modal.Modes} modes, " +
                              $"{(request.Modal.Nonlinearity is null ? "linear" : "tension-modulated")}, {request.Excitation.Describe()})";
            }
            int rate = (int)Math.Round(voice.SampleRate);
            long frames = (long)Math.Round(duration * voice.SampleRate);
            if (frames < 1 || frames > 100_000_000)
                throw new InvalidSettingException($"duration = {duration:G6} s at {voice.SampleRate:G6} Hz gives {frames} samples: must be between 1 and 1e8");
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null) Directory.CreateDirectory(folder);
            var samples = new float[frames];
            var progress = new ConsoleProgress("render");
            var clock = Stopwatch.StartNew();
            for (int start = 0; start < frames; start += blockSize)
            {
                voice.Process(samples.AsSpan(start, (int)Math.Min(blockSize, frames - start)));
                if ((start / blockSize & 255) == 0) progress.Report((double)start / frames);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            progress.Report(1);
            if (Array.FindIndex(samples, v => !float.IsFinite(v)) is var bad and >= 0)
                throw new InvalidSettingException($"render produced a non-finite sample at {bad / voice.SampleRate:G6} s");
            WavFile.Write(path, samples, rate, parse.GetValue(pcm16) ? WavSampleFormat.Pcm16 : WavSampleFormat.Float32,
                peakNormalise: parse.GetValue(raw) ? 0 : 0.95);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"render: {description}: {frames / voice.SampleRate:G6} s at {rate} Hz in blocks of {blockSize} took {seconds:F3} s ({frames / voice.SampleRate / seconds:F0}× real time)"));
            Console.WriteLine(Path.GetFullPath(path));
            return 0;
        });
        return command;
    }

    private static PickupSignal ParseSignal(string? text) => (text ?? "velocity").Trim().ToLowerInvariant() switch
    {
        "velocity" => PickupSignal.Velocity,
        "displacement" => PickupSignal.Displacement,
        _ => throw new InvalidSettingException($"signal '{text}': allowed are velocity, displacement"),
    };

    // Options that shape a simulator make no sense for a trained run: refuse them rather than ignore them.
    private static void RejectSimulatorOptions(ParseResult parse, SystemOptions options, string source)
    {
        foreach (var (option, given) in new (Option Option, bool Given)[]
                 {
                     (options.Preset, parse.GetValue(options.Preset) is not null), (options.Set, parse.GetValue(options.Set) is { Length: > 0 }),
                     (options.Integrator, parse.GetValue(options.Integrator) is not null), (options.Modes, parse.GetValue(options.Modes) is not null),
                     (options.Pickup, parse.GetValue(options.Pickup) is not null), (options.Grid, parse.GetValue(options.Grid) is not null),
                     (options.Oversample, parse.GetValue(options.Oversample) is not null), (options.Linear, parse.GetValue(options.Linear)),
                 })
            if (given) throw new InvalidSettingException($"{option.Name} applies to simulator systems, not to the run folder '{source}'");
    }
}
