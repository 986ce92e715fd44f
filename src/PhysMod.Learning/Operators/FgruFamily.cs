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

    /// <summary>The paper's string set-up: width 16, all bins, spectral bias, log10-MSE loss on full rollouts from frame 0;
    /// AdamW, one-cycle peak 1e-3, clip 0.5, batch 350 (the whole training split here), 5000 epochs.</summary>
    /// <remarks>Not measured to the end here (hours on 2 cores); 150 full-rollout steps at peak 3e-3 (batch 80, 32 bins) gave
    /// relative L2 0.95 at 1× (it predicts almost nothing).</remarks>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings { Epochs = 5000, BatchSize = 350, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200 },
        new FgruModelConfig().ToJson());

    /// <summary>The paper's cell (width 16, spectral bias, log10-MSE) with 32 bins and the update gate started near "keep"
    /// (pre-activation −3), trained on one random 50-frame window per trajectory, batch 20, peak 3e-3, 200 epochs (800 steps).</summary>
    /// <remarks>Measured on string-benchmark (test split): 52 306 parameters, 800 steps in 1005 s on the loaded 2-core machine;
    /// relative L2 of the displacement 0.481 at 1× and 0.724 at 2× — far from DMD (0.103 / 0.178). 25-frame windows: 1.07 at 1×.</remarks>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings { Epochs = 200, BatchSize = 20, PeakLearningRate = 3e-3, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200, WindowFrames = 50 },
        new FgruModelConfig { NModes = 32, UpdateGateBias = -3 }.ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new FgruModel(FgruModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
