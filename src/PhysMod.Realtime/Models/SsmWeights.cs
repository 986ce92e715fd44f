namespace PhysMod.Realtime.Models;

/// <summary>Everything a streaming stacked-LRU model needs: frame shape, the expansion LRU and the sequence layers.</summary>
public sealed record SsmWeights
{
    /// <summary>W.</summary>
    public required int GridPoints { get; init; }

    /// <summary>C.</summary>
    public required int Channels { get; init; }

    /// <summary>The first LRU, in initial-condition mode (no feedthrough).</summary>
    public required LruWeights First { get; init; }

    /// <summary>The sequence layers in order.</summary>
    public required IReadOnlyList<SequenceLayerWeights> Layers { get; init; }

    /// <summary>energy_phase map A of the expansion layer (H·H, row-major), or null when the option is off.</summary>
    public float[]? PhaseEnergy { get; init; }

    /// <summary>LayerNorm ε.</summary>
    public float NormEpsilon { get; init; } = 1e-5f;

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => First.ParameterCount + Layers.Sum(l => l.ParameterCount) + (PhaseEnergy?.LongLength ?? 0);
}
