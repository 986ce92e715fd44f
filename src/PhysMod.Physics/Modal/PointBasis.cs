namespace PhysMod.Physics.Modal;

/// <summary>The trivial basis of a lumped oscillator: one "mode" whose displacement is the state itself.</summary>
public sealed class PointBasis : ModalBasis
{
    /// <inheritdoc />
    public override int Modes => 1;

    /// <inheritdoc />
    public override double NormSquared => 1;

    /// <inheritdoc />
    public override int Dimensions => 0;

    /// <inheritdoc />
    public override void ShapesAt(Location location, Span<double> shapes) => shapes[0] = 1;

    /// <inheritdoc />
    public override void ValidateInside(string name, Location location) { }

    /// <inheritdoc />
    public override Location[] Grid(int pointsPerSide) => [new Location(0)];
}
