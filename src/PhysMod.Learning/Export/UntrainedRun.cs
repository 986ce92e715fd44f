using System.Text.Json;
using PhysMod.Learning.Data;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Export;

/// <summary>Writes a run folder (config.json + checkpoint.safetensors, as training writes them) for a model that was not
/// trained, so that export, voices and benchmarks can be exercised on models of any size without training them.</summary>
public static class UntrainedRun
{
    /// <summary>Saves <paramref name="model"/> (built from <paramref name="modelConfig"/>) as a run in <paramref name="folder"/>.</summary>
    /// <param name="folder">Run folder (created).</param>
    /// <param name="model">The model whose current weights are saved.</param>
    /// <param name="modelConfig">The family's model config the model was built from.</param>
    /// <param name="data">The dataset the run claims (shape and frame rate are used by the voice).</param>
    /// <param name="normalisation">The per-channel scaling the model works in.</param>
    /// <param name="sequenceFrames">Training horizon recorded in the run.</param>
    /// <param name="seed">Seed recorded in the run's training settings.</param>
    public static RunConfig Write(string folder, ITrajectoryModel model, JsonElement modelConfig, RunData data, Normalisation normalisation,
        int sequenceFrames, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        var run = new RunDirectory(folder);
        var config = new RunConfig
        {
            Family = model.Family,
            ProgramVersion = RunConfig.CurrentProgramVersion,
            Training = new TrainingSettings { Seed = seed, Epochs = 1, TrainFrames = sequenceFrames, EvalFrames = sequenceFrames }.Validate(),
            Model = modelConfig,
            Data = data,
            Normalisation = normalisation.Validate(data.Channels),
            SequenceFrames = sequenceFrames,
            StepsPerEpoch = 1,
            TotalSteps = 0,
            ClosedForm = model.ClosedForm,
        };
        run.WriteConfig(config);
        var metadata = new Dictionary<string, string>(TrainingSession.RunMetadata(config))
        {
            ["step"] = "0", ["total_steps"] = "0", ["steps_per_epoch"] = "1", ["optimizer"] = "none", ["optimizer_count"] = "0",
        };
        Checkpoint.Save(run.CheckpointPath, model.Module, null, null, metadata);
        return config;
    }
}
