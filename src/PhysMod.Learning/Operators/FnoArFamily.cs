using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Operators;

/// <summary>The autoregressive Fourier neural operator family ("fno-ar", spec §6.3/§6.4): configs and factory.</summary>
public sealed class FnoArFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "fno-ar";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "autoregressive Fourier neural operator: one-step map of the state frame (direct or residual update), rolled out";

    /// <summary>The tutorial's FNO_AR.ipynb: hidden 32, n_modes = W, 4 layers, projection 128, direct update; 32 windows of
    /// 10 frames per trajectory; AdamW, one-cycle peak 1e-3, clip 1, batch 25, 5000 epochs (the tutorial checkpoint's count).</summary>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings { Epochs = 5000, BatchSize = 25, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200 },
        new FnoArModelConfig().ToJson());

    /// <summary>A smaller residual operator (CRS week 7 style) on fewer, longer windows.</summary>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings { Epochs = 100, BatchSize = 25, PeakLearningRate = 2e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200 },
        new FnoArModelConfig { Hidden = 32, Layers = 3, ProjectionHidden = 64, GridChannel = true, Update = "residual", WindowFrames = 16, WindowsPerTrajectory = 2 }.ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new FnoArModel(FnoArModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
