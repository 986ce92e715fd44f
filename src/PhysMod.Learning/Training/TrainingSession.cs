using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Data;
using PhysMod.Learning.Models;
using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>One entry point for a training run: checks the data and the run folder, builds the model, optimiser, schedule,
/// clipping and batcher from the config, trains (or fits a closed-form family) and writes the run.</summary>
/// <remarks>
/// Fresh run: refuses a folder that already holds a run; opens the dataset and checks it serves train_frames and eval_frames;
/// computes the normalisation over the training split; seeds torch (<c>torch.manual_seed(seed)</c>) and creates the model —
/// all before writing anything — then writes config.json and trains. If the session fails before its first checkpoint, the
/// files it wrote are removed again, so a run folder holds a usable run or nothing.
/// Resume: reads config.json, checks the data file's SHA-256, recreates the model with the same seed, loads the checkpoint
/// (weights, optimiser state, torch generator) and continues from its step.
/// </remarks>
public static class TrainingSession
{
    /// <summary>Trains as <paramref name="request"/> says.</summary>
    public static TrainingOutcome Run(TrainingRequest request, Action<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new RunDirectory(request.RunFolder);
        if (File.Exists(run.Folder)) throw new InvalidSettingException($"--out '{request.RunFolder}' is a file; give a folder for the run");
        bool folderExisted = Directory.Exists(run.Folder);
        var (config, dataset) = request.Resume ? PrepareResume(request, run) : PrepareFresh(request, run);
        var settings = config.Training;

        manual_seed(settings.Seed);
        using var model = request.Family.Create(config.Model, config.Data.GridPoints, config.Data.Channels, config.SequenceFrames, settings.Seed);
        // A closed-form family is fitted once: one "step" (the fit), no optimiser.
        if (!request.Resume && model.ClosedForm) config = config with { ClosedForm = true, StepsPerEpoch = 1, TotalSteps = 1 };
        if (model.ClosedForm != config.ClosedForm)
            throw new InvalidDataException($"{run.ConfigPath}: the run says closed_form = {config.ClosedForm} but the {config.Family} model is {(model.ClosedForm ? "" : "not ")}closed-form");
        using var trajectories = dataset.LoadTensor(DataSplit.Train, settings.TrainFrames, config.Normalisation);
        if (!request.Resume && !model.ClosedForm && model is IDataInitialised initialised) initialised.InitialiseFromData(trajectories);

        bool wroteConfig = false;
        try
        {
            if (!request.Resume)
            {
                run.WriteConfig(config);
                wroteConfig = true;
            }
            var outcome = config.ClosedForm
                ? FitClosedForm(request, run, config, model, trajectories)
                : TrainWithGradients(request, run, config, model, trajectories, dataset, progress, cancel);
            if (outcome.CheckpointStep is null && wroteConfig) Clean(run, folderExisted);
            return outcome with { FinalLoss = FinalLoss(run, config) };
        }
        catch
        {
            if (wroteConfig && !run.HasCheckpoint) Clean(run, folderExisted);
            throw;
        }
    }

    /// <summary>Mean loss of the last epoch in the run's metrics (null when it has none).</summary>
    public static double? FinalLoss(RunDirectory run, RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(config);
        var records = run.ReadMetrics();
        if (records.Count == 0) return null;
        long lastEpoch = records[^1].Epoch;
        return records.Where(r => r.Epoch == lastEpoch).Average(r => r.Loss);
    }

    private static (RunConfig, TrajectoryDataset) PrepareFresh(TrainingRequest request, RunDirectory run)
    {
        if (run.HasRun)
            throw new InvalidSettingException($"--out '{run.Folder}' already holds a run ({(File.Exists(run.ConfigPath) ? RunDirectory.ConfigFileName : RunDirectory.CheckpointFileName)}): add --resume to continue it, or choose another --out folder");
        var familyConfig = request.Config ?? throw new ArgumentException("a new run needs a config", nameof(request));
        string dataPath = request.DataPath ?? throw new InvalidSettingException("--data FILE is required");
        var settings = familyConfig.Training.Validate();
        var dataset = TrajectoryDataset.Open(dataPath);
        dataset.RequireNonEmpty(DataSplit.Train);
        dataset.RequireFrames(settings.TrainFrames, "training.train_frames");
        dataset.RequireFrames(settings.EvalFrames, "training.eval_frames");
        var normalisation = dataset.ComputeNormalisation();
        var fingerprint = DatasetFingerprint.Of(dataPath);
        int sequenceFrames = settings.WindowFrames > 0 ? settings.WindowFrames : settings.TrainFrames;
        int batch = Math.Min(settings.BatchSize, dataset.Split.Train);
        long stepsPerEpoch = (dataset.Split.Train + batch - 1) / batch;
        long totalSteps = checked(stepsPerEpoch * settings.Epochs);
        var config = new RunConfig
        {
            Family = request.Family.Name,
            ProgramVersion = RunConfig.CurrentProgramVersion,
            Training = settings,
            Model = familyConfig.Model,
            Data = new RunData
            {
                Path = Path.GetFullPath(dataPath), Sha256 = fingerprint.Sha256, Bytes = fingerprint.Bytes, Trajectories = dataset.Count,
                Frames = dataset.Frames, GridPoints = dataset.GridPoints, Channels = dataset.Channels, Split = dataset.Split.ToString(),
                SampleRate = double.IsNaN(dataset.SampleRate) ? null : dataset.SampleRate,
            },
            Normalisation = normalisation,
            SequenceFrames = sequenceFrames,
            StepsPerEpoch = stepsPerEpoch,
            TotalSteps = totalSteps,
            ClosedForm = false,
        };
        return (config, dataset);
    }

