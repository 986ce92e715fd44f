using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PhysMod.Learning.Data;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.NeuralOde;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Ssm;
using PhysMod.Learning.Training;
using PhysMod.Realtime.Models;
using TorchSharp;
using static TorchSharp.torch;
using PhysMod.Physics.Diagnostics;

namespace PhysMod.Learning.Export;

/// <summary>Measures the exported SSM and Koopman voices against TorchSharp running the same models one frame at a time
/// (the only way torch can stream), for <c>physmod bench render</c>.</summary>
/// <remarks>
/// Each model is created at the given size from a seed (untrained: speed does not depend on the weights), saved as a run,
/// exported and played. The TorchSharp loop is the per-step recurrence written with torch ops: SSM — λ₀ multiply and
/// Re(C₀h) for the expansion layer, then per layer LayerNorm, B̄u, h ← λh + B̄u, Re(Ch) + D⊙u, gelu and the residual;
/// Koopman — z ← λz and the decoder MLP. Both run on one thread (torch.set_num_threads(1)) with no_grad and a dispose scope
/// per step. Times are CPU time of the measuring thread (Linux; wall time elsewhere). The first frames of both loops are compared (<see cref="ModelBenchmarkRow.Agreement"/>) so the table can only
/// compare like with like.
/// </remarks>
public static class ModelVoiceBenchmark
{
    /// <summary>Frames compared between the voice and the torch loop.</summary>
    public const int CheckedFrames = 64;

