namespace PhysMod.Physics.Integrators;

/// <summary>A compile-time switch for generic kernels (the physics steppers and the real-time voices): the JIT specialises a method per struct argument and removes the
/// branches that test it.</summary>
public interface IFlag
{
    /// <summary>The switch's value.</summary>
    static abstract bool Set { get; }
}
