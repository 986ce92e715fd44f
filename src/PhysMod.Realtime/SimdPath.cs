namespace PhysMod.Realtime;

/// <summary>Which instruction width the hot loops of the voices use.</summary>
public enum SimdPath
{
    /// <summary>One float at a time (MathF.FusedMultiplyAdd etc.): any CPU.</summary>
    Scalar,

    /// <summary>System.Numerics.Vector&lt;float&gt;: 256 bits on x64 with AVX2, 128 bits on ARM64 NEON.</summary>
    Vector,

    /// <summary>Vector512&lt;float&gt;: x64 with AVX-512.</summary>
    Vector512,
}
