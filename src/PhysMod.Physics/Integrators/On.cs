namespace PhysMod.Physics.Integrators;

/// <summary>The <see cref="IFlag"/> switch set.</summary>
public readonly struct On : IFlag
{
    /// <inheritdoc/>
    public static bool Set => true;
}
