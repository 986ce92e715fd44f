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

    /// <summary>The tutorial's model and training (spec §7.1): encoder/decoder MLPs width 256, depth 3 (SELU), 64 complex
    /// eigenvalues on the ring [0.99, 1] with phases up to π; AdamW, one-cycle peak 1e-3, batch 25, clip 1; 1250 epochs of 4
    /// batches = 5000 steps, the step count of the tutorial's checkpoint (its epoch loop stops after one batch, spec §7.1).</summary>
    /// <remarks>Beyond the tutorial, two PhysMod defaults: <c>energy_phase</c> (eigenvalue frequencies depend on the initial
    /// latent energies, the pitch glide of a tension-modulated string; <c>--set model.energy_phase=false</c> gives the tutorial's
    /// model) and validation every 50 steps keeping the best-validating weights (<c>training.keep_best</c>).</remarks>
    public FamilyConfig DefaultConfig { get; } = new(
        new TrainingSettings
        {
            Epochs = 1250, BatchSize = 25, PeakLearningRate = 1e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200,
            ValidateEvery = 50, KeepBest = true,
        },
        new KoopmanModelConfig { EnergyPhase = true }.ToJson());

    /// <summary>The same model, 500 epochs (2000 steps) at a 5× higher peak learning rate (5e-3), validating every 20 steps.</summary>
    /// <remarks>Measured on string-benchmark (N = 100, seed 0, test split): relative L2 of displacement 0.065 at 1× and 0.117 at
    /// 2× the horizon (DMD: 0.103 / 0.178; without energy_phase 0.097 / 0.183); 2000 steps of ≈ 100 ms (2 threads) ≈ 3.5 min
    /// of CPU on a quiet machine.</remarks>
    public FamilyConfig QuickConfig { get; } = new(
        new TrainingSettings
        {
            Epochs = 500, BatchSize = 25, PeakLearningRate = 5e-3, Optimizer = "adamw", ClipNorm = 1.0, TrainFrames = 100, EvalFrames = 200,
            ValidateEvery = 20, KeepBest = true,
        },
        new KoopmanModelConfig { EnergyPhase = true }.ToJson());

    /// <summary>The tutorial's model: the default without energy_phase.</summary>
    public JsonElement TutorialModel => new KoopmanModelConfig().ToJson();

    /// <inheritdoc/>
    public ITrajectoryModel Create(JsonElement modelConfig, int gridPoints, int channels, int trainFrames, long seed) =>
        new KoopmanModel(KoopmanModelConfig.FromJson(modelConfig), gridPoints, channels, seed);
}
