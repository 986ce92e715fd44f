using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Realtime;
using PhysMod.Physics.Diagnostics;
using PhysMod.Learning.Benchmarks;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod bench render</c>: the real-time TM string voice against the same float32 update hand-fused in C++
/// (g++ -O3 -march=native), interleaved round by round and timed in thread CPU time, plus voice-bank polyphony.</summary>
public static class RenderBench
{
    private const double PluckHeight = 0.005, PluckFraction = 0.18, PickupFraction = 0.82;

    /// <summary>Builds the <c>render</c> sub-verb of <c>bench</c>.</summary>
    public static Command Create()
    {
        var command = new Command("render", "Real-time voices: TM string (50 modes, 48 kHz, float32) vs the same update in C++ (g++ -O3 -march=native), µs per sample, real-time factor, voices per core; with --models the LRU stack, Koopman, FRNN, FGRU (quick-preset size) and hybrid neural-ODE voices vs TorchSharp.");
        var modes = new Option<int>("--modes") { DefaultValueFactory = _ => 50, Description = "modes" };
        var fs = new Option<double>("--fs") { DefaultValueFactory = _ => 48000, Description = "sample rate (Hz)" };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 10, Description = "audio seconds per timed run" };
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 7, Description = "interleaved rounds (C#, then C++), median and best reported" };
        var block = new Option<int>("--block") { DefaultValueFactory = _ => 256, Description = "samples per Process call" };
        var banks = new Option<int>("--banks") { DefaultValueFactory = _ => 4, Description = "16-voice banks in the polyphony run" };
        var noReference = new Option<bool>("--no-reference") { Description = "skip the C++ reference" };
        var models = new Option<bool>("--models") { Description = "also time the tutorial-size LRU stack and Koopman voices, FRNN/FGRU (width 16, 32 bins; 16 kHz) and the hybrid neural ODE (15 modes, MLP 128 × 4; 44.1 kHz) against TorchSharp one step at a time" };
        foreach (Option o in new Option[] { modes, fs, seconds, rounds, block, banks, noReference, models }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int code = Run(parse.GetValue(modes), parse.GetValue(fs), parse.GetValue(seconds), parse.GetValue(rounds),
                parse.GetValue(block), parse.GetValue(banks), !parse.GetValue(noReference));
            if (code == 0 && parse.GetValue(models))
            {
                Console.WriteLine();
                var rows = PhysMod.Learning.Export.ModelVoiceBenchmark.Run(gridPoints: 101, channels: 2, sampleRate: 16000, voiceSeconds: 2,
                    torchSteps: 2000, repeats: 5, log: line => Console.Error.WriteLine(line),
                    frnnConfig: new PhysMod.Learning.Operators.FrnnModelConfig { NModes = 32, IdentityInit = true },
                    fgruConfig: new PhysMod.Learning.Operators.FgruModelConfig { NModes = 32, UpdateGateBias = -3 }).ToList();
                rows.Add(PhysMod.Learning.Export.ModelVoiceBenchmark.RunHybrid(sampleRate: 44100, modes: 15, width: 128, depth: 4, voiceSeconds: 1,
                    torchSteps: 2000, repeats: 5, log: line => Console.Error.WriteLine(line)));
                Console.Write(PhysMod.Learning.Export.ModelVoiceBenchmark.Format(rows));
            }
            return code;
        });
        return command;
    }

    private readonly record struct Timing(double Wall, double Cpu);

    private static int Run(int modes, double fs, double seconds, int rounds, int block, int banks, bool reference)
    {
        if (modes < 1 || fs <= 0 || seconds <= 0 || rounds < 1 || block < 1 || banks < 1)
            throw new PhysMod.Physics.InvalidSettingException("bench render: modes, fs, seconds, rounds, block and banks must be positive");
        var p = StringParameters.NylonGuitarB;
        var system = ModalSystem.ForString(p, modes, tensionModulation: true);
        var pluck = new TriangularPluck(PluckHeight, PluckFraction * p.L);
        var pickup = new Location(PickupFraction * p.L);
        int samples = (int)Math.Round(seconds * fs);
        string? script = reference ? ReferenceScript.FindUp(Path.Combine("benchmarks", "ref", "run.sh")) : null;
        if (reference && script is null) Console.Error.WriteLine("benchmarks/ref/run.sh not found (run from the repository): C++ reference skipped");
        Console.WriteLine($"TM string voice, nylon B, {modes} modes, {fs:G6} Hz, float32, {seconds:G4} s per run, blocks of {block}, {rounds} interleaved rounds, one thread");

        var single = new List<Timing>(); var cpp = new List<Timing>(); var velocity = new List<Timing>(); var twoStep = new List<Timing>();
        double voiceSumSq = 0, cppSumSq = double.NaN;
        var output = new float[samples];
        for (int round = 0; round <= rounds; round++)          // round 0 warms up the JIT (and builds the C++)
        {
            var voice = new ModalVoice(system, fs, pickup, PickupSignal.Displacement, pluck);
            var t = Time(() => Render(voice, output, block));
            voiceSumSq = output.Sum(v => (double)v * v);
            var vel = Time(() => Render(new ModalVoice(system, fs, pickup, PickupSignal.Velocity, pluck), output, block));
            Timing? c = script is null ? null : RunCpp(script, "conservative", modes, fs, seconds, out cppSumSq);
            Timing? c2 = script is null ? null : RunCpp(script, "two-step", modes, fs, seconds, out _);
            if (round == 0) continue;
            single.Add(t); velocity.Add(vel);
            if (c is { } ct) cpp.Add(ct);
            if (c2 is { } ct2) twoStep.Add(ct2);
        }

        var bankTimes = new List<Timing>();
        int bankSamples = (int)Math.Round(Math.Min(seconds, 2) * fs);
        var bankOutput = new float[bankSamples];
        for (int round = 0; round <= Math.Max(3, rounds / 2); round++)
        {
            var bank = Banks(system, p, modes, fs, banks);
            var t = Time(() =>
            {
                for (int start = 0; start < bankSamples; start += block)
                {
                    var span = bankOutput.AsSpan(start, Math.Min(block, bankSamples - start));
                    foreach (var b in bank) b.Process(span);
                }
            });
            if (round > 0) bankTimes.Add(t);
        }

        double audio = samples / fs, bankAudio = bankSamples / fs;
        Console.WriteLine();
        Console.WriteLine("| implementation | µs per sample (CPU, median) | real-time factor (CPU, median / best) | real-time factor (wall, median) | vs C++ (CPU median / best) |");
        Console.WriteLine("|---|---|---|---|---|");
        string Row(string name, List<Timing> times, double perSampleAudio, int voices)
        {
            double cpuMedian = SampleStatistics.Median(times.Select(x => x.Cpu)), cpuBest = times.Min(x => x.Cpu), wallMedian = SampleStatistics.Median(times.Select(x => x.Wall));
            string ratio = cpp.Count > 0 && voices == 1
                ? FormattableString.Invariant($"{SampleStatistics.Median(cpp.Select(x => x.Cpu)) / cpuMedian:F2} / {cpp.Min(x => x.Cpu) / cpuBest:F2}")
                : "";
            return FormattableString.Invariant(
                $"| {name} | {cpuMedian / (perSampleAudio * fs) * 1e6:F3} | {perSampleAudio / cpuMedian:F0}× / {perSampleAudio / cpuBest:F0}× | {perSampleAudio / wallMedian:F0}× | {ratio} |");
        }
        Console.WriteLine(Row("C# ModalVoice, displacement out (the C++ loop's output)", single, audio, 1));
        Console.WriteLine(Row("C# ModalVoice, velocity out (the default)", velocity, audio, 1));
        if (cpp.Count > 0) Console.WriteLine(Row("C++ g++ -O3 -march=native, same update, displacement out", cpp, audio, 1));
        if (twoStep.Count > 0)
            Console.WriteLine(Row("C++ (same flags), impulse-invariant two-step loop of bench simulate (no division; not energy-stable)", twoStep, audio, 1));
        Console.WriteLine(Row($"C# ModalVoiceBank × {banks} ({16 * banks} voices, velocity out), whole bank", bankTimes, bankAudio, 16 * banks));
        if (cpp.Count > 0)
            Console.WriteLine(FormattableString.Invariant(
                $"\nsame computation: Σy² over {samples} samples, C# {voiceSumSq:G9} vs C++ {cppSumSq:G9} (relative difference {Math.Abs(voiceSumSq - cppSumSq) / cppSumSq:E1}; float32 sums in another order)"));
        double bankRtf = bankAudio / SampleStatistics.Median(bankTimes.Select(x => x.Cpu));
        double voices = 16 * banks * bankRtf, singleRtf = audio / SampleStatistics.Median(velocity.Select(x => x.Cpu));
        Console.WriteLine(FormattableString.Invariant(
            $"\nvoices per core at {fs:G6} Hz ({modes}-mode TM strings, velocity out, median CPU time): {voices:F0} in banks of 16 at 100 % of one core ({voices / 2:F0} leaving 50 % headroom); {singleRtf:F0} as separate single voices"));
        return 0;
    }

    private static List<ModalVoiceBank> Banks(ModalSystem prototype, StringParameters p, int modes, double fs, int count)
    {
        var banks = new List<ModalVoiceBank>();
        for (int b = 0; b < count; b++)
        {
            var bank = new ModalVoiceBank(prototype, fs, PickupSignal.Velocity);
            for (int lane = 0; lane < ModalVoiceBank.Lanes; lane++)
            {
                // notes 0–8 semitones below the preset (T0 ∝ f², so every mode stays below Nyquist) and assorted plucking points
                int semitones = (b * ModalVoiceBank.Lanes + lane) % 9;
                var parameters = p with { T0 = p.T0 * Math.Pow(2, -semitones / 6.0) };
                var system = ModalSystem.ForString(parameters, modes, tensionModulation: true);
                bank.SetSystem(lane, system, new Location(PickupFraction * p.L));
                bank.Excite(lane, new TriangularPluck(PluckHeight, (0.12 + 0.01 * lane) * p.L));
            }
            banks.Add(bank);
        }
        return banks;
    }

    private static void Render(IVoice voice, float[] output, int block)
    {
        for (int start = 0; start < output.Length; start += block)
            voice.Process(output.AsSpan(start, Math.Min(block, output.Length - start)));
    }

    private static Timing? RunCpp(string script, string scheme, int modes, double fs, double seconds, out double sumSq)
    {
        sumSq = double.NaN;
        foreach (var root in ReferenceScript.RunJsonLines(script, ["--scheme", scheme, "--no-numpy", "--precisions", "float", "--modes", $"{modes}",
            "--fs", fs.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--repeats", "1"], quiet: true))
        {
            sumSq = root.GetProperty("sumsq").GetDouble();
            return new Timing(root.GetProperty("median_s").GetDouble(), root.GetProperty("cpu_median_s").GetDouble());
        }
        return null;
    }

    private static Timing Time(Action action)
    {
        double cpu0 = CpuClock.ThreadSeconds();
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double cpu = CpuClock.ThreadSeconds() - cpu0;
        return new Timing(wall, double.IsNaN(cpu) ? wall : cpu);
    }
}