    /// <summary>Runs the benchmark for the tutorial-size models (spec §7.1 and §7.2) on frames of W × C.</summary>
    /// <param name="gridPoints">W (101 for string-benchmark).</param>
    /// <param name="channels">C (2).</param>
    /// <param name="sampleRate">Frame rate in Hz (16 000 for string-benchmark: one field frame per audio sample).</param>
    /// <param name="voiceSeconds">Audio seconds rendered per timed voice run.</param>
    /// <param name="torchSteps">Steps per timed TorchSharp run.</param>
    /// <param name="repeats">Timed runs of each (best and median reported).</param>
    /// <param name="ssmConfig">SSM model config (null: the tutorial's, n_layers 2, d_hidden 128).</param>
    /// <param name="koopmanConfig">Koopman model config (null: the tutorial's, d_latent 128, width 256, depth 3).</param>
    /// <param name="log">Progress lines (optional).</param>
    /// <param name="frnnConfig">FRNN model config to time as well (null: no FRNN row).</param>
    /// <param name="fgruConfig">FGRU model config to time as well (null: no FGRU row).</param>
    public static IReadOnlyList<ModelBenchmarkRow> Run(int gridPoints = 101, int channels = 2, double sampleRate = 16000, double voiceSeconds = 2,
        int torchSteps = 2000, int repeats = 5, SsmModelConfig? ssmConfig = null, KoopmanModelConfig? koopmanConfig = null, Action<string>? log = null,
        FrnnModelConfig? frnnConfig = null, FgruModelConfig? fgruConfig = null)
    {
        if (gridPoints < 2 || channels < 1 || !(sampleRate > 0) || !(voiceSeconds > 0) || torchSteps < 1 || repeats < 1)
            throw new ArgumentOutOfRangeException(nameof(gridPoints), "benchmark sizes must be positive");
        ssmConfig ??= new SsmModelConfig();
        koopmanConfig ??= new KoopmanModelConfig();
        if (ssmConfig.ActivationKind != SequenceActivation.Gelu) throw new ArgumentException("the torch step loop covers the gelu activation", nameof(ssmConfig));
        if (koopmanConfig.UseModulation) throw new ArgumentException("the torch step loop covers Koopman without modulation", nameof(koopmanConfig));
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var rows = new List<ModelBenchmarkRow>();
            foreach (var family in new IModelFamily[] { new SsmFamily(), new KoopmanFamily() })
            {
                var config = family is SsmFamily ? ssmConfig.ToJson() : koopmanConfig.ToJson();
                string name = family is SsmFamily
                    ? $"ssm (n_layers {ssmConfig.NLayers}, d_hidden {ssmConfig.DHidden}, D = {gridPoints * channels})"
                    : $"koopman (d_latent {koopmanConfig.DLatent}, width {koopmanConfig.Width}, depth {koopmanConfig.Depth}, D = {gridPoints * channels})";
                log?.Invoke($"{name}: building");
                rows.Add(Measure(name, family, config, gridPoints, channels, sampleRate, voiceSeconds, torchSteps, repeats, log));
            }
            if (frnnConfig is not null)
            {
                string name = $"frnn (width {frnnConfig.Width}, depth {frnnConfig.Depth}, n_modes {frnnConfig.ModesFor(gridPoints)}, {frnnConfig.Activation}, W = {gridPoints})";
                log?.Invoke($"{name}: building");
                rows.Add(Measure(name, new FrnnFamily(), frnnConfig.ToJson(), gridPoints, channels, sampleRate, voiceSeconds, torchSteps, repeats, log));
            }
            if (fgruConfig is not null)
            {
                string name = $"fgru (width {fgruConfig.Width}, n_modes {fgruConfig.ModesFor(gridPoints)}, W = {gridPoints})";
                log?.Invoke($"{name}: building");
                rows.Add(Measure(name, new FgruFamily(), fgruConfig.ToJson(), gridPoints, channels, sampleRate, voiceSeconds, torchSteps, repeats, log));
            }
            return rows;
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>Times the hybrid neural-ODE voice (spec §5.3: N modes, residual MLP of the given width and depth, one damped
    /// Verlet step per sample) against TorchSharp stepping the same model (<see cref="DampedVerletBlock"/>, float64 as trained),
    /// both from a pluck with no force.</summary>
    public static ModelBenchmarkRow RunHybrid(double sampleRate = 44100, int modes = 15, int width = 128, int depth = 4, double voiceSeconds = 2,
        int torchSteps = 2000, int repeats = 5, Action<string>? log = null)
    {
        if (modes < 1 || width < 1 || depth < 1 || !(sampleRate > 0) || !(voiceSeconds > 0) || torchSteps < 1 || repeats < 1)
            throw new ArgumentOutOfRangeException(nameof(modes), "benchmark sizes must be positive");
        string name = $"hybrid node ({modes} modes, MLP width {width}, depth {depth})";
        var folder = Directory.CreateTempSubdirectory("physmod-bench-").FullName;
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            log?.Invoke($"{name}: building");
            var truth = PhysMod.Physics.Parameters.StringParameters.NylonGuitarB;
            using var model = new HybridStringModel(truth, modes, [truth.T0, truth.EI, truth.D1, truth.D3]);
            model.Residual = new ResidualMlp(modes, width, depth, 1e-3, 10, new Generator(43));
            HybridModelFile.Save(Path.Combine(folder, HybridModelFile.FileName), model, truth, sampleRate, HybridExperiment.PickupFraction,
                HybridExperiment.ForceFraction, new HybridBurst(HybridExperiment.BurstCentre, HybridExperiment.BurstLength, HybridExperiment.BurstFrequency, HybridExperiment.BurstAmplitude, 1));
            var voice = HybridVoices.Load(folder, "pluck:h=0.002");
            using var noGrad = no_grad();
            var coefficients = model.Coefficients();
            var shapes = StringCoefficients.Shapes(tensor(truth.L, float64), modes, HybridExperiment.PickupFraction * truth.L);   // (N)
            var q = tensor(voice.Displacement.ToArray(), [1, modes], float64);
            var v = zeros(1, modes, dtype: float64);
            var check = new float[CheckedFrames];
            voice.Process(check);
            voice.Reset();
            var expected = new double[CheckedFrames];
            for (int k = 0; k < CheckedFrames; k++)
            {
                using var scope = NewDisposeScope();
                expected[k] = (q * shapes).sum().item<double>();
                var (nq, nv) = RecurrentIntegrator.Verlet.Step(coefficients, q, v, 1 / sampleRate, null, null);
                q = nq.MoveToOuterDisposeScope();
                v = nv.MoveToOuterDisposeScope();
            }
            double agreement = RelativeMaxError(check, expected.Select(e => (float)e).ToArray());

            int samples = Math.Max(1, (int)Math.Round(voiceSeconds * sampleRate));
            var voiceTimes = VoiceTimes(voice, samples, repeats);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{name}: voice {voiceTimes.Min():F2} µs/sample"));
            var torchTimes = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                var start = ThreadClock.Now();
                for (int k = 0; k < torchSteps; k++)
                {
                    Tensor nq, nv;
                    using (var scope = NewDisposeScope())
                    {
                        (nq, nv) = RecurrentIntegrator.Verlet.Step(coefficients, q, v, 1 / sampleRate, null, null);
                        nq.MoveToOuterDisposeScope();
                        nv.MoveToOuterDisposeScope();
                    }
                    q.Dispose();
                    v.Dispose();
                    (q, v) = (nq, nv);
                }
                torchTimes[r] = ThreadClock.MicrosecondsSince(start) / torchSteps;
            }
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{name}: TorchSharp step {torchTimes.Min():F1} µs/sample"));
            return new ModelBenchmarkRow(name, voice.ParameterCount, sampleRate, voiceTimes.Min(), SampleStatistics.Median(voiceTimes), torchTimes.Min(),
                SampleStatistics.Median(torchTimes), agreement);
        }
        finally
        {
            set_num_threads(threads);
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The rows as a Markdown table.</summary>
    public static string Format(IReadOnlyList<ModelBenchmarkRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| model | params | rate (Hz) | voice µs/sample best (median) | voice × real time | TorchSharp step µs/sample best (median) | TorchSharp × real time | gain | voice vs torch (max rel.) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.Parameters:N0} | {r.SampleRate:G6} | {r.VoiceMicroseconds:F2} ({r.VoiceMedianMicroseconds:F2}) | {r.RealTimeFactor:F1}× | {r.TorchMicroseconds:F1} ({r.TorchMedianMicroseconds:F1}) | {r.TorchRealTimeFactor:F2}× | {r.Gain:F0}× | {r.Agreement:E1} |"));
        return text.ToString();
    }

    private static ModelBenchmarkRow Measure(string name, IModelFamily family, JsonElement config, int gridPoints, int channels, double sampleRate,
        double voiceSeconds, int torchSteps, int repeats, Action<string>? log)
    {
        var folder = Directory.CreateTempSubdirectory("physmod-bench-").FullName;
        try
        {
            manual_seed(1);
            using var model = family.Create(config, gridPoints, channels, 100, seed: 1);
            model.Module.eval();
            var data = new RunData
            {
                Path = "", Sha256 = new string('0', 64), Bytes = 0, Trajectories = 1, Frames = 1, GridPoints = gridPoints, Channels = channels,
                Split = "train=1,val=0,test=0", SampleRate = sampleRate,
            };
            UntrainedRun.Write(folder, model, config, data, Normalisation.Identity(channels), 100, seed: 1);
            var (_, frameModel) = VoiceExport.Load(folder);
            var x0 = InitialFrame(gridPoints, channels);
            var voice = new ModelVoice(frameModel, x0, Normalisation.Identity(channels).Scale, sampleRate, 0.82);

            // the same model stepped by torch, checked against the voice on the first frames
            var checkFrames = new float[CheckedFrames * gridPoints * channels];
            voice.ProcessFrames(checkFrames);
            voice.Reset();
            var stepper = TorchStepper.For(model, x0, gridPoints, channels);
            var torchFrames = new float[checkFrames.Length];
            for (int k = 0; k < CheckedFrames; k++) stepper.Step(torchFrames.AsSpan(k * gridPoints * channels, gridPoints * channels));
            double agreement = RelativeMaxError(checkFrames, torchFrames);

            int samples = Math.Max(1, (int)Math.Round(voiceSeconds * sampleRate));
            var voiceTimes = VoiceTimes(voice, samples, repeats);
            if (frameModel is FourierRecurrentFrameModel { Diverged: true })
                throw new InvalidOperationException($"{name}: the untrained model's hidden field overflowed while timed (it then renders zeros): use a stabler config");
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{name}: voice {voiceTimes.Min():F2} µs/sample"));

            var torchTimes = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                var start = ThreadClock.Now();
                for (int k = 0; k < torchSteps; k++) stepper.Step(default);
                torchTimes[r] = ThreadClock.MicrosecondsSince(start) / torchSteps;
            }
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{name}: TorchSharp step {torchTimes.Min():F1} µs/sample"));
            stepper.Dispose();
            return new ModelBenchmarkRow(name, frameModel.ParameterCount, sampleRate, voiceTimes.Min(), SampleStatistics.Median(voiceTimes), torchTimes.Min(), SampleStatistics.Median(torchTimes), agreement);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    // CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID on Linux, so that other processes on a shared machine do not
    // count); wall time elsewhere. Torch runs with one intra-op thread, i.e. on the calling thread.
    private static class ThreadClock
    {
        public static readonly bool IsThreadCpu = !double.IsNaN(CpuClock.ThreadSeconds());

        public static double Now() => IsThreadCpu ? CpuClock.ThreadSeconds() : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

        public static double MicrosecondsSince(double start) => (Now() - start) * 1e6;
    }

    // A half-sine displacement with a small velocity, order 1 (normalised units).
    private static float[] InitialFrame(int gridPoints, int channels)
    {
        var frame = new float[gridPoints * channels];
        for (int j = 0; j < gridPoints; j++)
        {
            frame[j * channels] = (float)Math.Sin(Math.PI * j / (gridPoints - 1));
            for (int c = 1; c < channels; c++) frame[j * channels + c] = (float)(0.1 * Math.Cos(3 * Math.PI * j / (gridPoints - 1)));
        }
        return frame;
    }

    // Thread-CPU µs per sample of `repeats` renders of `samples` samples in blocks of 256, each from Reset (after a warm-up
    // of 20 blocks for the tiered JIT).
    private static double[] VoiceTimes(PhysMod.Realtime.IVoice voice, int samples, int repeats)
    {
        var block = new float[256];
        for (int i = 0; i < 20; i++) voice.Process(block);
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            voice.Reset();
            var start = ThreadClock.Now();
            for (int done = 0; done < samples; done += block.Length) voice.Process(block.AsSpan(0, Math.Min(block.Length, samples - done)));
            times[r] = ThreadClock.MicrosecondsSince(start) / samples;
        }
        return times;
    }

    private static double RelativeMaxError(float[] actual, float[] expected)
    {
        double error = 0, size = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            size = Math.Max(size, Math.Abs(expected[i]));
        }
        return error / size;
    }

