using PhysMod.Learning.Data;
using PhysMod.Learning.Models;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>A trained run loaded for evaluation or export: its family, config, normalisation and the model with the
/// checkpoint's weights, in eval mode.</summary>
/// <remarks>The model works in normalised units: divide inputs by <see cref="Normalisation"/> (<see cref="Normalisation.Normalise"/>)
/// and multiply outputs back (<see cref="Normalisation.Denormalise"/>). Training horizon = <c>Config.Training.TrainFrames</c>,
/// evaluation horizon = <c>Config.Training.EvalFrames</c>.</remarks>
public sealed class TrainedRun : IDisposable
{
    private TrainedRun(RunDirectory directory, RunConfig config, IModelFamily family, ITrajectoryModel model, long step, long totalSteps)
    {
        Directory = directory;
        Config = config;
        Family = family;
        Model = model;
        Step = step;
        TotalSteps = totalSteps;
    }

    /// <summary>The run folder and its file paths.</summary>
    public RunDirectory Directory { get; }

    /// <summary>The resolved run config (config.json).</summary>
    public RunConfig Config { get; }

    /// <summary>The family.</summary>
    public IModelFamily Family { get; }

    /// <summary>The model with the checkpoint's weights, in eval mode.</summary>
    public ITrajectoryModel Model { get; }

    /// <summary>Per-channel scaling the model works in.</summary>
    public Normalisation Normalisation => Config.Normalisation;

    /// <summary>Updates done when the checkpoint was written.</summary>
    public long Step { get; }

    /// <summary>Updates of the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Whether the run trained to the end (false for an interrupted run).</summary>
    public bool Finished => Step >= TotalSteps;

    /// <summary>Loads the run in <paramref name="runFolder"/>; <paramref name="family"/> defaults to the registered family of
    /// the run's name (<see cref="ModelFamilies.Find"/>).</summary>
    /// <exception cref="FileNotFoundException">The folder holds no config.json or no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The config or checkpoint is corrupt or does not match the family's model.</exception>
    public static TrainedRun Load(string runFolder, IModelFamily? family = null)
    {
        var directory = new RunDirectory(runFolder);
        var config = directory.ReadConfig();
        family ??= ModelFamilies.Find(config.Family);
        if (family.Name != config.Family)
            throw new InvalidDataException($"{directory.ConfigPath}: the run is a {config.Family} run, not {family.Name}");
        if (!directory.HasCheckpoint)
            throw new FileNotFoundException($"{directory.Folder}: the run has no {RunDirectory.CheckpointFileName} yet (training never reached a checkpoint)", directory.CheckpointPath);
        using var reader = CheckpointReader.Open(directory.CheckpointPath);
        string weightsPath = directory.WeightsPath(config);
        using var weights = weightsPath == directory.CheckpointPath ? null : CheckpointReader.Open(weightsPath);
        string stored = reader.Require("family");
        if (stored != config.Family)
            throw new InvalidDataException($"{reader.Path}: the checkpoint is of a {stored} model, but config.json says {config.Family}");
        manual_seed(config.Training.Seed);
        var model = family.Create(config.Model, config.Data.GridPoints, config.Data.Channels, config.SequenceFrames, config.Training.Seed);
        try
        {
            (weights ?? reader).LoadModule(model.Module, $"{config.Family} model");
            model.Module.eval();
            return new TrainedRun(directory, config, family, model, reader.RequireInt64("step"), reader.RequireInt64("total_steps"));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The run's metrics records (for loss curves).</summary>
    public IReadOnlyList<MetricsRecord> ReadMetrics() => Directory.ReadMetrics();

    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();
}
