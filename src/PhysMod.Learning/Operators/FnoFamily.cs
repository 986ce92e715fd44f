using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Operators;

/// <summary>The one-shot Fourier neural operator family ("fno", spec §6.2): configs and factory.</summary>
public sealed class FnoFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "fno";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "one-shot Fourier neural operator: initial frame → all frames of the training horizon (4 Fourier layers)";

    /// <summary>The tutorial's FNO.ipynb: hidden 32, n_modes = W, 4 layers, projection 128; AdamW, one-cycle peak 5e-3,
    /// clip 1, batch 128 (the whole training split), 1000 epochs.</summary>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings { Epochs = 1000, BatchSize = 128, PeakLearningRate = 5e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200 },
        new FnoModelConfig().ToJson());

    /// <summary>The tutorial's model with fewer epochs.</summary>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings { Epochs = 300, BatchSize = 128, PeakLearningRate = 5e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200 },
        new FnoModelConfig().ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new FnoModel(FnoModelConfig.FromJson(modelConfig), gridPoints, channels, trainFrames, seed);
}
