namespace PhysMod.Physics.Integrators;

/// <summary>A compile-time switch for generic kernels: the JIT specialises a method per struct argument and removes the
/// branches that test it.</summary>
internal interface IFlag
{
    /// <summary>The switch's value.</summary>
    static abstract bool Set { get; }
}
