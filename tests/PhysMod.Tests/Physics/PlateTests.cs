using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;

namespace PhysMod.Tests.Physics;

/// <summary>The simply supported plate basis and coefficients (spec §3.2) against hand computations.</summary>
public sealed class PlateTests
{
    private static double Lambda(int m, int n, double l1, double l2) => Math.Pow(m * Math.PI / l1, 2) + Math.Pow(n * Math.PI / l2, 2);

    [Theory]
    [InlineData(64, 0.2, 0.3)]
    [InlineData(100, 0.3, 0.3)]     // square: degenerate pairs (m, n), (n, m)
    [InlineData(900, 0.2, 0.3)]     // the steel plate's lowest 900 modes reach n = 42, beyond a 31 × 31 index grid
    [InlineData(200, 0.5, 0.05)]    // elongated: m up to 52 for n ≤ 5
    [InlineData(1000, 0.5, 0.05)]   // elongated: m up to 115
    public void EigenvaluesAreTheSmallestSortedAndMatchTheirIndices(int modes, double l1, double l2)
    {
        var basis = new PlateBasis(modes, l1, l2);
        double[] lambda = basis.Eigenvalues();
        Assert.Equal(modes, lambda.Length);
        Assert.Equal((1, 1), basis.Indices(0));

        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < modes; i++)
        {
            var (m, n) = basis.Indices(i);
            Assert.True(m >= 1 && n >= 1 && seen.Add((m, n)), $"mode {i}: index ({m}, {n}) invalid or repeated");
            Assert.Equal(Lambda(m, n, l1, l2), lambda[i], Lambda(m, n, l1, l2) * 1e-14);
            if (i > 0) Assert.True(lambda[i] >= lambda[i - 1], $"λ not ascending at mode {i}");
        }

        // Independent enumeration over a generous index range: the kept set must be exactly the smallest eigenvalues.
        var all = new List<double>();
        for (int m = 1; m <= 200; m++)
            for (int n = 1; n <= 200; n++)
                all.Add(Lambda(m, n, l1, l2));
        all.Sort();
        for (int i = 0; i < modes; i++) Assert.Equal(all[i], lambda[i], all[i] * 1e-12);
    }

    [Fact]
    public void SteelPlateLowestModesMatchHandComputation()
    {
        var p = PlateParameters.SteelPlate;
        var system = ModalSystem.ForPlate(p, 6, tensionModulation: false);
        var basis = (PlateBasis)system.Basis;
        // By hand: D = E h³/(12(1 − ν²)) = 2e11 · 1.25e-10 / 10.92 = 2.2893772 N m, ρh = 7850 · 5e-4 = 3.925 kg/m²,
        // λ11 = π²(1/0.04 + 1/0.09) = 356.40238 1/m², ω11 = λ11 √(D/ρh) = 272.19457 rad/s (T0 = 0).
        Assert.Equal(2.2893772, p.BendingStiffness, 1e-6);
        Assert.Equal(3.925, p.RhoH, 1e-12);
        Assert.Equal(356.40238, system.Lambda[0], 1e-4);
        Assert.Equal(272.19457, Math.Sqrt(system.Omega2[0]), 1e-4);
        // Ordering for 0.2 × 0.3 m by hand: λ = 356.4, 685.4, 1096.6, 1233.7, 1425.6, 1973.9 (then (1,4) at 2001.3).
        (int, int)[] expected = [(1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (2, 3)];
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], basis.Indices(i));
            var (m, n) = expected[i];
            double l = Lambda(m, n, 0.2, 0.3);
            Assert.Equal(Math.Sqrt(2.2893772 / 3.925) * l, Math.Sqrt(system.Omega2[i]), 1e-6 * Math.Sqrt(system.Omega2[i]));
            Assert.Equal(0.0019625 * l / 3.925, system.Gamma2[i], 1e-12);
        }
    }

    [Fact]
    public void MembraneFrequenciesIncludeTensionAndDamping()
    {
        var p = PlateParameters.MylarMembrane;
        var system = ModalSystem.ForPlate(p, 10, tensionModulation: false);
        var basis = (PlateBasis)system.Basis;
        double d = p.E * Math.Pow(p.H, 3) / (12 * (1 - p.Nu * p.Nu)), rhoH = p.Rho * p.H;
        for (int i = 0; i < 10; i++)
        {
            var (m, n) = basis.Indices(i);
            double l = Lambda(m, n, p.L1, p.L2);
            double omega2 = (d * l * l + p.T0 * l) / rhoH;
            Assert.Equal(omega2, system.Omega2[i], omega2 * 1e-12);
            Assert.Equal((p.D1 + p.D3 * l) / rhoH, system.Gamma2[i], 1e-9);
            Assert.Equal(1 / rhoH, system.InputScale, 1e-12);
        }
    }

    [Fact]
    public void TensionModulationCoefficientMatchesSpecFormula()
    {
        var p = PlateParameters.SteelPlate;
        // τ = E h /(2 l1 l2 (1 − ν²))/ρh, with the norm l1 l2 / 4: 2e11·5e-4/(2·0.06·0.91)/3.925/0.015.
        double expected = 2e11 * 5e-4 / (2 * 0.2 * 0.3 * (1 - 0.09)) / (7850 * 5e-4) / (0.2 * 0.3 / 4);
        Assert.Equal(expected, ModalSystem.PlateTensionCoefficient(p), expected * 1e-12);
        var tm = Assert.IsType<TensionModulation>(ModalSystem.ForPlate(p, 8, tensionModulation: true).Nonlinearity);
        Assert.Equal(expected, tm.Coefficient, expected * 1e-12);
        Assert.Equal(new PlateBasis(8, 0.2, 0.3).Eigenvalues(), tm.Lambda.ToArray());
    }

    [Fact]
    public void ModeShapesAndNormAreTheSeparableSines()
    {
        var basis = new PlateBasis(12, 0.2, 0.3);
        Assert.Equal(0.2 * 0.3 / 4, basis.NormSquared, 1e-15);
        var at = new Location(0.05, 0.1);
        var shapes = new double[12];
        basis.ShapesAt(at, shapes);
        for (int i = 0; i < 12; i++)
        {
            var (m, n) = basis.Indices(i);
            Assert.Equal(Math.Sin(m * Math.PI * 0.05 / 0.2) * Math.Sin(n * Math.PI * 0.1 / 0.3), shapes[i], 1e-14);
        }
        // ‖K‖² = ∫∫ K² dx dy = l1 l2 / 4, by the midpoint rule (exact for these trigonometric polynomials).
        const int grid = 64;
        for (int i = 0; i < 3; i++)
        {
            double sum = 0;
            for (int a = 0; a < grid; a++)
                for (int b = 0; b < grid; b++)
                {
                    basis.ShapesAt(new Location((a + 0.5) * 0.2 / grid, (b + 0.5) * 0.3 / grid), shapes);
                    sum += shapes[i] * shapes[i];
                }
            Assert.Equal(basis.NormSquared, sum * 0.2 * 0.3 / (grid * grid), 1e-12);
        }
    }
}
