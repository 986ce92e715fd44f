using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Operators;

/// <summary>The Fourier GRU family ("fgru", Parker et al. DAFx22): configs and factory.</summary>
public sealed class FgruFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "fgru";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "Fourier GRU (DAFx22): GRU on a hidden field with Fourier-convolution gates, trained on full rollouts";

    /// <summary>The paper's string set-up: width 16, all bins, spectral bias, log10-MSE loss; AdamW, one-cycle peak 1e-3,
    /// clip 0.5, batch 350 (the whole training split here), 5000 epochs.</summary>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings { Epochs = 5000, BatchSize = 350, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200 },
        new FgruModelConfig().ToJson());

    /// <summary>The paper's model, fewer epochs at a higher peak rate.</summary>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings { Epochs = 300, BatchSize = 40, PeakLearningRate = 3e-3, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200 },
        new FgruModelConfig().ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new FgruModel(FgruModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
