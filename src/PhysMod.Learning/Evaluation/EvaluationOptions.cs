using PhysMod.Physics;

namespace PhysMod.Learning.Evaluation;

/// <summary>What the evaluator computes and writes: horizons, block size, spectral settings, figures and the listening rollout.</summary>
/// <remarks>Horizons are counted in frames from frame 0 (the initial state) inclusive: horizon K compares frames 0..K−1.</remarks>
public sealed record EvaluationOptions
{
    /// <summary>The training horizon H in frames (the run's <c>training.train_frames</c>); metrics are reported at multiples of it.</summary>
    public int TrainingHorizon { get; init; } = 100;

    /// <summary>Multiples of <see cref="TrainingHorizon"/> to report (1× and 2× in the tutorial); the largest sets the rollout length.</summary>
    public IReadOnlyList<int> HorizonMultiples { get; init; } = [1, 2];

    /// <summary>Frames per block of the relative-MAE-over-time curve.</summary>
    public int BlockFrames { get; init; } = 10;

    /// <summary>Test trajectories rolled out per model call.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>FFT size of the short-horizon log-spectral distance (reduced to the largest power of two ≤ the horizon).</summary>
    public int ShortFftSize { get; init; } = 64;

    /// <summary>Hop of the short-horizon log-spectral distance.</summary>
    public int ShortHop { get; init; } = 16;

    /// <summary>FFT size of the listening-rollout log-spectral distance.</summary>
    public int ListenFftSize { get; init; } = 1024;

    /// <summary>Hop of the listening-rollout log-spectral distance.</summary>
    public int ListenHop { get; init; } = 256;

    /// <summary>Dynamic range in dB kept by the log-spectral distance: magnitudes below the ground truth's loudest STFT cell
    /// minus this are raised to that floor in both signals, so numerical noise in silent bins does not dominate.</summary>
    public double LsdFloorDb { get; init; } = 80;

    /// <summary>Test trajectories drawn as prediction / ground truth / difference heatmaps.</summary>
    public int FigureTrajectories { get; init; } = 3;

    /// <summary>Length in seconds of the listening rollout (0 = no audio).</summary>
    public double ListenSeconds { get; init; } = 0.5;

    /// <summary>Test trajectories (the first ones) rendered as audio.</summary>
    public int ListenTrajectories { get; init; } = 1;

    /// <summary>0: the listening rollout is one model call. K &gt; 0: it restarts from the last predicted frame every K frames,
    /// which bounds memory and is exact for Markov models (DMD, autoregressive operators) but an approximation for models
    /// with a latent state (Koopman, SSM), which then re-encode their own prediction.</summary>
    public int ListenChunkFrames { get; init; }

    /// <summary>Evaluate on a dataset whose grid differs from the training grid (resolution transfer). Only models whose rollout
    /// accepts any grid (the Fourier operators) can; others fail with their own shape error.</summary>
    public bool AllowGridChange { get; init; }

    /// <summary>Peak level of the written WAV files (each file is scaled to it independently).</summary>
    public double WavPeak { get; init; } = 0.9;

    /// <summary>The horizons in frames, ascending and distinct.</summary>
    public IReadOnlyList<int> Horizons => HorizonMultiples.Select(m => m * TrainingHorizon).Distinct().Order().ToArray();

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the value and the allowed range.</summary>
    public EvaluationOptions Validate()
    {
        static void AtLeast(string name, double value, double minimum)
        {
            if (!(value >= minimum) || !double.IsFinite(value))
                throw new InvalidSettingException($"{name} = {value}: must be ≥ {minimum}");
        }
        AtLeast("horizon", TrainingHorizon, 2);
        if (HorizonMultiples.Count == 0) throw new InvalidSettingException("horizon multiples: give at least one (e.g. 1, 2)");
        foreach (int m in HorizonMultiples) AtLeast("horizon multiple", m, 1);
        AtLeast("block frames", BlockFrames, 1);
        AtLeast("batch size", BatchSize, 1);
        foreach (var (name, size) in new[] { ("short FFT size", ShortFftSize), ("listen FFT size", ListenFftSize) })
            if (size < 4 || !System.Numerics.BitOperations.IsPow2(size))
                throw new InvalidSettingException($"{name} = {size}: must be a power of two ≥ 4");
        AtLeast("short hop", ShortHop, 1);
        AtLeast("listen hop", ListenHop, 1);
        AtLeast("LSD floor (dB)", LsdFloorDb, 1);
        AtLeast("figure trajectories", FigureTrajectories, 0);
        AtLeast("listen (s)", ListenSeconds, 0);
        AtLeast("listen trajectories", ListenTrajectories, 0);
        AtLeast("listen chunk frames", ListenChunkFrames, 0);
        if (!(WavPeak > 0 && WavPeak <= 1)) throw new InvalidSettingException($"WAV peak = {WavPeak}: must be in (0, 1]");
        return this;
    }
}
