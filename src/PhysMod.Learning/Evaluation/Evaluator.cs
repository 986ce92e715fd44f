using System.Diagnostics;
using System.Globalization;
using PhysMod.Audio;
using PhysMod.Learning.Data;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Evaluation;

/// <summary>Evaluates a trained trajectory model on the test split: field metrics at multiples of the training horizon, the
/// relative-MAE-per-block curve, the pickup signal's log-spectral distance, heatmaps, loss curves and a longer rollout as audio.</summary>
/// <remarks>
/// The model sees and returns normalised data (data / scale per channel); every metric except the normalised one is computed
/// after denormalising, in SI units. Inputs are each test trajectory's frame 0 and nothing else; ground truth is the test split
/// only (see <see cref="TestSplit.Load"/>). Outputs go to one folder (RUN/eval): metrics.json, heatmap_XX.png,
/// relative_mae_blocks.png, loss_curves.png and audio/{gt,model}_XX[_displacement].wav.
/// </remarks>
public sealed class Evaluator
{
    /// <summary>Creates an evaluator with validated options.</summary>
    public Evaluator(EvaluationOptions options) => Options = options.Validate();

    /// <summary>The settings in use.</summary>
    public EvaluationOptions Options { get; }

    /// <summary>Throws <see cref="InvalidSettingException"/> (naming the allowed range) if the data cannot serve these options:
    /// the longest horizon must fit the stored field frames and the listening rollout the pickup signal.</summary>
    public void Check(TestSplit data)
    {
        int frames = Options.Horizons[^1];
        if (frames > data.FieldFrames)
            throw new InvalidSettingException(
                $"horizon {frames} frames ({Options.HorizonMultiples.Max()}× {Options.TrainingHorizon}) exceeds the {data.FieldFrames} field frames stored in {data.Source}: use a training horizon ≤ {data.FieldFrames / Options.HorizonMultiples.Max()}");
        int listenFrames = ListenFrames(data);
        if (listenFrames > data.PickupFrames)
            throw new InvalidSettingException(data.PickupFrames == 0
                ? $"listen {Options.ListenSeconds} s: {data.Source} has no pickup signal to compare with; use 0 (no audio)"
                : $"listen {Options.ListenSeconds} s ({listenFrames} frames) is longer than the {data.PickupFrames / data.SampleRate} s pickup signal in {data.Source}: use ≤ {data.PickupFrames / data.SampleRate} s");
    }

    /// <summary>Evaluates a trained run into its <c>eval/</c> folder, with its normalisation and metrics log.</summary>
    /// <remarks>Adds a note when the dataset is not the file the run was trained on (by SHA-256) or the run stopped before its
    /// last step. The horizon is <see cref="EvaluationOptions.TrainingHorizon"/>: set it from <c>run.Config.Training.TrainFrames</c>.</remarks>
    public EvaluationReport Evaluate(TrainedRun run, TestSplit data, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var trained = run.Config.Data;
        var notes = new List<string>();
        if (trained.GridPoints != data.GridPoints)
        {
            if (!Options.AllowGridChange)
                throw new InvalidSettingException($"{data.Source} has {data.GridPoints} grid points but the run in {run.Directory.Folder} was trained on {trained.GridPoints} (resolution transfer: allow a grid change, e.g. eval --allow-grid-change)");
            notes.Add($"resolution transfer: evaluated on {data.GridPoints} grid points, trained on {trained.GridPoints}");
        }
        if (DatasetFingerprint.Of(data.Source).Sha256 != trained.Sha256)
            notes.Add($"{data.Source} is not the file the run was trained on ({trained.Path}, sha256 {trained.Sha256[..12]}…): its test split need not be unseen by the model");
        if (!run.Finished)
            notes.Add($"the run stopped at step {run.Step} of {run.TotalSteps}: these are the metrics of its last checkpoint");
        return Evaluate(run.Model, run.Normalisation.Scale, data, run.Directory.EvalFolder, run.ReadMetrics(), progress, notes);
    }

