using System.Text.Json.Serialization;

namespace PhysMod.Learning.Training;

/// <summary>One line of <c>RUN/metrics.jsonl</c>: the losses, learning rate and gradient norm of one optimiser step.</summary>
public sealed record MetricsRecord
{
    /// <summary>Updates done, counting this one (1 for the first step).</summary>
    public required long Step { get; init; }

    /// <summary>The epoch of this step, counting from 1.</summary>
    public required long Epoch { get; init; }

    /// <summary>The total loss of the batch (before the update).</summary>
    public required double Loss { get; init; }

    /// <summary>The named loss parts.</summary>
    public required IReadOnlyDictionary<string, double> Parts { get; init; }

    /// <summary>The learning rate of this update.</summary>
    [JsonPropertyName("lr")]
    public required double LearningRate { get; init; }

    /// <summary>Global gradient norm before clipping.</summary>
    public required double GradNorm { get; init; }

    /// <summary>Validation relative L2 of the displacement at 1× and 2× the horizon, on the steps that validate (else null).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? Validation { get; init; }

    /// <summary>Training time since the run started (summed over resumed sessions), in seconds.</summary>
    [JsonPropertyName("elapsed_s")]
    public required double ElapsedSeconds { get; init; }
}
