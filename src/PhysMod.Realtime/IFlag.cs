namespace PhysMod.Realtime;

/// <summary>A compile-time switch for the generic sample loops: the JIT specialises each loop per struct argument and
/// removes the branches that test it.</summary>
internal interface IFlag
{
    /// <summary>The switch's value.</summary>
    static abstract bool Set { get; }
}

/// <summary>The switch set.</summary>
internal readonly struct On : IFlag
{
    public static bool Set => true;
}

/// <summary>The switch cleared.</summary>
internal readonly struct Off : IFlag
{
    public static bool Set => false;
}
