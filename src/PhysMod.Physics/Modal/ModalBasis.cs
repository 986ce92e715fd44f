namespace PhysMod.Physics.Modal;

/// <summary>The eigenfunctions K_μ of a structure: evaluates mode shapes at points and maps modal states to displacements.</summary>
/// <remarks>Forward transform q_μ = ∫ w K_μ; inverse w = (1/‖K‖²) Σ_μ q_μ K_μ.</remarks>
public abstract class ModalBasis
{
    /// <summary>Number of modes.</summary>
    public abstract int Modes { get; }

    /// <summary>‖K_μ‖² (same for all modes): L/2 for a string, l1 l2 / 4 for a plate.</summary>
    public abstract double NormSquared { get; }

    /// <summary>Number of spatial dimensions (1 or 2).</summary>
    public abstract int Dimensions { get; }

    /// <summary>Writes K_μ(location) for every mode. Shape: (modes).</summary>
    public abstract void ShapesAt(Location location, Span<double> shapes);

    /// <summary>Throws unless the location lies strictly inside the domain.</summary>
    public abstract void ValidateInside(string name, Location location);

    /// <summary>Uniform grid points including the boundary: (points) for a string, (ny·nx) row-major for a plate.</summary>
    public abstract Location[] Grid(int pointsPerSide);

    /// <summary>Readout weights K_μ(x)/‖K‖² so that w(x) = Σ weights_μ q_μ. Shape: (modes).</summary>
    public double[] DisplacementWeights(Location location)
    {
        var w = new double[Modes];
        ShapesAt(location, w);
        for (int i = 0; i < w.Length; i++) w[i] /= NormSquared;
        return w;
    }

    /// <summary>Reconstruction matrix R with w(grid_j) = Σ_μ R[j, μ] q_μ. Shape: (gridPoints, modes), row-major.</summary>
    public double[] ReconstructionMatrix(IReadOnlyList<Location> grid)
    {
        var r = new double[grid.Count * Modes];
        for (int j = 0; j < grid.Count; j++)
        {
            ShapesAt(grid[j], r.AsSpan(j * Modes, Modes));
            for (int m = 0; m < Modes; m++) r[j * Modes + m] /= NormSquared;
        }
        return r;
    }
}
