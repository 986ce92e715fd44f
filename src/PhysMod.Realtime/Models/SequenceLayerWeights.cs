namespace PhysMod.Realtime.Models;

/// <summary>The parameters of one pre-norm residual LRU block x → x + act(LRU(LayerNorm(x))) (spec §7.2).</summary>
public sealed record SequenceLayerWeights
{
    /// <summary>The block's LRU (with feedthrough).</summary>
    public required LruWeights Lru { get; init; }

    /// <summary>LayerNorm scale g (D).</summary>
    public required float[] NormScale { get; init; }

    /// <summary>LayerNorm shift b (D).</summary>
    public required float[] NormShift { get; init; }

    /// <summary>The half_glu1 gate (D × D), or null for plain gelu.</summary>
    public DenseWeights? Gate { get; init; }

    /// <summary>Number of scalars.</summary>
    public long ParameterCount => Lru.ParameterCount + NormScale.LongLength + NormShift.LongLength + (Gate?.ParameterCount ?? 0);
}
