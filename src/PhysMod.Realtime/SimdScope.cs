namespace PhysMod.Realtime;

/// <summary>Restores the SIMD path that was in force before <see cref="Simd.Force"/> when disposed.</summary>
public readonly struct SimdScope : IDisposable
{
    private readonly SimdPath? _previous;

    internal SimdScope(SimdPath? previous) => _previous = previous;

    /// <summary>Restores the previous path.</summary>
    public void Dispose() => Simd.Restore(_previous);
}
