namespace PhysMod.Realtime;

/// <summary>Which signal a simulator voice outputs at its pickup.</summary>
public enum PickupSignal
{
    /// <summary>Displacement w(x_r, t) in metres.</summary>
    Displacement,

    /// <summary>Velocity ẇ(x_r, t) in metres per second (the brighter signal an electric pickup gives; the default).</summary>
    Velocity,
}