    /// <summary>Evaluates <paramref name="model"/> and writes every output into <paramref name="outputDirectory"/>.</summary>
    /// <param name="model">The model; its first <c>scale.Count</c> channels are the dataset's first channels.</param>
    /// <param name="scale">Per-channel normalisation scale, length C (1 = displacement, 2 = displacement and velocity).</param>
    /// <param name="data">The test split.</param>
    /// <param name="outputDirectory">Folder for metrics.json, PNGs and audio/; written beside it first and swapped in whole when
    /// complete, replacing any previous evaluation there.</param>
    /// <param name="trainingMetrics">The run's metrics.jsonl records for the loss curves (null or empty: no loss_curves.png).</param>
    /// <param name="progress">Receives one line per stage.</param>
    /// <param name="extraNotes">Notes to put first in the report.</param>
    public EvaluationReport Evaluate(ITrajectoryModel model, IReadOnlyList<double> scale, TestSplit data, string outputDirectory,
        IReadOnlyList<MetricsRecord>? trainingMetrics = null, IProgress<string>? progress = null, IEnumerable<string>? extraNotes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        int channels = scale.Count;
        if (channels is < 1 or > 2)
            throw new InvalidSettingException($"normalisation has {channels} channels: the dataset has 2 (displacement, velocity), so 1 or 2 are allowed");
        foreach (double s in scale)
            if (!(s > 0) || !double.IsFinite(s)) throw new InvalidSettingException($"normalisation scale {s}: must be finite and > 0");
        Check(data);
        // Everything is written into a staging folder beside the target, which replaces the target only when complete: a
        // failure leaves the previous evaluation untouched and a rerun never leaves stale files (e.g. more heatmaps) behind.
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory));
        if (File.Exists(target)) throw new IOException($"eval output '{outputDirectory}' is a file, not a folder");
        string parent = Path.GetDirectoryName(target) ?? ".";
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.staging-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var report = Write(model, scale, data, staging, trainingMetrics, progress, extraNotes);
            Replace(staging, target);
            return report;
        }
        finally
        {
            TryDeleteFolder(staging);
        }
    }

    private EvaluationReport Write(ITrajectoryModel model, IReadOnlyList<double> scale, TestSplit data, string outputDirectory,
        IReadOnlyList<MetricsRecord>? trainingMetrics, IProgress<string>? progress, IEnumerable<string>? extraNotes)
    {
        int channels = scale.Count;
        var horizons = Options.Horizons;
        int frames = horizons[^1];
        int listenFrames = ListenFrames(data);
        var notes = new List<string>(extraNotes ?? []);
        string[] names = TestSplit.ChannelNames.Take(channels).ToArray();
        int points = data.GridPoints, pickupIndex = data.PickupGridIndex;
        double dx = data.LengthMetres / (points - 1);
        if (Math.Abs(pickupIndex * dx - data.PickupFraction * data.LengthMetres) > 1e-9 * data.LengthMetres)
            notes.Add(FormattableString.Invariant(
                $"the pickup ({data.PickupFraction * data.LengthMetres:G6} m) is not on a grid point: the model is read at the nearest one, x = {pickupIndex * dx:G6} m (index {pickupIndex}); the listening comparison's ground truth is the dataset's pickup tensor at the true position"));

        model.Module.eval();
        using var noGrad = no_grad();

        // 1. Roll out every test trajectory to the longest horizon, batched, and keep only sums and what figures need.
        var sums = new FrameErrorSums(data.Count, frames, points, channels);
        var pickupModel = new double[channels][][];
        var pickupTruth = new double[channels][][];
        for (int c = 0; c < channels; c++) { pickupModel[c] = new double[data.Count][]; pickupTruth[c] = new double[data.Count][]; }
        int figureCount = Math.Min(Options.FigureTrajectories, data.Count);
        var figurePredictions = new float[figureCount][];
        var clock = Stopwatch.StartNew();
        double rolloutSeconds = 0;
        int nonFinite = 0;
        for (int first = 0; first < data.Count; first += Options.BatchSize)
        {
            int batch = Math.Min(Options.BatchSize, data.Count - first);
            var start = Stopwatch.StartNew();
            float[] predicted = Rollouts.Denormalised(model, Rollouts.InitialStates(data, first, batch, channels, scale), batch, frames, points, channels, scale);
            rolloutSeconds += start.Elapsed.TotalSeconds;
            int perTrajectory = frames * points * channels;
            for (int b = 0; b < batch; b++)
            {
                int n = first + b;
                var prediction = predicted.AsSpan(b * perTrajectory, perTrajectory);
                float[] truth = Truth(data, n, frames, channels);
                foreach (float v in prediction) if (!float.IsFinite(v)) { nonFinite++; break; }
                sums.Add(n, prediction, truth);
                for (int c = 0; c < channels; c++)
                {
                    pickupModel[c][n] = new double[frames];
                    pickupTruth[c][n] = new double[frames];
                    for (int f = 0; f < frames; f++)
                    {
                        int k = (f * points + pickupIndex) * channels + c;
                        pickupModel[c][n][f] = prediction[k];
                        pickupTruth[c][n][f] = truth[k];
                    }
                }
                if (n < figureCount)
                {
                    var field = new float[frames * points];
                    for (int k = 0; k < field.Length; k++) field[k] = prediction[k * channels];
                    figurePredictions[n] = field;
                }
            }
            progress?.Report(FormattableString.Invariant($"rolled out {first + batch}/{data.Count} test trajectories to {frames} frames ({clock.Elapsed.TotalSeconds:F1} s)"));
        }
        if (nonFinite > 0)
            notes.Add($"{nonFinite} of {data.Count} test rollouts contain non-finite values (the model diverged): every metric that includes them is null");

        // 2. Metrics per horizon and the block curve.
        var horizonMetrics = new List<HorizonMetrics>();
        foreach (int k in horizons)
        {
            var field = new SortedDictionary<string, ChannelErrors>(StringComparer.Ordinal);
            for (int c = 0; c < channels; c++) field[names[c]] = sums.Channel(c, k, UnitSquared(c));
            field["normalised_all_channels"] = sums.Normalised(scale, k);
            var spectral = new SortedDictionary<string, SpectralError>(StringComparer.Ordinal);
            int fft = LogSpectralDistance.FitFftSize(Options.ShortFftSize, k), hop = Math.Min(Options.ShortHop, fft);
            for (int c = 0; c < channels; c++)
            {
                var lsd = Enumerable.Range(0, data.Count).Select(n =>
                    LogSpectralDistance.Compute(pickupModel[c][n].AsSpan(0, k), pickupTruth[c][n].AsSpan(0, k), fft, hop, Options.LsdFloorDb)).ToArray();
                var (mean, std) = MeanStd(lsd);
                spectral[names[c]] = new SpectralError(mean, std, fft, hop, k,
                    $"model {names[c]} at grid index {pickupIndex} vs dataset field at the same point, frames 0..{k - 1}");
            }
            horizonMetrics.Add(new HorizonMetrics(k, k / Options.TrainingHorizon, k / data.SampleRate, field, spectral));
        }
        if (horizons[0] < 2 * Options.ShortFftSize)
            notes.Add(FormattableString.Invariant(
                $"the horizon LSD sees only {horizons[0]}..{frames} samples ({1000.0 * frames / data.SampleRate:G3} ms; STFT bins {data.SampleRate / LogSpectralDistance.FitFftSize(Options.ShortFftSize, horizons[0]):G4} Hz wide): the listening LSD is the informative spectral error"));
        var blocks = BlockCurve(sums, scale, names, frames, data.SampleRate);

        // 3. Figures.
        var figures = new List<string>();
        double horizonSeconds = Options.TrainingHorizon / data.SampleRate;
        for (int n = 0; n < figureCount; n++)
        {
            string name = $"heatmap_{n:00}.png";
            var truthField = new float[frames * points];
            for (int f = 0; f < frames; f++)
                for (int i = 0; i < points; i++)
                    truthField[f * points + i] = data.Fields[(((long)n * data.FieldFrames + f) * points + i) * 2];
            EvaluationFigures.Triptych(Path.Combine(outputDirectory, name), figurePredictions[n], truthField, frames, points, data.SampleRate,
                data.LengthMetres, horizonSeconds, $"{model.Family}, test trajectory {n} (dataset #{data.FirstIndex + n}), displacement", "m");
            figures.Add(name);
        }
        EvaluationFigures.BlockCurve(Path.Combine(outputDirectory, "relative_mae_blocks.png"), blocks, horizonSeconds,
            $"{model.Family}: relative MAE per {Options.BlockFrames}-frame block on {data.Count} test trajectories");
        figures.Add("relative_mae_blocks.png");
        var series = LossSeries(trainingMetrics ?? []);
        if (series.Any(s => s.Values.Any(v => double.IsFinite(v) && v > 0)))
        {
            Plots.LossCurves(Path.Combine(outputDirectory, "loss_curves.png"), series, $"{model.Family}: training losses");
            figures.Add("loss_curves.png");
        }
        else notes.Add("no positive finite training losses (no metrics.jsonl, or a closed-form fit): no loss_curves.png");
        progress?.Report(FormattableString.Invariant($"wrote {figures.Count} figures ({clock.Elapsed.TotalSeconds:F1} s)"));

        // 4. The listening rollout.
        ListeningResult? listening = null;
        if (listenFrames > 0 && Options.ListenTrajectories > 0)
            listening = Listen(model, scale, data, listenFrames, outputDirectory, notes, progress);
        else notes.Add("listening rollout disabled (listen = 0 s or 0 trajectories): no audio");

        var report = new EvaluationReport
        {
            Family = model.Family,
            Dataset = data.Source,
            SampleRateHz = data.SampleRate,
            GridPoints = points,
            LengthM = data.LengthMetres,
            Channels = names,
            ChannelUnits = TestSplit.ChannelUnits.Take(channels).ToArray(),
            NormalisationScale = scale.ToArray(),
            Split = new SortedDictionary<string, int>(StringComparer.Ordinal)
            {
                ["train"] = data.TrainCount, ["val"] = data.ValidationCount, ["test"] = data.Count,
            },
            TestIndices = Enumerable.Range(data.FirstIndex, data.Count).ToArray(),
            TrainingHorizonFrames = Options.TrainingHorizon,
            TrainingHorizonSeconds = horizonSeconds,
            PickupGridIndex = pickupIndex,
            PickupPositionM = data.PickupFraction * data.LengthMetres,
            PickupGridPositionM = pickupIndex * dx,
            LsdFloorDb = Options.LsdFloorDb,
            Horizons = horizonMetrics,
            RelativeMaeBlocks = blocks,
            Listening = listening,
            RolloutSeconds = rolloutSeconds,
            Figures = figures,
            Notes = notes,
        };
        report.Write(Path.Combine(outputDirectory, "metrics.json"));
        progress?.Report(FormattableString.Invariant($"evaluation done in {clock.Elapsed.TotalSeconds:F1} s"));
        return report;
    }

    /// <summary>The total loss and each named part against step.</summary>
    private static List<(string Name, double[] Steps, double[] Values)> LossSeries(IReadOnlyList<MetricsRecord> records)
    {
        var series = new List<(string, double[], double[])>();
        if (records.Count == 0) return series;
        double[] steps = records.Select(r => (double)r.Step).ToArray();
        series.Add(("loss", steps, records.Select(r => r.Loss).ToArray()));
        foreach (string part in records.SelectMany(r => r.Parts.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var having = records.Where(r => r.Parts.ContainsKey(part)).ToArray();
            series.Add((part, having.Select(r => (double)r.Step).ToArray(), having.Select(r => r.Parts[part]).ToArray()));
        }
        return series;
    }

    private static void Replace(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        string old = Path.Combine(Path.GetDirectoryName(target) ?? ".", $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
        Directory.Move(target, old);
        Directory.Move(staging, target);
        TryDeleteFolder(old);
    }

    private static void TryDeleteFolder(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private int ListenFrames(TestSplit data) => (int)Math.Round(Options.ListenSeconds * data.SampleRate);

    private BlockErrorCurve BlockCurve(FrameErrorSums sums, IReadOnlyList<double> scale, string[] names, int frames, double sampleRate)
    {
        var starts = new List<int>();
        var centres = new List<double>();
        var curves = new SortedDictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        var values = names.Select(_ => new List<double>()).ToArray();
        var normalised = new List<double>();
        for (int first = 0; first < frames; first += Options.BlockFrames)
        {
            int count = Math.Min(Options.BlockFrames, frames - first);
            starts.Add(first);
            centres.Add((first + count / 2.0) / sampleRate);
            for (int c = 0; c < names.Length; c++) values[c].Add(sums.RelativeMae(c, first, count));
            normalised.Add(sums.RelativeMaeNormalised(scale, first, count));
        }
        for (int c = 0; c < names.Length; c++) curves[names[c]] = values[c];
        curves["normalised_all_channels"] = normalised;
        return new BlockErrorCurve(Options.BlockFrames, starts, centres, curves);
    }

    private ListeningResult? Listen(ITrajectoryModel model, IReadOnlyList<double> scale, TestSplit data, int frames, string outputDirectory,
        List<string> notes, IProgress<string>? progress)
    {
        int channels = scale.Count, count = Math.Min(Options.ListenTrajectories, data.Count), chunk = Options.ListenChunkFrames;
        string mode = chunk > 0 && chunk < frames ? $"restarted every {chunk} frames from the last prediction" : "single rollout";
        if (chunk > 0 && chunk < frames)
            notes.Add($"listening rollout restarted every {chunk} frames from the model's last predicted frame: exact for Markov models, an approximation for latent-state models");
        if (channels < 2)
            notes.Add("the model predicts displacement only: the audio files gt_XX/model_XX are displacement, not velocity");
        int fft = LogSpectralDistance.FitFftSize(Options.ListenFftSize, frames), hop = Math.Min(Options.ListenHop, fft);
        var trajectories = new List<ListenedTrajectory>();
        var clock = Stopwatch.StartNew();
        for (int n = 0; n < count; n++)
        {
            float[] signal; // (frames, C) at the pickup grid point, physical units
            try
            {
                signal = Rollouts.Pickup(model, Rollouts.InitialStates(data, n, 1, channels, scale), frames, chunk, data.GridPoints, data.PickupGridIndex, channels, scale);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notes.Add($"the {model.Family} model could not roll out {frames} frames ({frames / data.SampleRate} s) for listening: {e.Message.ReplaceLineEndings(" ")}. " +
                    "Choose a shorter --listen, or --listen-chunk K to restart the rollout every K frames. No audio was written.");
                return null;
            }
            int? diverged = null;
            for (int f = 0; f < frames && diverged is null; f++)
                for (int c = 0; c < channels; c++)
                    if (!float.IsFinite(signal[f * channels + c])) { diverged = f; break; }
            var audio = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var lsd = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var relative = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var peakGt = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var peakModel = new SortedDictionary<string, double>(StringComparer.Ordinal);
            for (int c = 0; c < channels; c++)
            {
                string name = TestSplit.ChannelNames[c];
                var modelSignal = new double[frames];
                var truthSignal = new double[frames];
                for (int f = 0; f < frames; f++)
                {
                    modelSignal[f] = signal[f * channels + c];
                    truthSignal[f] = data.Pickup[((long)n * data.PickupFrames + f) * 2 + c];
                }
                lsd[name] = LogSpectralDistance.Compute(modelSignal, truthSignal, fft, hop, Options.LsdFloorDb);
                relative[name] = RelativeL2(modelSignal, truthSignal);
                if (diverged is int d) Array.Clear(modelSignal, d, frames - d);
                peakGt[name] = truthSignal.Max(Math.Abs);
                peakModel[name] = modelSignal.Max(Math.Abs);
                bool heard = c == channels - 1; // velocity when there is one
                string suffix = heard ? "" : "_displacement";
                string gtFile = $"audio/gt_{n:00}{suffix}.wav", modelFile = $"audio/model_{n:00}{suffix}.wav";
                WavFile.Write(Path.Combine(outputDirectory, gtFile), truthSignal.Select(v => (float)v).ToArray(), (int)Math.Round(data.SampleRate),
                    WavSampleFormat.Float32, Options.WavPeak);
                WavFile.Write(Path.Combine(outputDirectory, modelFile), modelSignal.Select(v => (float)v).ToArray(), (int)Math.Round(data.SampleRate),
                    WavSampleFormat.Float32, Options.WavPeak);
                audio["gt" + suffix] = gtFile;
                audio["model" + suffix] = modelFile;
            }
            if (diverged is int at)
                notes.Add($"listening rollout of test trajectory {n} diverged (non-finite) at frame {at}: model_{n:00} is silent from there on");
            trajectories.Add(new ListenedTrajectory(n, data.FirstIndex + n, audio, lsd, relative, peakGt, peakModel, diverged));
            progress?.Report(FormattableString.Invariant($"listening rollout {n + 1}/{count}: {frames} frames ({clock.Elapsed.TotalSeconds:F1} s)"));
        }
        var means = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (string name in TestSplit.ChannelNames.Take(channels))
            means[name] = trajectories.Average(t => t.LsdDb[name]);
        return new ListeningResult(frames, frames / data.SampleRate, mode, fft, hop, trajectories, means, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Ground truth (frames, W, C) of test trajectory <paramref name="n"/>.</summary>
    private static float[] Truth(TestSplit data, int n, int frames, int channels)
    {
        int points = data.GridPoints;
        var truth = new float[frames * points * channels];
        for (int f = 0; f < frames; f++)
            for (int i = 0; i < points; i++)
                for (int c = 0; c < channels; c++)
                    truth[(f * points + i) * channels + c] = data.Fields[(((long)n * data.FieldFrames + f) * points + i) * 2 + c];
        return truth;
    }

    private static double RelativeL2(double[] prediction, double[] truth)
    {
        double error = 0, norm = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double e = prediction[i] - truth[i];
            error += e * e; norm += truth[i] * truth[i];
        }
        return Math.Sqrt(error / norm);
    }

    private static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length));
    }

    private static string UnitSquared(int channel) => channel == 0 ? "m^2" : "(m/s)^2";
}
