namespace PhysMod.Physics.Modal;

/// <summary>Sine modes of a string fixed at both ends: K_μ(x) = sin(μπx/L), λ_μ = (μπ/L)².</summary>
public sealed class StringBasis(int modes, double length) : ModalBasis
{
    /// <inheritdoc />
    public override int Modes { get; } = modes;

    /// <summary>String length L (m).</summary>
    public double Length { get; } = length;

    /// <inheritdoc />
    public override double NormSquared => Length / 2;

    /// <inheritdoc />
    public override int Dimensions => 1;

    /// <summary>Wavenumber k_μ = μπ/L of mode index μ ≥ 1.</summary>
    public double Wavenumber(int mu) => mu * Math.PI / Length;

    /// <summary>λ_μ = k_μ² for μ = 1..modes. Shape: (modes).</summary>
    public double[] Eigenvalues()
    {
        var lambda = new double[Modes];
        for (int i = 0; i < Modes; i++) lambda[i] = Wavenumber(i + 1) * Wavenumber(i + 1);
        return lambda;
    }

    /// <inheritdoc />
    public override void ShapesAt(Location location, Span<double> shapes)
    {
        // sin(μπ x/L) with exact reduction by π, so K_μ vanishes exactly at x = 0 and x = L
        double u = location.X / Length;
        for (int i = 0; i < Modes; i++) shapes[i] = double.SinPi((i + 1) * u);
    }

    /// <inheritdoc />
    public override void ValidateInside(string name, Location location) =>
        InvalidSettingException.RequireInside(name, location.X, Length);

    /// <inheritdoc />
    public override Location[] Grid(int pointsPerSide)
    {
        if (pointsPerSide < 2) throw new InvalidSettingException($"grid = {pointsPerSide}: must be ≥ 2 points (both ends included)");
        var grid = new Location[pointsPerSide];
        for (int j = 0; j < pointsPerSide; j++) grid[j] = new Location(Length * ((double)j / (pointsPerSide - 1)));   // last point exactly L
        return grid;
    }
}
