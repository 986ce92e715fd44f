using System.Diagnostics;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace PhysMod.Learning.Estimation;

/// <summary>Fits T0, d1, d3 (and optionally L) of a plucked string to a recording by gradient descent through <see cref="StringSynthesizer"/>.</summary>
/// <remarks>
/// Each fitted value is p = p_ref · exp(θ) (positive by construction, θ of order 1 for Adam). When T0 is fitted, a coarse
/// scan of the loss over T0 ∈ [0.25, 4]·T0_ref (64 log-spaced points, damping at the reference) picks the starting pitch;
/// start k > 0 perturbs it by a factor e^{±0.03} and draws d1, d3 log-uniformly in [1/4, 4]× the reference and L in ±3 %.
/// Adam with a cosine decay to 1 % of the rate; the start with the lowest final loss wins. With the waveform MSE (the
/// maximum-likelihood loss under white noise, but with a basin in pitch narrower than the scan's grid) the first half of the
/// updates use the multi-resolution STFT loss and the second half refine with the MSE, moving T0 and L 50× slower than the damping.
/// </remarks>
public static class StringEstimator
{
    /// <summary>Fits <paramref name="target"/> (T samples at the synthesiser's rate).</summary>
    public static EstimationResult Fit(StringSynthesizer synth, float[] target, EstimationSettings settings, Action<string>? log = null)
    {
        settings.Validate();
        if (target.Length != synth.Frames) throw new ArgumentException($"target has {target.Length} samples, synthesiser {synth.Frames}");
        if (target.All(x => x == 0)) throw new InvalidSettingException("the recording is silent: nothing to fit");
        set_num_threads(settings.Threads);
        var loss = AudioLoss.Parse(settings.Loss);
        using var targetTensor = tensor(target.Select(x => (double)x).ToArray(), float64);
        var reference = synth.Reference;
        double[] referenceValues = settings.Fit.Select(n => Get(reference, n)).ToArray();
        int tensionIndex = settings.Fit.ToList().IndexOf("T0");
        double tensionStart = tensionIndex >= 0 ? ScanTension(synth, targetTensor, loss, reference) : reference.T0;
        log?.Invoke($"starting tension from the scan: T0 = {tensionStart:G5} N");

        var rng = new Rng((ulong)settings.Seed);
        var results = new List<(double[] Values, double[] Start, double Loss, List<double> Losses, List<double[]> History)>();
        var watch = Stopwatch.StartNew();
        long updates = 0;
        for (int start = 0; start < settings.Starts; start++)
        {
            var startValues = settings.Fit.Select((name, k) => name switch
            {
                "T0" => tensionStart * (start == 0 ? 1 : Math.Exp(rng.Uniform(-0.03, 0.03))),
                "L" => referenceValues[k] * (start == 0 ? 1 : 1 + rng.Uniform(-0.03, 0.03)),
                _ => referenceValues[k] * (start == 0 ? 1 : Math.Exp(rng.Uniform(Math.Log(0.25), Math.Log(4)))),
            }).ToArray();
            // the waveform MSE has a narrow basin in pitch: reach it with the spectral loss first, then refine with the MSE
            var run = loss.Name == "mse"
                ? Descend(synth, targetTensor, AudioLoss.Parse("mrstft"), settings with { Steps = Math.Max(1, settings.Steps / 2) }, startValues)
                : Descend(synth, targetTensor, loss, settings, startValues);
            if (loss.Name == "mse")
            {
                // pitch (T0, L) moves 50× slower than damping: the MSE basin in pitch is a fraction of a cycle over the recording
                double[] slow = settings.Fit.Select(n => n is "T0" or "L" ? 0.02 : 1.0).ToArray();
                var refined = Descend(synth, targetTensor, loss, settings with { Steps = Math.Max(1, settings.Steps - settings.Steps / 2) }, run.Values, slow);
                run = (refined.Values, [.. run.Losses, .. refined.Losses], [.. run.History, .. refined.History]);
            }
            updates += run.Losses.Count;
            results.Add((run.Values, startValues, run.Losses[^1], run.Losses, run.History));
            log?.Invoke($"start {start + 1}/{settings.Starts}: loss {run.Losses[^1]:G5}, " +
                        string.Join(", ", settings.Fit.Select((n, k) => $"{n} = {run.Values[k]:G6}")));
        }
        watch.Stop();
        var best = results.MinBy(r => double.IsFinite(r.Loss) ? r.Loss : double.MaxValue);
        double[] resynthesis;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var y = Render(synth, settings.Fit, best.Values);
            var gain = (y * targetTensor).sum() / (y * y).sum();
            resynthesis = (gain * y).data<double>().ToArray();
        }
        return new EstimationResult
        {
            Names = settings.Fit, Values = best.Values, StartValues = best.Start, Loss = best.Loss,
            StartResults = results.Select(r => ((IReadOnlyList<double>)r.Values, r.Loss)).ToArray(),
            LossHistory = best.Losses, ValueHistory = best.History, Resynthesis = resynthesis,
            IterationsPerSecond = updates / watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The value of a fittable parameter.</summary>
    public static double Get(StringParameters p, string name) => name switch
    {
        "T0" => p.T0, "d1" => p.D1, "d3" => p.D3, "L" => p.L,
        _ => throw new InvalidSettingException($"--fit '{name}': allowed are {string.Join(", ", EstimationSettings.Fittable)}"),
    };

    // Adam on θ = log(p / p_start) with a cosine decay; returns the final values, the loss per update and the values per update.
    private static (double[] Values, List<double> Losses, List<double[]> History) Descend(StringSynthesizer synth, Tensor target, AudioLoss loss,
        EstimationSettings settings, double[] startValues, double[]? rates = null)
    {
        var theta = new Parameter(zeros(startValues.Length, dtype: float64));
        using var optimiser = AdamW.Adam([("theta", theta)]);
        var scale = tensor(startValues, float64);
        var speed = tensor(rates ?? startValues.Select(_ => 1.0).ToArray(), float64);   // p = p_start · exp(speed · θ)
        rates ??= startValues.Select(_ => 1.0).ToArray();
        var losses = new List<double>();
        var history = new List<double[]>();
        double[] Current() => theta.data<double>().ToArray().Select((t, k) => startValues[k] * Math.Exp(rates[k] * t)).ToArray();
        for (int step = 0; step < settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            theta.grad?.zero_();
            var values = scale * (speed * theta).exp();
            var value = loss.Compute(Render(synth, settings.Fit, values), target);
            double current = value.item<double>();
            if (!double.IsFinite(current)) break;
            value.backward();
            double rate = settings.LearningRate * (0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * step / settings.Steps)));
            optimiser.Update(rate);
            losses.Add(current);
            history.Add(Current());
        }
        if (losses.Count == 0) { losses.Add(double.NaN); history.Add(startValues); }
        using (var scope = NewDisposeScope())
        using (no_grad())
            losses[^1] = loss.Compute(Render(synth, settings.Fit, scale * (speed * theta).exp()), target).item<double>();
        return (Current(), losses, history);
    }

    private static Tensor Render(StringSynthesizer synth, IReadOnlyList<string> names, double[] values) =>
        Render(synth, names, tensor(values, float64));

    // The synthesis with the fitted names taken from values (in order) and the rest from the reference.
    private static Tensor Render(StringSynthesizer synth, IReadOnlyList<string> names, Tensor values)
    {
        var p = synth.Reference;
        Tensor Pick(string name, double fallback)
        {
            int k = names.ToList().IndexOf(name);
            return k >= 0 ? values[k] : tensor(fallback, float64);
        }
        return synth.Synthesize(Pick("T0", p.T0), Pick("d1", p.D1), Pick("d3", p.D3), Pick("L", p.L));
    }

    // Coarse scan of the loss over T0 with the reference damping and length; returns the best grid value.
    private static double ScanTension(StringSynthesizer synth, Tensor target, AudioLoss loss, StringParameters reference)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scanLoss = loss.Name == "mse" ? AudioLoss.Parse("mrstft") : loss;   // the waveform MSE has no basin to scan
        double best = reference.T0, bestLoss = double.MaxValue;
        for (int i = 0; i < 64; i++)
        {
            double t0 = reference.T0 * Math.Pow(4, -1 + 2.0 * i / 63);
            double value = scanLoss.Compute(synth.Synthesize(tensor(t0, float64), tensor(reference.D1, float64), tensor(reference.D3, float64),
                tensor(reference.L, float64)), target).item<double>();
            if (value < bestLoss) { bestLoss = value; best = t0; }
        }
        return best;
    }
}
