namespace PhysMod.Physics.Parameters;

/// <summary>Physical parameters of a stiff, lossy string fixed at both ends (SI units).</summary>
/// <remarks>
/// PDE: ρA ẅ + (d1 − d3 ∂x²) ẇ + (EI ∂x⁴ − T0 ∂x²) w = f_ext − f_nl, x ∈ (0, L).
/// Presets follow the jaxdiffmodal parameter sets; the nylon B string uses d1 = 8e-4 as every course notebook does.
/// </remarks>
/// <param name="A">Cross-section area (m²).</param>
/// <param name="I">Area moment of inertia (m⁴).</param>
/// <param name="Rho">Density (kg/m³).</param>
/// <param name="E">Young's modulus (Pa).</param>
/// <param name="D1">Frequency-independent damping (kg/(m s)).</param>
/// <param name="D3">Frequency-dependent damping (kg m/s).</param>
/// <param name="T0">Nominal tension (N).</param>
/// <param name="L">Length (m).</param>
public sealed record StringParameters(double A, double I, double Rho, double E, double D1, double D3, double T0, double L)
    : IPhysicalParameters
{
    /// <summary>Nylon guitar B string (Schäfer), the spec's reference string (f₁ ≈ 247 Hz).</summary>
    public static StringParameters NylonGuitarB { get; } = new(0.5188e-6, 0.141e-12, 1140, 5.4e9, 8e-4, 1.4e-5, 60.97, 0.65);

    /// <summary>Nylon guitar D string.</summary>
    public static StringParameters GuitarD { get; } = new(7.96e-7, 0.171e-12, 1140, 5.4e9, 8e-5, 1.4e-5, 13.35, 0.65);

    /// <summary>Bass string.</summary>
    public static StringParameters Bass { get; } = new(2.4e-6, 0.916e-12, 6300, 5e9, 6e-3, 1e-3, 114, 1.05);

    /// <summary>Piano string.</summary>
    public static StringParameters Piano { get; } = new(1.54e-6, 4.12e-12, 57e3, 19.5e9, 3e-3, 2e-5, 2104, 1.08);

    /// <summary>Named presets, first is the default.</summary>
    public static IReadOnlyList<(string Name, StringParameters Value)> Presets { get; } =
    [
        ("nylon-b", NylonGuitarB), ("guitar-d", GuitarD), ("bass", Bass), ("piano", Piano),
    ];

    /// <summary>Linear density ρA (kg/m).</summary>
    public double RhoA => Rho * A;

    /// <summary>Bending stiffness EI (N m²).</summary>
    public double EI => E * I;

    /// <inheritdoc />
    public double Length => L;

    /// <inheritdoc />
    public IReadOnlyList<ParameterInfo> Describe() =>
    [
        new("A", A, "m²", "cross-section area"), new("I", I, "m⁴", "area moment of inertia"),
        new("rho", Rho, "kg/m³", "density"), new("E", E, "Pa", "Young's modulus"),
        new("d1", D1, "kg/(m s)", "frequency-independent damping"), new("d3", D3, "kg m/s", "frequency-dependent damping"),
        new("T0", T0, "N", "tension"), new("L", L, "m", "length"),
    ];

    /// <summary>Returns a copy with one named parameter (spec names: A, I, rho, E, d1, d3, T0, L) replaced.</summary>
    public StringParameters With(string name, double value) => name switch
    {
        "A" => this with { A = value }, "I" => this with { I = value }, "rho" => this with { Rho = value },
        "E" => this with { E = value }, "d1" => this with { D1 = value }, "d3" => this with { D3 = value },
        "T0" => this with { T0 = value }, "L" => this with { L = value },
        _ => throw new InvalidSettingException($"unknown string parameter '{name}': allowed are A, I, rho, E, d1, d3, T0, L"),
    };

    /// <summary>Checks that every quantity is physical: positive sizes, density, modulus, tension; non-negative damping.</summary>
    public StringParameters Validate()
    {
        InvalidSettingException.RequirePositive("A", A, "m²");
        InvalidSettingException.RequireNonNegative("I", I, "m⁴");
        InvalidSettingException.RequirePositive("rho", Rho, "kg/m³");
        InvalidSettingException.RequirePositive("E", E, "Pa");
        InvalidSettingException.RequireNonNegative("d1", D1, "kg/(m s)");
        InvalidSettingException.RequireNonNegative("d3", D3, "kg m/s");
        InvalidSettingException.RequirePositive("T0", T0, "N");
        InvalidSettingException.RequirePositive("L", L, "m");
        return this;
    }
}