    // One model frame per Step call through TorchSharp ops (float32, no_grad, one dispose scope per step).
    private abstract class TorchStepper : IDisposable
    {
        public static TorchStepper For(ITrajectoryModel model, float[] x0, int gridPoints, int channels) => model switch
        {
            StackedSsm ssm => new SsmStepper(ssm, x0),
            KoopmanModel koopman => new KoopmanStepper(koopman, x0, gridPoints, channels),
            FrnnModel frnn => new RecurrentStepper(frnn.Module, frnn.Cell, frnn.Config.GridChannel, x0, gridPoints, channels),
            FgruModel fgru => new RecurrentStepper(fgru.Module, fgru.Cell, fgru.Config.GridChannel, x0, gridPoints, channels),
            _ => throw new ArgumentException($"no torch step loop for {model.Family}"),
        };

        public abstract void Step(Span<float> frame);

        public abstract void Dispose();

        protected static void Copy(Tensor frame, Span<float> target)
        {
            if (target.IsEmpty) return;
            frame.contiguous().data<float>().CopyTo(target);
        }
    }

    private sealed class SsmStepper : TorchStepper
    {
        private readonly Lru _first;
        private readonly (Lru Lru, Tensor Weight, Tensor Bias)[] _layers;
        private readonly int _features;
        private Tensor _firstState;

