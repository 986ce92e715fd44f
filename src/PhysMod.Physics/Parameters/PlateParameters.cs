namespace PhysMod.Physics.Parameters;

/// <summary>Physical parameters of a thin rectangular plate or membrane, simply supported on all edges (SI units).</summary>
/// <remarks>
/// PDE: ρh ẅ + (d1 − d3 Δ) ẇ + (D ΔΔ − T0 Δ) w = f_ext − f_nl, D = E h³ / (12 (1 − ν²)), on (0, l1) × (0, l2).
/// A membrane is the same equation dominated by the tension term.
/// </remarks>
/// <param name="H">Thickness (m).</param>
/// <param name="L1">Side along x (m).</param>
/// <param name="L2">Side along y (m).</param>
/// <param name="Rho">Density (kg/m³).</param>
/// <param name="E">Young's modulus (Pa).</param>
/// <param name="Nu">Poisson's ratio (−).</param>
/// <param name="D1">Frequency-independent damping (kg/(m² s)).</param>
/// <param name="D3">Frequency-dependent damping (kg/s).</param>
/// <param name="T0">In-plane tension per unit length (N/m).</param>
public sealed record PlateParameters(double H, double L1, double L2, double Rho, double E, double Nu, double D1, double D3, double T0)
    : IPhysicalParameters
{
    /// <summary>The steel plate of the jaxdiffmodal nonlinear example (0.2 × 0.3 m, 0.5 mm).</summary>
    public static PlateParameters SteelPlate { get; } = new(5e-4, 0.2, 0.3, 7850, 2e11, 0.3, 0, 0.0019625, 0);

    /// <summary>A Mylar drum-head-like square membrane (0.3 × 0.3 m, tension 3990 N/m).</summary>
    public static PlateParameters MylarMembrane { get; } = new(1.9e-4, 0.3, 0.3, 1380, 3.5e9, 0.35, 0.14, 0.32, 3990);

    /// <summary>Named plate presets, first is the default.</summary>
    public static IReadOnlyList<(string Name, PlateParameters Value)> PlatePresets { get; } = [("steel", SteelPlate)];

    /// <summary>Named membrane presets, first is the default.</summary>
    public static IReadOnlyList<(string Name, PlateParameters Value)> MembranePresets { get; } = [("mylar", MylarMembrane)];

    /// <summary>Surface density ρh (kg/m²).</summary>
    public double RhoH => Rho * H;

    /// <summary>Bending stiffness D = E h³ / (12 (1 − ν²)) (N m).</summary>
    public double BendingStiffness => E * H * H * H / (12 * (1 - Nu * Nu));

    /// <inheritdoc />
    public double Length => L1;

    /// <inheritdoc />
    public IReadOnlyList<ParameterInfo> Describe() =>
    [
        new("h", H, "m", "thickness"), new("l1", L1, "m", "side along x"), new("l2", L2, "m", "side along y"),
        new("rho", Rho, "kg/m³", "density"), new("E", E, "Pa", "Young's modulus"), new("nu", Nu, "-", "Poisson's ratio"),
        new("d1", D1, "kg/(m² s)", "frequency-independent damping"), new("d3", D3, "kg/s", "frequency-dependent damping"),
        new("T0", T0, "N/m", "tension per unit length"),
    ];

    /// <summary>Returns a copy with one named parameter (h, l1, l2, rho, E, nu, d1, d3, T0) replaced.</summary>
    public PlateParameters With(string name, double value) => name switch
    {
        "h" => this with { H = value }, "l1" => this with { L1 = value }, "l2" => this with { L2 = value },
        "rho" => this with { Rho = value }, "E" => this with { E = value }, "nu" => this with { Nu = value },
        "d1" => this with { D1 = value }, "d3" => this with { D3 = value }, "T0" => this with { T0 = value },
        _ => throw new InvalidSettingException($"unknown plate parameter '{name}': allowed are h, l1, l2, rho, E, nu, d1, d3, T0"),
    };

    /// <summary>Checks that every quantity is physical.</summary>
    public PlateParameters Validate()
    {
        InvalidSettingException.RequirePositive("h", H, "m");
        InvalidSettingException.RequirePositive("l1", L1, "m");
        InvalidSettingException.RequirePositive("l2", L2, "m");
        InvalidSettingException.RequirePositive("rho", Rho, "kg/m³");
        InvalidSettingException.RequirePositive("E", E, "Pa");
        if (!(Nu >= 0 && Nu < 0.5)) throw new InvalidSettingException($"nu = {InvalidSettingException.Format(Nu)}: must lie in [0, 0.5)");
        InvalidSettingException.RequireNonNegative("d1", D1, "kg/(m² s)");
        InvalidSettingException.RequireNonNegative("d3", D3, "kg/s");
        InvalidSettingException.RequireNonNegative("T0", T0, "N/m");
        return this;
    }
}
