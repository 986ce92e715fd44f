namespace PhysMod.Learning.Ssm;

/// <summary>The nonlinearity applied to an LRU's output inside a <see cref="SequenceLayer"/> (spec §7.2).</summary>
public enum SequenceActivation
{
    /// <summary>gelu(y) (tanh approximation, as jax.nn.gelu); the tutorial's choice.</summary>
    Gelu,

    /// <summary>g⊙σ(W₂g + b₂) with g = gelu(y): a half gated linear unit with one extra D × D linear map (S5/LRU "half_glu1").</summary>
    HalfGlu1,
}
