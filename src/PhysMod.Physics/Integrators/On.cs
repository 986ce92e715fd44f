namespace PhysMod.Physics.Integrators;

/// <summary>The <see cref="IFlag"/> switch set.</summary>
internal readonly struct On : IFlag
{
    public static bool Set => true;
}
