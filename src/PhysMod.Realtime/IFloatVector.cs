namespace PhysMod.Realtime;

/// <summary>The float32 vector operations the portable kernels are written with, implemented once per SIMD width
/// (<see cref="PortableVector"/>: System.Numerics.Vector&lt;float&gt;, <see cref="ScalarVector"/>: one float) so that one
/// generic kernel, specialised by the JIT for each struct, serves every <see cref="SimdPath"/> but Vector512 (which keeps its
/// hand-written kernels).</summary>
internal interface IFloatVector<TSelf> where TSelf : struct, IFloatVector<TSelf>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads Count floats from p + i.</summary>
    static abstract TSelf Load(ref float p, nuint i);

    /// <summary>Stores to p + i.</summary>
    static abstract void Store(TSelf v, ref float p, nuint i);

    /// <summary>x in every lane.</summary>
    static abstract TSelf Broadcast(float x);

    /// <summary>a·b + c, rounded once.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);

    /// <summary>a + b.</summary>
    static abstract TSelf Add(TSelf a, TSelf b);

    /// <summary>a − b.</summary>
    static abstract TSelf Subtract(TSelf a, TSelf b);

    /// <summary>a·b.</summary>
    static abstract TSelf Multiply(TSelf a, TSelf b);

    /// <summary>a / b.</summary>
    static abstract TSelf Divide(TSelf a, TSelf b);

    /// <summary>Lane-wise min.</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>eˣ lane-wise.</summary>
    static abstract TSelf Exp(TSelf a);

    /// <summary>x &gt; 0 ? a : b lane-wise.</summary>
    static abstract TSelf SelectPositive(TSelf x, TSelf a, TSelf b);

    /// <summary>Lanes with |a| &lt; t and |b| &lt; t set to zero in both (the decayed-mode flush).</summary>
    static abstract void FlushBoth(ref TSelf a, ref TSelf b, float threshold);

    /// <summary>Sum of the lanes.</summary>
    static abstract float Sum(TSelf v);
}
