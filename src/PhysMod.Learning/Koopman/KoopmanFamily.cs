using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;

namespace PhysMod.Learning.Koopman;

/// <summary>The deep Koopman family ("koopman", spec §7.1): configs and factory.</summary>
/// <remarks>The tutorial's model and optimiser (spec §7.1) plus energy_phase, a linear encoder/decoder path and a DMD start;
/// the quick preset trains the same model for half the steps.</remarks>
public sealed class KoopmanFamily : IModelFamily
{
    /// <summary>Command-line name.</summary>
    public const string FamilyName = "koopman";

    /// <inheritdoc/>
    public string Name => FamilyName;

    /// <inheritdoc/>
    public string Description => "deep Koopman network: MLP encoder/decoder around diagonal complex linear latent dynamics";

    /// <summary>The tutorial's model (spec §7.1: encoder/decoder MLPs width 256, depth 3, SELU; 64 complex eigenvalues) with
    /// PhysMod's linear path and DMD start, trained with the tutorial's optimiser (AdamW, one-cycle peak 1e-3, batch 25, clip 1)
    /// for 250 epochs of 4 batches = 1000 steps, validating every 50 steps and keeping the best-validating weights.</summary>
    /// <remarks>Three PhysMod additions to the tutorial: <c>energy_phase</c> (eigenvalue frequencies depend on the initial latent
    /// energies, the pitch glide of a tension-modulated string), <c>linear_skip</c> (φ(x) = MLP(x) + P x, φ⁻¹(z) = MLP(z) + Q z)
    /// and <c>init = dmd</c> (eigenvalues, P and Q from the DMD of the training split, MLP outputs at zero: training starts from
    /// the DMD rollout). With the tutorial's ring start the extrapolation depended on the seed (the old 5000-step default beat
    /// DMD at 2× for seed 42 only: 0.143, 0.256, 0.206 for seeds 42–44); from the DMD start every seed tried beats it.
    /// <c>--set model.linear_skip=false --set model.init=ring --set model.energy_phase=false</c> gives the tutorial's model.
    /// Measured on string-benchmark (test split, relative L2 of displacement @1× / @2×; DMD 0.103 / 0.178), 1 thread:
    /// seed 42 0.0046 / 0.035, seed 43 0.0109 / 0.032, seed 44 0.0047 / 0.035, 132 s of CPU per run
    /// (<c>physmod train koopman --data FILE --seed S --out RUN</c>, then <c>physmod eval RUN --data FILE</c>).</remarks>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings
        {
            Epochs = 250, BatchSize = 25, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200,
            ValidateEvery = 50, KeepBest = true,
        },
        new KoopmanModelConfig { EnergyPhase = true, LinearSkip = true, Init = "dmd" }.ToJson());

    /// <summary>The same model and rate, 125 epochs (500 steps), validating every 20 steps.</summary>
    /// <remarks>The DMD start needs the tutorial's peak rate: at the old quick preset's 5e-3 the run diverged after ≈ 150
    /// steps (keep_best still held the step-140 weights). Measured as the default (1 thread): seed 42 0.0050 / 0.036,
    /// seed 43 0.0048 / 0.035, seed 44 0.0084 / 0.034, 68 s of CPU per run (<c>--preset quick</c>).</remarks>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings
        {
            Epochs = 125, BatchSize = 25, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200,
            ValidateEvery = 20, KeepBest = true,
        },
        new KoopmanModelConfig { EnergyPhase = true, LinearSkip = true, Init = "dmd" }.ToJson());

    /// <summary>The tutorial's model: the default without energy_phase, linear_skip and the DMD start.</summary>
    public JsonElement TutorialModel => new KoopmanModelConfig().ToJson();

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new KoopmanModel(KoopmanModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
