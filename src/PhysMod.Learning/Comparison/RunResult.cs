namespace PhysMod.Learning.Comparison;

/// <summary>One family trained with one seed: what happened to the run and everything measured on it.</summary>
public sealed record RunResult
{
    /// <summary>Family name.</summary>
    public required string Family { get; init; }

    /// <summary>The run's training seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The run folder relative to the comparison folder (runs/&lt;family&gt;-s&lt;seed&gt;).</summary>
    public required string RunFolder { get; init; }

    /// <summary>"ok" or "failed".</summary>
    public required string Status { get; init; }

    /// <summary>Why the run failed (exception message, divergence, non-finite metric), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>What this invocation did: trained (fresh), resumed (an unfinished run), reused (a finished run), none (failed first).</summary>
    public required string Action { get; init; }

    /// <summary>Values in the checkpoint's state dict (parameters and buffers).</summary>
    public long? Parameters { get; init; }

    /// <summary>Training wall time of the whole run (summed over resumed sessions), from its metrics.jsonl.</summary>
    public double? TrainingSeconds { get; init; }

    /// <summary>Process CPU time of the training done in this invocation (null when the run was reused).</summary>
    public double? TrainingCpuSeconds { get; init; }

    /// <summary>Optimiser steps of the run (1 for a closed-form fit).</summary>
    public long? Steps { get; init; }

    /// <summary>The training horizon in frames.</summary>
    public int? TrainingHorizonFrames { get; init; }

    /// <summary>Errors at 1× and 2× the training horizon.</summary>
    public IReadOnlyList<HorizonResult> Horizons { get; init; } = [];

    /// <summary>Log-spectral distance (dB) of the listening rollout against the dataset's pickup, by channel.</summary>
    public IReadOnlyDictionary<string, double?> ListeningLsdDb { get; init; } = new Dictionary<string, double?>();

    /// <summary>Seconds of the listening rollout.</summary>
    public double? ListeningSeconds { get; init; }

    /// <summary>Relative MAE of the displacement per block over the longest horizon.</summary>
    public ErrorCurve? ErrorCurve { get; init; }

    /// <summary>Inference speed.</summary>
    public InferenceTiming? Timing { get; init; }

    /// <summary>The first heatmap triptych, relative to the comparison folder.</summary>
    public string? Heatmap { get; init; }

    /// <summary>The model's listening WAV (velocity when the model predicts it), relative to the comparison folder.</summary>
    public string? AudioModel { get; init; }

    /// <summary>The ground-truth listening WAV of the same trajectory, relative to the comparison folder.</summary>
    public string? AudioGroundTruth { get; init; }

    /// <summary>The evaluator's notes.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