        private sealed record Lru(Tensor Lambda, Tensor InputRe, Tensor InputIm, Tensor OutputRe, Tensor OutputIm, Tensor? Feedthrough, Tensor State);

        public SsmStepper(StackedSsm model, float[] x0)
        {
            using var noGrad = no_grad();
            var state = model.state_dict();
            _features = model.GridPoints * model.Channels;
            Lru Read(string prefix, bool feedthrough)
            {
                var lambda = exp(complex(-exp(state[$"{prefix}.nu_log"]), exp(state[$"{prefix}.theta_log"])));                 // (H)
                var gain = exp(state[$"{prefix}.gamma_log"]).unsqueeze(1);                                                       // (H, 1)
                return new Lru(lambda, state[$"{prefix}.B_re"] * gain, state[$"{prefix}.B_im"] * gain, state[$"{prefix}.C_re"].clone(),
                    state[$"{prefix}.C_im"].clone(), feedthrough ? state[$"{prefix}.D"].clone() : null, zeros(state[$"{prefix}.nu_log"].shape[0], ScalarType.ComplexFloat32));
            }
            _first = Read("first", feedthrough: false);
            _layers = Enumerable.Range(0, model.Layers.Count)
                .Select(i => (Read($"layers.{i}.lru", feedthrough: true), state[$"layers.{i}.norm.weight"].clone(), state[$"layers.{i}.norm.bias"].clone()))
                .ToArray();
            var x = tensor(x0);                                                                                                  // (D)
            _firstState = complex(matmul(_first.InputRe, x), matmul(_first.InputIm, x));                                        // (H) = B̄₀x₀
        }

