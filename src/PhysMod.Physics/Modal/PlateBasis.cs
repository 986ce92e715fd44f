namespace PhysMod.Physics.Modal;

/// <summary>Modes of a simply supported rectangular plate: K_mn = sin(mπx/l1) sin(nπy/l2), λ_mn = (mπ/l1)² + (nπ/l2)².</summary>
/// <remarks>Modes are taken from the 1..30 × 1..30 index grid (wider along an axis when an elongated plate needs it),
/// sorted by λ ascending, first N kept.</remarks>
public sealed class PlateBasis : ModalBasis
{
    private readonly int[] _m, _n;

    /// <summary>Creates the basis of the lowest <paramref name="modes"/> modes of an l1 × l2 plate.</summary>
    public PlateBasis(int modes, double l1, double l2)
    {
        L1 = l1; L2 = l2; Modes = modes;
        int side = Math.Max(30, (int)Math.Ceiling(Math.Sqrt(modes)) + 1);
        // The N-th smallest λ of the square grid bounds the true N-th smallest from above, and every mode below that bound
        // has mπ/l1 ≤ √(bound − (π/l2)²) (likewise n): widening the grid to those indices keeps the lowest modes of an
        // elongated plate, and changes nothing when the square grid already holds them.
        var square = Candidates(side, side, l1, l2);
        double bound = square[modes - 1].Lambda;
        int mMax = Math.Max(side, (int)(l1 / Math.PI * Math.Sqrt(bound - Sq(Math.PI / l2))) + 1);
        int nMax = Math.Max(side, (int)(l2 / Math.PI * Math.Sqrt(bound - Sq(Math.PI / l1))) + 1);
        var all = mMax == side && nMax == side ? square : Candidates(mMax, nMax, l1, l2);
        _m = all.Take(modes).Select(t => t.M).ToArray();
        _n = all.Take(modes).Select(t => t.N).ToArray();
    }

    // All (λ, m, n) with m ≤ mMax, n ≤ nMax, sorted by λ, then m, then n.
    private static List<(double Lambda, int M, int N)> Candidates(int mMax, int nMax, double l1, double l2)
    {
        var all = new List<(double Lambda, int M, int N)>(mMax * nMax);
        for (int m = 1; m <= mMax; m++)
            for (int n = 1; n <= nMax; n++)
                all.Add((Sq(m * Math.PI / l1) + Sq(n * Math.PI / l2), m, n));
        all.Sort((a, b) => a.Lambda != b.Lambda ? a.Lambda.CompareTo(b.Lambda) : a.M != b.M ? a.M.CompareTo(b.M) : a.N.CompareTo(b.N));
        return all;
    }

    /// <inheritdoc />
    public override int Modes { get; }

    /// <summary>Side along x (m).</summary>
    public double L1 { get; }

    /// <summary>Side along y (m).</summary>
    public double L2 { get; }

    /// <inheritdoc />
    public override double NormSquared => L1 * L2 / 4;

    /// <inheritdoc />
    public override int Dimensions => 2;

    /// <summary>The (m, n) index pair of mode i.</summary>
    public (int M, int N) Indices(int i) => (_m[i], _n[i]);

    /// <summary>λ_mn for each kept mode, ascending. Shape: (modes).</summary>
    public double[] Eigenvalues()
    {
        var lambda = new double[Modes];
        for (int i = 0; i < Modes; i++) lambda[i] = Sq(_m[i] * Math.PI / L1) + Sq(_n[i] * Math.PI / L2);
        return lambda;
    }

    /// <inheritdoc />
    public override void ShapesAt(Location location, Span<double> shapes)
    {
        // sin(mπ x/l1) sin(nπ y/l2) with exact reduction by π, so K_mn vanishes exactly on the edges
        double u = location.X / L1, v = location.Y / L2;
        for (int i = 0; i < Modes; i++) shapes[i] = double.SinPi(_m[i] * u) * double.SinPi(_n[i] * v);
    }

    /// <inheritdoc />
    public override void ValidateInside(string name, Location location)
    {
        InvalidSettingException.RequireInside(name + ".x", location.X, L1);
        InvalidSettingException.RequireInside(name + ".y", location.Y, L2);
    }

    /// <inheritdoc />
    public override Location[] Grid(int pointsPerSide)
    {
        if (pointsPerSide < 2) throw new InvalidSettingException($"grid = {pointsPerSide}: must be ≥ 2 points per side (edges included)");
        var grid = new Location[pointsPerSide * pointsPerSide];
        for (int j = 0; j < pointsPerSide; j++)
            for (int i = 0; i < pointsPerSide; i++)
                grid[j * pointsPerSide + i] = new Location(L1 * ((double)i / (pointsPerSide - 1)), L2 * ((double)j / (pointsPerSide - 1)));
        return grid;
    }

    private static double Sq(double x) => x * x;
}
