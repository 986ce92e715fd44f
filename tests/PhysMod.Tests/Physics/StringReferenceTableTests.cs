using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;

namespace PhysMod.Tests.Physics;

/// <summary>The nylon B string (d1 = 8e-4) against the reference table of spec §1.2.</summary>
/// <remarks>Each table entry is checked to the precision it is printed with: |actual − printed| ≤ half a unit in the last
/// printed digit. The f₀ column is also checked against values written here to 0.001 Hz.</remarks>
public sealed class StringReferenceTableTests
{
    private const int Modes = 5;

    // (λ, ω², f0, γ₂, q0, c(0.82)) per row, exactly as printed in spec §1.2, with their printed significant digits.
    private static readonly (string Lambda, string Omega2, string F0, string Gamma2, string Q0, string C082)[] Table =
    [
        ("23.3600", "2.408857e6", "247.016", "1.90561", "7.5416e-4", "-0.73227"),
        ("93.4400", "9.643860e6", "494.249", "3.56450", "2.4316e-4", "0.99737"),
        ("210.240", "2.173030e7", "741.913", "6.32932", "5.5580e-5", "-0.62619"),
        ("373.760", "3.871032e7", "990.224", "10.2001", "-2.0469e-5", "-0.14449"),
        ("584.000", "6.064294e7", "1239.40", "15.1767", "-3.6904e-5", "0.82298"),
    ];

    private static ModalSystem LinearString() => ModalSystem.ForString(StringParameters.NylonGuitarB, Modes, tensionModulation: false);

    // Checks actual against a printed decimal to the printed precision (half a unit in its last digit, 1 % slack).
    private static void AssertPrinted(string printed, double actual, string what)
    {
        double expected = double.Parse(printed, System.Globalization.CultureInfo.InvariantCulture);
        string mantissa = printed.Split('e', 'E')[0];
        int exponent = printed.Contains('e') ? int.Parse(printed.Split('e')[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        int decimals = mantissa.Contains('.') ? mantissa.Length - mantissa.IndexOf('.') - 1 : 0;
        double halfUnit = 0.5 * Math.Pow(10, exponent - decimals) * 1.01;
        Assert.True(Math.Abs(actual - expected) <= halfUnit,
            $"{what}: {actual:R} differs from the printed {printed} by {Math.Abs(actual - expected):E3} (> {halfUnit:E2})");
    }

    [Fact]
    public void DerivedQuantitiesMatchSpec()
    {
        var p = StringParameters.NylonGuitarB;
        Assert.Equal(8e-4, p.D1);
        AssertPrinted("5.91432e-4", p.RhoA, "ρA");
        AssertPrinted("7.614e-4", p.EI, "EI");
        AssertPrinted("3.6437e6", ModalSystem.StringTensionCoefficient(p) * (p.L / 2), "EA/(2L ρA)");
    }

    [Fact]
    public void EigenvaluesMatchSpecTable()
    {
        var lambda = LinearString().Lambda;
        for (int i = 0; i < Modes; i++) AssertPrinted(Table[i].Lambda, lambda[i], $"λ_{i + 1}");
    }

    [Fact]
    public void SquaredFrequenciesMatchSpecTable()
    {
        var omega2 = LinearString().Omega2;
        for (int i = 0; i < Modes; i++) AssertPrinted(Table[i].Omega2, omega2[i], $"ω²_{i + 1}");
    }

    [Fact]
    public void FrequenciesMatchSpecTable()
    {
        var omega2 = LinearString().Omega2;
        double[] precise = [247.016335, 494.248740, 741.912971, 990.224156, 1239.396487];   // Hz, from the §1.1 formulas
        for (int i = 0; i < Modes; i++)
        {
            double f = Math.Sqrt(omega2[i]) / (2 * Math.PI);
            AssertPrinted(Table[i].F0, f, $"f_{i + 1}");
            Assert.True(Math.Abs(f - precise[i]) <= 1e-6 * precise[i], $"f_{i + 1} = {f:R} Hz, expected {precise[i]} Hz");
        }
    }

    [Fact]
    public void DampingMatchesSpecTable()
    {
        var gamma2 = LinearString().Gamma2;
        for (int i = 0; i < Modes; i++) AssertPrinted(Table[i].Gamma2, gamma2[i], $"γ₂_{i + 1}");
    }

    [Fact]
    public void PluckCoefficientsMatchSpecTable()
    {
        var system = LinearString();
        var q0 = new double[Modes]; var v0 = Enumerable.Repeat(1.0, Modes).ToArray();
        new TriangularPluck(0.003, 0.18).InitialState(system, q0, v0);
        for (int i = 0; i < Modes; i++)
        {
            AssertPrinted(Table[i].Q0, q0[i], $"q0_{i + 1}");
            Assert.Equal(0, v0[i]);
        }
    }

    /// <summary>c(0.82) is evaluated at 0.82 m, beyond the 0.65 m string, as the course notebooks do (spec §1.3 caveat).</summary>
    [Fact]
    public void ReadoutWeightsAtPoint82MatchSpecTable()
    {
        var system = LinearString();
        var shapes = new double[Modes];
        system.Basis.ShapesAt(new Location(0.82), shapes);
        for (int i = 0; i < Modes; i++)
        {
            AssertPrinted(Table[i].C082, shapes[i], $"c_{i + 1}(0.82)");
            Assert.Equal(Math.Sin((i + 1) * Math.PI * 0.82 / 0.65), shapes[i], 1e-12);
        }
        var weights = system.Basis.DisplacementWeights(new Location(0.82));
        for (int i = 0; i < Modes; i++) Assert.Equal(shapes[i] / (0.65 / 2), weights[i], 1e-12);
    }

    [Fact]
    public void TensionModulationForceMatchesSpecFormula()
    {
        // f_nl,μ = λ_μ q_μ Σ_ν τ_ν q_ν², τ_ν = EA/(2L ρA) · λ_ν/(L/2) (spec §1.4), for the table's pluck state.
        var p = StringParameters.NylonGuitarB;
        var system = ModalSystem.ForString(p, Modes, tensionModulation: true);
        double[] lambda = [.. Enumerable.Range(1, Modes).Select(mu => Math.Pow(mu * Math.PI / p.L, 2))];
        double[] q = [7.5416e-4, 2.4316e-4, 5.5580e-5, -2.0469e-5, -3.6904e-5];
        double tauFactor = p.E * p.A / (2 * p.L * p.Rho * p.A) / (p.L / 2);
        double sum = 0;
        for (int v = 0; v < Modes; v++) sum += tauFactor * lambda[v] * q[v] * q[v];
        var force = new double[Modes];
        system.Nonlinearity!.Evaluate(q, force);
        for (int i = 0; i < Modes; i++) Assert.Equal(lambda[i] * q[i] * sum, force[i], Math.Abs(lambda[i] * q[i] * sum) * 1e-12);
    }
}