        public override void Step(Span<float> frame)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var y = matmul(_first.OutputRe, _firstState.real) - matmul(_first.OutputIm, _firstState.imag);                     // (D)
            var next = (_firstState * _first.Lambda).MoveToOuterDisposeScope();
            _firstState.Dispose();
            _firstState = next;
            for (int i = 0; i < _layers.Length; i++)
            {
                var (lru, weight, bias) = _layers[i];
                var u = nn.functional.layer_norm(y, [_features], weight, bias, 1e-5);
                var h = lru.Lambda * lru.State + complex(matmul(lru.InputRe, u), matmul(lru.InputIm, u));                      // (H)
                lru.State.copy_(h);
                var mixed = matmul(lru.OutputRe, h.real) - matmul(lru.OutputIm, h.imag) + lru.Feedthrough! * u;
                y = y + nn.functional.gelu(mixed, TorchSharp.Modules.GELU.Approximate.tanh);
            }
            Copy(y, frame);
        }

        public override void Dispose()
        {
            _firstState.Dispose();
            foreach (var lru in _layers.Select(l => l.Lru).Prepend(_first))
                foreach (var t in new[] { lru.Lambda, lru.InputRe, lru.InputIm, lru.OutputRe, lru.OutputIm, lru.Feedthrough, lru.State }) t?.Dispose();
        }
    }

    // FRNN / FGRU: frame 0 is x0, then h ← cell(h) and x̂ = Q(h) per step (lifting and readout from the state dict).
    private sealed class RecurrentStepper : TorchStepper
    {
        private readonly Func<Tensor, Tensor> _cell;
        private readonly Tensor _readoutWeight, _readoutBias, _x0;
        private Tensor _hidden;
        private bool _first = true;

        public RecurrentStepper(nn.Module module, Func<Tensor, Tensor> cell, bool gridChannel, float[] x0, int gridPoints, int channels)
        {
            using var noGrad = no_grad();
            var state = module.state_dict();
            _cell = cell;
            _readoutWeight = state["readout.weight"].clone();                                                                  // (C, H)
            _readoutBias = state["readout.bias"].clone();                                                                      // (C)
            _x0 = tensor(x0, [1, gridPoints, channels]);                                                                       // (1, W, C)
            var features = gridChannel ? Operators.OperatorInit.AppendGrid(_x0) : _x0;                                          // (1, W, C [+1])
            _hidden = (matmul(features, state["lifting.weight"].t()) + state["lifting.bias"]).permute(0, 2, 1).contiguous();    // (1, H, W)
        }

        public override void Step(Span<float> frame)
        {
            if (_first)
            {
                _first = false;
                Copy(_x0, frame);
                return;
            }
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var next = _cell(_hidden).MoveToOuterDisposeScope();                                                                // (1, H, W)
            _hidden.Dispose();
            _hidden = next;
            Copy(matmul(_hidden.permute(0, 2, 1), _readoutWeight.t()) + _readoutBias, frame);                                  // (1, W, C)
        }

        public override void Dispose()
        {
            _hidden.Dispose();
            _x0.Dispose();
        }
    }

    private sealed class KoopmanStepper : TorchStepper
    {
        private readonly KoopmanModel _model;
        private readonly Tensor _lambda;
        private Tensor _latent;

        public KoopmanStepper(KoopmanModel model, float[] x0, int gridPoints, int channels)
        {
            using var noGrad = no_grad();
            _model = model;
            _lambda = exp(complex(model.Dynamics.LogModulus(), model.Dynamics.Phase()));                                        // (h)
            var z0 = model.Encode(tensor(x0, [1, gridPoints, channels]));                                                      // (1, 2h)
            int h = model.Config.EigenvalueCount;
            _latent = complex(z0[.., ..h], z0[.., h..]);                                                                         // (1, h)
        }

        public override void Step(Span<float> frame)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = _model.Decode(cat([_latent.real, _latent.imag], -1));                                                       // (1, W, C)
            var next = (_latent * _lambda).MoveToOuterDisposeScope();
            _latent.Dispose();
            _latent = next;
            Copy(x, frame);
        }

        public override void Dispose()
        {
            _latent.Dispose();
            _lambda.Dispose();
        }
    }
}
