using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Data;
using PhysMod.Learning.Models;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>The gradient training loop: per step a batch, the model's loss, backward, global-norm clipping, the optimiser
/// update at the schedule's learning rate, a metrics line; checkpoints every K steps, at the end and on cancellation.</summary>
/// <remarks>
/// Each step runs in its own dispose scope. Before applying a step the trainer checks that the loss and the gradient norm are
/// finite; if not it stops (<see cref="TrainingStatus.Diverged"/>) without touching the parameters or the checkpoint on disk,
/// so the last good checkpoint stays. Everything a step depends on — parameters, optimiser moments and count, the schedule
/// (a function of the step), the batch (a function of seed and step) and the torch generator — is in the checkpoint, so a
/// resumed run is bit-identical to an uninterrupted one.
/// </remarks>
public sealed class Trainer
{
    private readonly ITrajectoryModel _model;
    private readonly IOptimiser _optimiser;
    private readonly ILearningRateSchedule _schedule;
    private readonly GlobalNormClip _clip;
    private readonly TrajectoryBatcher _batcher;
    private readonly TrainerOptions _options;
    private (double Score, long Step) _best;

    /// <summary>A trainer over the given strategies.</summary>
    public Trainer(ITrajectoryModel model, IOptimiser optimiser, ILearningRateSchedule schedule, GlobalNormClip clip,
        TrajectoryBatcher batcher, TrainerOptions options)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimiser = optimiser ?? throw new ArgumentNullException(nameof(optimiser));
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        _clip = clip ?? throw new ArgumentNullException(nameof(clip));
        _batcher = batcher ?? throw new ArgumentNullException(nameof(batcher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.TotalSteps < 1) throw new ArgumentOutOfRangeException(nameof(options), "total steps must be ≥ 1");
        if (options.CheckpointEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), "checkpoint_every must be ≥ 1");
        if (options.Validation is not null && options.ValidateEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), "validate_every must be ≥ 1 with a validation split");
        _best = options.StartBest;
    }

    /// <summary>Trains from <paramref name="startStep"/> updates done (0 for a fresh run, the checkpoint's step on resume) to
    /// the total, or until cancelled or diverged.</summary>
    /// <param name="startStep">Updates already applied to the model and optimiser.</param>
    /// <param name="cancel">Cancellation (Ctrl+C): honoured at the end of the current step, after writing a checkpoint.</param>
    /// <param name="progress">Called after every step.</param>
    public TrainingOutcome Run(long startStep, CancellationToken cancel = default, Action<TrainingProgress>? progress = null)
    {
        if (startStep < 0 || startStep > _options.TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(startStep), $"start step {startStep} is outside [0, {_options.TotalSteps}]");
        var run = _options.Run;
        Directory.CreateDirectory(run.Folder);
        var clock = Stopwatch.StartNew();
        double Elapsed() => _options.StartElapsedSeconds + clock.Elapsed.TotalSeconds;
        long? checkpointStep = _options.ExistingCheckpointStep;
        var parameters = _model.Module.parameters().Where(p => p.requires_grad).ToArray();
        _model.Module.train();
        long step = startStep;
        using var metrics = MetricsLog.Continue(run.MetricsPath, startStep);
        // with keep_best the starting weights compete too (a data-initialised start can be the best the run sees)
        if (startStep == 0 && _options.KeepBest) Validate(0);
        while (step < _options.TotalSteps)
        {
            var (epochIndex, _) = _batcher.PositionOf(step);
            long epoch = epochIndex + 1;
            double learningRate = _schedule.At(step);
            double loss, gradNorm;
            var parts = new SortedDictionary<string, double>(StringComparer.Ordinal);
            using (var scope = NewDisposeScope())
            {
                var result = TrainingStep.Apply(_model, _batcher.Batch(step), parameters, _clip, _optimiser, learningRate);
                (loss, gradNorm) = (result.Loss, result.GradNorm);
                if (!double.IsFinite(loss))
                    return Diverged(step, epoch, $"the loss is {Format(loss)}", checkpointStep, Elapsed());
                foreach (var (name, value) in result.Parts) parts[name] = value;
                if (!double.IsFinite(gradNorm))
                    return Diverged(step, epoch, $"the gradient norm is {Format(gradNorm)}", checkpointStep, Elapsed());
            }
            step++;
            var validation = Validate(step);
            double elapsed = Elapsed();
            metrics.Append(new MetricsRecord
            {
                Step = step, Epoch = epoch, Loss = loss, Parts = parts, LearningRate = learningRate, GradNorm = gradNorm, ElapsedSeconds = elapsed,
                Validation = validation,
            });
            progress?.Invoke(new TrainingProgress(step, _options.TotalSteps, epoch, loss, learningRate, gradNorm, TimeSpan.FromSeconds(elapsed)));
            bool saved = false;
            if (step % _options.CheckpointEvery == 0 || step == _options.TotalSteps)
            {
                SaveCheckpoint(step, elapsed);
                checkpointStep = step;
                saved = true;
            }
            if (cancel.IsCancellationRequested && step < _options.TotalSteps)
            {
                if (!saved)
                {
                    SaveCheckpoint(step, elapsed);
                    checkpointStep = step;
                }
                return new TrainingOutcome
                {
                    Status = TrainingStatus.Interrupted, Step = step, TotalSteps = _options.TotalSteps, CheckpointStep = checkpointStep,
                    Elapsed = TimeSpan.FromSeconds(elapsed), RunFolder = run.Folder,
                    Message = $"interrupted after step {step} of {_options.TotalSteps}; checkpoint saved",
                };
            }
        }
        return new TrainingOutcome
        {
            Status = TrainingStatus.Completed, Step = step, TotalSteps = _options.TotalSteps, CheckpointStep = checkpointStep,
            Elapsed = TimeSpan.FromSeconds(Elapsed()), RunFolder = run.Folder,
            Message = $"trained {step} steps",
        };
    }

    // On validating steps (every validate_every and the last): the validation errors, and with keep_best the weights to
    // best.safetensors when their score e_1× + e_2× is the lowest so far (a NaN score never is).
    private IReadOnlyDictionary<string, double>? Validate(long step)
    {
        if (_options.Validation is not { } validation || (step % _options.ValidateEvery != 0 && step != _options.TotalSteps)) return null;
        var (horizon1, horizon2) = validation.Score(_model);
        double score = horizon1 + horizon2;
        if (_options.KeepBest && score < _best.Score)
        {
            _best = (score, step);
            var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in _options.CheckpointMetadata) metadata[k] = v;
            metadata["step"] = step.ToString(CultureInfo.InvariantCulture);
            metadata["total_steps"] = _options.TotalSteps.ToString(CultureInfo.InvariantCulture);
            metadata["best_score"] = score.ToString("R", CultureInfo.InvariantCulture);
            using var scope = NewDisposeScope();
            Checkpoint.Save(_options.Run.BestPath, _model.Module, null, null, metadata);
        }
        return new SortedDictionary<string, double>(StringComparer.Ordinal) { ["rel_l2_1x"] = horizon1, ["rel_l2_2x"] = horizon2 };
    }

    /// <summary>The checkpoint metadata of the trainer's position after <paramref name="step"/> updates.</summary>
    public IReadOnlyDictionary<string, string> PositionMetadata(long step, double elapsedSeconds)
    {
        var (epoch, batch) = _batcher.PositionOf(step);
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["step"] = I($"{step}"),
            ["total_steps"] = I($"{_options.TotalSteps}"),
            ["steps_per_epoch"] = I($"{_batcher.StepsPerEpoch}"),
            ["optimizer"] = _optimiser.Name,
            ["optimizer_count"] = I($"{_optimiser.Count}"),
            ["schedule_step"] = I($"{step}"),
            ["learning_rate_next"] = I($"{_schedule.At(step):R}"),
            // The batcher is counter-based: its position is its whole state.
            ["batcher"] = JsonSerializer.Serialize(new { kind = "counter", seed = _options.Seed, epoch, batch }),
            ["elapsed_s"] = I($"{elapsedSeconds:R}"),
            ["best_score"] = I($"{_best.Score:R}"),
            ["best_step"] = I($"{_best.Step}"),
        };
    }

    private void SaveCheckpoint(long step, double elapsed)
    {
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in _options.CheckpointMetadata) metadata[k] = v;
        foreach (var (k, v) in PositionMetadata(step, elapsed)) metadata[k] = v;
        using var scope = NewDisposeScope();
        Checkpoint.Save(_options.Run.CheckpointPath, _model.Module, _optimiser, random.get_rng_state(), metadata);
    }

    private TrainingOutcome Diverged(long step, long epoch, string what, long? checkpointStep, double elapsed)
    {
        string kept = checkpointStep is { } c
            ? $"the last good checkpoint (step {c}) is kept in {_options.Run.Folder}"
            : "no checkpoint had been written yet";
        return new TrainingOutcome
        {
            Status = TrainingStatus.Diverged, Step = step, TotalSteps = _options.TotalSteps, CheckpointStep = checkpointStep,
            Elapsed = TimeSpan.FromSeconds(elapsed), RunFolder = _options.Run.Folder,
            Message = $"training diverged: {what} at step {step + 1} (epoch {epoch}); {kept}; try a lower training.peak_learning_rate or training.clip_norm",
        };
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