    private static (RunConfig, TrajectoryDataset) PrepareResume(TrainingRequest request, RunDirectory run)
    {
        if (!Directory.Exists(run.Folder) || !File.Exists(run.ConfigPath))
            throw new InvalidSettingException($"--resume: '{run.Folder}' holds no run to resume (no {RunDirectory.ConfigFileName}); drop --resume to start one");
        var config = run.ReadConfig();
        if (config.Family != request.Family.Name)
            throw new InvalidSettingException($"--resume: the run in '{run.Folder}' is a {config.Family} run, not {request.Family.Name}");
        string dataPath = request.DataPath ?? config.Data.Path;
        var dataset = TrajectoryDataset.Open(dataPath);
        var fingerprint = DatasetFingerprint.Of(dataPath);
        if (fingerprint.Sha256 != config.Data.Sha256 || fingerprint.Bytes != config.Data.Bytes)
            throw new InvalidSettingException($"--resume: {dataPath} is not the dataset the run was trained on (SHA-256 {fingerprint.Sha256[..12]}…, the run has {config.Data.Sha256[..Math.Min(12, config.Data.Sha256.Length)]}… from {config.Data.Path})");
        return (config, dataset);
    }

    private static TrainingOutcome TrainWithGradients(TrainingRequest request, RunDirectory run, RunConfig config, ITrajectoryModel model,
        Tensor trajectories, TrajectoryDataset dataset, Action<TrainingProgress>? progress, CancellationToken cancel)
    {
        var settings = config.Training;
        var batcher = new TrajectoryBatcher(trajectories, settings.BatchSize, settings.Seed, settings.WindowFrames);
        if (batcher.StepsPerEpoch != config.StepsPerEpoch || checked(batcher.StepsPerEpoch * (long)settings.Epochs) != config.TotalSteps)
            throw new InvalidDataException($"{run.ConfigPath}: steps_per_epoch = {config.StepsPerEpoch} and total_steps = {config.TotalSteps} do not match the data and settings ({batcher.StepsPerEpoch} × {settings.Epochs} epochs)");
        var named = model.Module.named_parameters().ToList();
        using var optimiser = settings.Optimizer == "adam" ? AdamW.Adam(named) : new AdamW(named, settings.WeightDecay);
        var schedule = new OneCycleCosineSchedule(config.TotalSteps, settings.PeakLearningRate);
        var clip = new GlobalNormClip(settings.ClipNorm);
        long startStep = 0;
        double startElapsed = 0;
        long? existing = null;
        (double, long) best = (double.PositiveInfinity, 0);
        if (request.Resume && run.HasCheckpoint)
        {
            using var reader = CheckpointReader.Open(run.CheckpointPath);
            CheckRunMatches(reader, config);
            reader.LoadModule(model.Module, $"{config.Family} model");
            reader.LoadOptimiser(optimiser);
            using var rng = reader.ReadRngState();
            if (rng is not null) random.set_rng_state(rng);
            startStep = reader.RequireInt64("step");
            startElapsed = reader.RequireDouble("elapsed_s");
            existing = startStep;
            if (reader.Metadata.ContainsKey("best_score")) best = (reader.RequireDouble("best_score"), reader.RequireInt64("best_step"));
            if (startStep < 0 || startStep > config.TotalSteps)
                throw new InvalidDataException($"{run.CheckpointPath}: step {startStep} is outside [0, {config.TotalSteps}]");
        }
        if (startStep == config.TotalSteps)
        {
            return new TrainingOutcome
            {
                Status = TrainingStatus.Completed, Step = startStep, TotalSteps = config.TotalSteps, CheckpointStep = startStep,
                Elapsed = TimeSpan.FromSeconds(startElapsed), RunFolder = run.Folder,
                Message = $"the run was already complete ({startStep} steps); nothing to do",
            };
        }
        using var validation = settings.ValidateEvery > 0
            ? new ValidationRollout(dataset, config.Normalisation, settings.TrainFrames, settings.EvalFrames)
            : null;
        var trainer = new Trainer(model, optimiser, schedule, clip, batcher, new TrainerOptions
        {
            Validation = validation,
            ValidateEvery = settings.ValidateEvery,
            KeepBest = settings.KeepBest,
            StartBest = best,
            TotalSteps = config.TotalSteps,
            CheckpointEvery = settings.CheckpointEvery,
            Run = run,
            Seed = settings.Seed,
            CheckpointMetadata = RunMetadata(config),
            StartElapsedSeconds = startElapsed,
            ExistingCheckpointStep = existing,
        });
        return trainer.Run(startStep, cancel, progress);
    }

