namespace PhysMod.Learning.Training;

/// <summary>Optimisation settings shared by every family, with optax semantics (spec §0): AdamW (b1 0.9, b2 0.999, eps 1e-8),
/// one-cycle cosine schedule (warm-up from peak/25 over 30 % of the steps, decay to peak/(25·10⁴)), global-norm clipping.</summary>
public sealed record TrainingSettings
{
    /// <summary>Passes over the training split.</summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>Trajectories per batch.</summary>
    public int BatchSize { get; init; } = 25;

    /// <summary>Peak learning rate of the one-cycle schedule.</summary>
    public double PeakLearningRate { get; init; } = 1e-3;

    /// <summary>adamw or adam.</summary>
    public string Optimizer { get; init; } = "adamw";

    /// <summary>Decoupled weight decay (optax adamw default 1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Global-norm gradient clip (0 = none).</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Frames per training trajectory (the training horizon).</summary>
    public int TrainFrames { get; init; } = 100;

    /// <summary>Frames per evaluation trajectory (2× the horizon in the tutorial).</summary>
    public int EvalFrames { get; init; } = 200;

    /// <summary>Frames of a random window cut from each training trajectory per step (start uniform in
    /// [0, train_frames − window]); 0 = train on the whole train_frames (the tutorial's setting).</summary>
    public int WindowFrames { get; init; }

    /// <summary>Write a checkpoint every this many steps (and at the end).</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>Roll the validation split out every this many steps (and at the end) and log its relative L2 at 1× and 2×
    /// the horizon; 0 = never.</summary>
    public int ValidateEvery { get; init; }

    /// <summary>Keep the weights with the best validation score (e_1× + e_2×) in best.safetensors and evaluate, export and
    /// render those instead of the last ones; needs validate_every &gt; 0.</summary>
    public bool KeepBest { get; init; }

    /// <summary>Seed for initialisation, shuffling and windows.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Checks ranges; throws InvalidSettingException naming the value.</summary>
    public TrainingSettings Validate()
    {
        static void Positive(string name, double v)
        {
            if (!(v > 0) || double.IsInfinity(v)) throw new PhysMod.Physics.InvalidSettingException($"training.{name} = {v}: must be > 0");
        }
        Positive("epochs", Epochs); Positive("batch_size", BatchSize); Positive("peak_learning_rate", PeakLearningRate);
        Positive("train_frames", TrainFrames); Positive("eval_frames", EvalFrames); Positive("checkpoint_every", CheckpointEvery);
        if (WindowFrames < 0 || WindowFrames == 1 || WindowFrames > TrainFrames)
            throw new PhysMod.Physics.InvalidSettingException($"training.window_frames = {WindowFrames}: must be 0 (whole trajectories) or in [2, train_frames = {TrainFrames}]");
        if (TrainFrames < 2) throw new PhysMod.Physics.InvalidSettingException($"training.train_frames = {TrainFrames}: must be ≥ 2");
        if (WeightDecay < 0 || ClipNorm < 0) throw new PhysMod.Physics.InvalidSettingException("training.weight_decay and training.clip_norm must be ≥ 0");
        if (ValidateEvery < 0) throw new PhysMod.Physics.InvalidSettingException($"training.validate_every = {ValidateEvery}: must be ≥ 0 (0 = never)");
        if (KeepBest && ValidateEvery == 0) throw new PhysMod.Physics.InvalidSettingException("training.keep_best = true needs training.validate_every > 0 (steps between validations)");
        if (Optimizer is not ("adamw" or "adam")) throw new PhysMod.Physics.InvalidSettingException($"training.optimizer = '{Optimizer}': allowed are adamw, adam");
        return this;
    }
}
