namespace PhysMod.Physics.Integrators;

/// <summary>The operations of one SIMD vector type, so that a block kernel is written once and compiled for
/// <see cref="System.Runtime.Intrinsics.Vector512{T}"/> where the hardware has it and for
/// <see cref="System.Numerics.Vector{T}"/> otherwise.</summary>
/// <remarks>The JIT specialises a generic method per struct type argument and inlines these static members, so a kernel
/// over <c>TLanes</c> compiles to the same code as one written against the vector type directly.</remarks>
internal interface ILanes<TVector, T> where TVector : struct where T : unmanaged
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>The vector at <paramref name="source"/> + <paramref name="index"/> elements.</summary>
    static abstract TVector Load(ref T source, nuint index);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> + <paramref name="index"/> elements.</summary>
    static abstract void Store(TVector value, ref T destination, nuint index);

    /// <summary>x in every lane.</summary>
    static abstract TVector Create(T x);

    /// <summary>a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a − b.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>a · b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a / b.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>1/d for finite d ≥ 1, within a few units in the last place: the hardware's reciprocal estimate refined by
    /// Newton steps where it has one (far cheaper than a division), otherwise the quotient. NaN or infinite d gives NaN or
    /// zero, never a finite wrong value for a NaN.</summary>
    static abstract TVector ReciprocalOfAtLeastOne(TVector d);

    /// <summary>a · b + c, rounded once where the hardware has fused multiply–add.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>c − a · b, rounded once where the hardware has fused multiply–add.</summary>
    static abstract TVector NegatedMultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TVector v);

    /// <summary>The sum of the lanes in every lane (each lane adds the same pairs, so all agree bit for bit).</summary>
    static abstract TVector AllSum(TVector v);

    /// <summary>Lane 0.</summary>
    static abstract T First(TVector v);

    /// <summary>True when any lane of <paramref name="v"/> is NaN or infinite.</summary>
    static abstract bool AnyNonFinite(TVector v);
}
