namespace PhysMod.Physics.Integrators;

/// <summary>The <see cref="IFlag"/> switch cleared.</summary>
public readonly struct Off : IFlag
{
    /// <inheritdoc/>
    public static bool Set => false;
}
