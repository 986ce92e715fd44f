using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Baselines;

/// <summary>The DMD baseline family ("dmd"): a closed-form least-squares linear operator on the flattened frame.</summary>
/// <remarks>The training settings matter only for the data (train/eval frames, seed); the fit is one SVD, so epochs are 1.</remarks>
public sealed class DmdFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "dmd";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "dynamic mode decomposition: least-squares linear operator on the flattened frame (baseline)";

    /// <inheritdoc/>
    public FamilyConfig DefaultConfig { get; } = new(new TrainingSettings { Epochs = 1 }, new DmdModelConfig().ToJson());

    /// <inheritdoc/>
    public FamilyConfig QuickConfig { get; } = new(new TrainingSettings { Epochs = 1 }, new DmdModelConfig().ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new DmdModel(DmdModelConfig.FromJson(modelConfig), gridPoints, channels);
}
