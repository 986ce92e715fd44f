using System.Globalization;
using System.Text.RegularExpressions;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>Integrators refuse a step beyond their stability (or Nyquist) limit and suggest an oversampling that works.</summary>
public sealed class StabilityRefusalTests(ITestOutputHelper output)
{
    private const double Rate = 48_000;

    // ω_50 of the nylon B string, from ω² = (EI λ² + T0 λ)/ρA with λ = (50π/L)², written out here.
    private static double Omega50()
    {
        double lambda = Math.Pow(50 * Math.PI / 0.65, 2);
        return Math.Sqrt((5.4e9 * 0.141e-12 * lambda * lambda + 60.97 * lambda) / (1140 * 0.5188e-6));
    }

    [Fact]
    public void VerletRefusesFiftyModesAt48kHzAndRunsWithSuggestedOversample()
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 50, tensionModulation: true);
        double x = Omega50() / Rate;
        Assert.InRange(x, 2, Math.PI);   // beyond Verlet's limit 2, below Nyquist
        Assert.Equal(Omega50(), system.MaxOmega, Omega50() * 1e-12);

        string message = PhysicsAssert.Refuses(() => Integrator.Verlet.CheckStable(system, Rate, 1));
        output.WriteLine(message);
        Assert.Contains("ω_max·Δt", message);
        Assert.Contains(x.ToString("G4", CultureInfo.InvariantCulture), message);
        Assert.Contains("≥ 2 ", message);
        Assert.Contains("--oversample", message);

        var settings = new SimulationSettings(Rate, 0.02, new Location(0.41));
        var pluck = new TriangularPluck(0.003, 0.117);
        Assert.Equal(message, PhysicsAssert.Refuses(() => Simulator.Run(system, pluck, Integrator.Verlet, settings)));

        var match = Regex.Match(message, @"--oversample (\d+)");
        Assert.True(match.Success, "the message must name an oversampling factor");
        int suggested = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(Omega50() / (Rate * suggested) < 2, $"the suggested --oversample {suggested} is still unstable");
        Integrator.Verlet.CheckStable(system, Rate, suggested);
        var result = Simulator.Run(system, pluck, Integrator.Verlet, settings with { Oversample = suggested });
        Assert.All(result.PickupDisplacement, w => Assert.True(double.IsFinite(w)));
        Assert.True(result.PickupDisplacement.Max(Math.Abs) > 1e-4);
    }

    [Fact]
    public void LinearExactSchemesAcceptFiftyModesButRefuseModesAboveNyquist()
    {
        var fifty = ModalSystem.ForString(StringParameters.NylonGuitarB, 50, tensionModulation: true);
        foreach (var integrator in new[] { Integrator.Conservative, Integrator.ImpulseInvariant })
            integrator.CheckStable(fifty, Rate, 1);

        // 90 modes put ω_max·Δt above π at 48 kHz: every scheme must refuse, naming Nyquist for the exact ones.
        var ninety = ModalSystem.ForString(StringParameters.NylonGuitarB, 90, tensionModulation: false);
        Assert.True(ninety.MaxOmega / Rate > Math.PI);
        foreach (var integrator in Integrator.All)
        {
            string message = PhysicsAssert.Refuses(() => integrator.CheckStable(ninety, Rate, 1));
            Assert.Contains("ω_max·Δt", message);
            Assert.Contains("--oversample", message);
            if (integrator.ExactForLinear) Assert.Contains("Nyquist", message);
        }
    }
}
