namespace PhysMod.Physics.Integrators;

/// <summary>The <see cref="IFlag"/> switch cleared.</summary>
internal readonly struct Off : IFlag
{
    public static bool Set => false;
}
