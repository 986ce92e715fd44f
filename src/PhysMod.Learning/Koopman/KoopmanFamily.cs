using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Koopman;

/// <summary>The deep Koopman family ("koopman", spec §7.1): configs and factory.</summary>
/// <remarks>Defaults are the tutorial's (spec §7.1); the quick preset trades epochs for a higher peak rate.</remarks>
public sealed class KoopmanFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "koopman";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "deep Koopman network: MLP encoder/decoder around diagonal complex linear latent dynamics";

    /// <inheritdoc/>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings { Epochs = 3000, BatchSize = 25, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200 },
        new KoopmanModelConfig().ToJson());

    /// <inheritdoc/>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings { Epochs = 500, BatchSize = 25, PeakLearningRate = 5e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200 },
        new KoopmanModelConfig().ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new KoopmanModel(KoopmanModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