    private static TrainingOutcome FitClosedForm(TrainingRequest request, RunDirectory run, RunConfig config, ITrajectoryModel model, Tensor trajectories)
    {
        if (request.Resume && run.HasCheckpoint)
        {
            using var reader = CheckpointReader.Open(run.CheckpointPath);
            CheckRunMatches(reader, config);
            return new TrainingOutcome
            {
                Status = TrainingStatus.Completed, Step = 1, TotalSteps = 1, CheckpointStep = 1, RunFolder = run.Folder,
                Elapsed = TimeSpan.FromSeconds(reader.RequireDouble("elapsed_s")),
                Message = "the closed-form fit was already complete; nothing to do",
            };
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double loss;
        var parts = new SortedDictionary<string, double>(StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.Fit(trajectories);
            model.Module.eval();
            var (total, named) = model.Loss(trajectories);
            loss = total.to_type(ScalarType.Float64).item<double>();
            foreach (var (name, value) in named) parts[name] = value.to_type(ScalarType.Float64).item<double>();
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        if (!double.IsFinite(loss))
        {
            return new TrainingOutcome
            {
                Status = TrainingStatus.Diverged, Step = 0, TotalSteps = 1, RunFolder = run.Folder, Elapsed = clock.Elapsed,
                Message = $"the closed-form fit gave a {(double.IsNaN(loss) ? "NaN" : "non-finite")} loss on the training split; nothing was saved",
            };
        }
        using (var metrics = MetricsLog.Create(run.MetricsPath))
        {
            metrics.Append(new MetricsRecord { Step = 1, Epoch = 1, Loss = loss, Parts = parts, LearningRate = 0, GradNorm = 0, ElapsedSeconds = elapsed });
        }
        var metadata = new SortedDictionary<string, string>(RunMetadata(config).ToDictionary(), StringComparer.Ordinal)
        {
            ["step"] = "1", ["total_steps"] = "1", ["steps_per_epoch"] = "1", ["optimizer"] = "none", ["optimizer_count"] = "0",
            ["elapsed_s"] = elapsed.ToString("R", CultureInfo.InvariantCulture),
        };
        using (var scope = NewDisposeScope()) Checkpoint.Save(run.CheckpointPath, model.Module, null, random.get_rng_state(), metadata);
        return new TrainingOutcome
        {
            Status = TrainingStatus.Completed, Step = 1, TotalSteps = 1, CheckpointStep = 1, Elapsed = clock.Elapsed, RunFolder = run.Folder,
            Message = "fitted in closed form",
        };
    }

    /// <summary>The run-level checkpoint metadata: family, closed_form, normalisation and the whole config.</summary>
    public static IReadOnlyDictionary<string, string> RunMetadata(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["family"] = config.Family,
            ["closed_form"] = config.ClosedForm ? "true" : "false",
            ["normalisation"] = JsonSerializer.Serialize(config.Normalisation, TrainingJson.Compact),
            ["run_config"] = JsonSerializer.Serialize(config, TrainingJson.Compact),
            ["program_version"] = RunConfig.CurrentProgramVersion,
        };
    }

    private static void CheckRunMatches(CheckpointReader reader, RunConfig config)
    {
        string family = reader.Require("family");
        if (family != config.Family)
            throw new InvalidDataException($"{reader.Path}: the checkpoint is of a {family} model, but the run config says {config.Family}");
        long total = reader.RequireInt64("total_steps");
        if (total != config.TotalSteps)
            throw new InvalidDataException($"{reader.Path}: the checkpoint belongs to a run of {total} steps, but config.json now says {config.TotalSteps}");
    }

    // Removes what this session wrote when it leaves no checkpoint, so the folder does not look like a run.
    private static void Clean(RunDirectory run, bool folderExisted)
    {
        foreach (var file in new[] { run.ConfigPath, run.MetricsPath, run.BestPath })
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        if (!folderExisted)
        {
            try
            {
                if (Directory.Exists(run.Folder) && !Directory.EnumerateFileSystemEntries(run.Folder).Any()) Directory.Delete(run.Folder);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
