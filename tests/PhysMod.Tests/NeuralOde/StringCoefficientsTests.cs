using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The differentiable string coefficients equal the plain-C# Physics ones (one source of truth, checked in float64).</summary>
public sealed class StringCoefficientsTests
{
    public static TheoryData<string> Presets => new(StringParameters.Presets.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Presets))]
    public void TorchCoefficientsEqualPhysicsToTwelveDigits(string name)
    {
        using var scope = NewDisposeScope();
        var p = StringParameters.Presets.Single(x => x.Name == name).Value;
        const int modes = 40;
        var system = ModalSystem.ForString(p, modes, tensionModulation: true);
        var length = tensor(p.L, float64);
        var lambda = StringCoefficients.Eigenvalues(length, modes);
        AssertClose(system.Lambda.ToArray(), lambda, "lambda");
        AssertClose(system.Omega2.ToArray(), StringCoefficients.Omega2(lambda, tensor(p.EI / p.RhoA, float64), tensor(p.T0 / p.RhoA, float64)), "omega2");
        AssertClose(system.Gamma2.ToArray(), StringCoefficients.Gamma2(lambda, tensor(p.D1 / p.RhoA, float64), tensor(p.D3 / p.RhoA, float64)), "gamma2");
        double c = ((TensionModulation)system.Nonlinearity!).Coefficient;
        AssertClose([c], StringCoefficients.TensionCoefficient(tensor(p.E * p.A / p.RhoA, float64), length, length).reshape(1), "tension coefficient");

        var (q0, v0) = (new double[modes], new double[modes]);
        new TriangularPluck(0.004, 0.31 * p.L).InitialState(system, q0, v0);
        AssertClose(q0, StringCoefficients.Pluck(length, modes, 0.004, 0.31 * p.L), "pluck");
        var shapes = new double[modes];
        system.Basis.ShapesAt(new Location(0.77 * p.L), shapes);
        AssertClose(shapes, StringCoefficients.Shapes(length, modes, 0.77 * p.L), "mode shapes");
    }

    [Fact]
    public void SpecReferenceTableIsReproduced()
    {
        // spec §1.2 table (d1 = 8e-4): ω₁² = 2.408857e6, γ₂,₁ = 1.90561, ω₅² = 6.064294e7, γ₂,₅ = 15.1767
        using var scope = NewDisposeScope();
        var p = StringParameters.NylonGuitarB;
        var lambda = StringCoefficients.Eigenvalues(tensor(p.L, float64), 5);
        var omega2 = StringCoefficients.Omega2(lambda, tensor(p.EI / p.RhoA, float64), tensor(p.T0 / p.RhoA, float64)).data<double>().ToArray();
        var gamma2 = StringCoefficients.Gamma2(lambda, tensor(p.D1 / p.RhoA, float64), tensor(p.D3 / p.RhoA, float64)).data<double>().ToArray();
        Assert.Equal(2.408857e6, omega2[0], 2.408857e6 * 1e-6);
        Assert.Equal(6.064294e7, omega2[4], 6.064294e7 * 1e-6);
        Assert.Equal(1.90561, gamma2[0], 1e-5);
        Assert.Equal(15.1767, gamma2[4], 1e-4);
    }

    private static void AssertClose(double[] expected, Tensor actual, string what)
    {
        var values = actual.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(values[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), 1e-300);
            Assert.True(error <= 1e-12 || Math.Abs(values[i] - expected[i]) < 1e-15 * expected.Max(Math.Abs), $"{what}[{i}]: torch {values[i]:R} vs physics {expected[i]:R} (relative {error:E2})");
        }
    }
}
