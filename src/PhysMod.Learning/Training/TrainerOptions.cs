namespace PhysMod.Learning.Training;

/// <summary>Where and how often the <see cref="Trainer"/> writes, and how long the run is.</summary>
public sealed record TrainerOptions
{
    /// <summary>Optimiser steps of the whole run.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Write a checkpoint every this many steps (and at the end).</summary>
    public required int CheckpointEvery { get; init; }

    /// <summary>The run folder (checkpoint and metrics).</summary>
    public required RunDirectory Run { get; init; }

    /// <summary>The batcher's seed (recorded in checkpoints).</summary>
    public long Seed { get; init; }

    /// <summary>Extra checkpoint metadata (family, config, normalisation, …).</summary>
    public IReadOnlyDictionary<string, string> CheckpointMetadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Training seconds already spent (from the checkpoint on resume).</summary>
    public double StartElapsedSeconds { get; init; }

    /// <summary>The validation split and how often to roll it out (null = never).</summary>
    public ValidationRollout? Validation { get; init; }

    /// <summary>Steps between validations (with <see cref="Validation"/>).</summary>
    public int ValidateEvery { get; init; }

    /// <summary>Whether to keep the best-validating weights in best.safetensors.</summary>
    public bool KeepBest { get; init; }

    /// <summary>The best validation score and its step so far (from the checkpoint on resume).</summary>
    public (double Score, long Step) StartBest { get; init; } = (double.PositiveInfinity, 0);

    /// <summary>The step of the checkpoint already on disk (on resume), reported when nothing newer is written.</summary>
    public long? ExistingCheckpointStep { get; init; }
}
