namespace PhysMod.Physics.Modal;

/// <summary>A point on a string (X only) or a plate (X, Y), in metres.</summary>
public readonly record struct Location(double X, double Y = 0);
