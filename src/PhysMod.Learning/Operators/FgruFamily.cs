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

    /// <summary>The paper's cell (width 16, spectral bias, log10-MSE) with 32 bins as a correction on top of PhysMod's modal path
    /// (<c>model.linear_path = modal</c>: x̂_k = path(x̂_{k−1}) + σ·readout(h_k), the <see cref="ModalEnergyPath"/> fitted in
    /// closed form before the first step, the readout started at zero); the candidate started at the identity, the reset gate
    /// open (+5) and the update gate open (+3); whole 100-frame training trajectories (one window per trajectory), batch 20,
    /// peak 1e-2, 180 epochs (720 steps), validated every 90 steps, best weights kept.</summary>
    /// <remarks>Measured on string-benchmark (test split, <c>physmod train fgru --preset quick --seed S</c> then
    /// <c>physmod eval</c>, one thread): 52 306 parameters, 720 steps in 217–231 s of CPU; relative L2 of the displacement for seeds 42 / 43 / 44
    /// 0.0074 / 0.0077 / 0.0075 at 1× and 0.0128 / 0.0135 / 0.0130 at 2×, validation 15–21 % below the path's (DMD 0.103 / 0.178; the path alone, <c>modal-dmd</c>: 0.0086 / 0.0149).
    /// With 50-frame windows the network moved the validation score by 0.5–2 % at peak 3e-3 (test 0.0087 / 0.0148–0.0149, seeds
    /// 42–44) and by 4–5 % at 1e-2 (seed 42: 0.0086 / 0.0146); at 3e-2, 3 % (0.0085 / 0.0146).
    /// Without the path (<c>--set model.linear_path=none --set training.peak_learning_rate=0.003</c>, the previous quick
    /// preset): 0.307 / 0.828; update gate −1: 0.398 / 0.986; random candidate, update gate −3: 0.481 / 0.724. A nearly shut
    /// update gate needs candidate weights of order θ/z for a per-step rotation θ, which the tanh saturates.</remarks>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings
        {
            Epochs = 180, BatchSize = 20, PeakLearningRate = 1e-2, Optimizer = "adamw", ClipNorm = 0.5, TrainFrames = 100, EvalFrames = 200,
            WindowFrames = 100, ValidateEvery = 90, KeepBest = true,
        },
        new FgruModelConfig { NModes = 32, UpdateGateBias = 3, ResetGateBias = 5, IdentityInit = true, LinearPath = "modal" }.ToJson());

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new FgruModel(FgruModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
