using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Operators;

/// <summary>The Fourier RNN family ("frnn", Parker et al. DAFx22): configs and factory.</summary>
public sealed class FrnnFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "frnn";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "Fourier RNN (DAFx22): hidden field advanced by Fourier + 1×1 convolution blocks, trained on full rollouts";

    /// <summary>The paper's string set-up: width 16, depth 3, all bins, ReLU, spectral bias, log10-MSE loss; AdamW, one-cycle
    /// peak 1e-3, clip 0.5, batch 350 (the whole training split here), 5000 epochs.</summary>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings { Epochs = 5000, BatchSize = 350, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200 },
        new FrnnModelConfig().ToJson());

    /// <summary>The paper's model, fewer epochs at a higher peak rate.</summary>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings { Epochs = 300, BatchSize = 40, PeakLearningRate = 3e-3, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200 },
        new FrnnModelConfig().ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new FrnnModel(FrnnModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
