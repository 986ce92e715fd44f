using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;

namespace PhysMod.Tests.Physics;

/// <summary>Bad settings are refused with an <see cref="PhysMod.Physics.InvalidSettingException"/> whose one-line message
/// names the offending value.</summary>
public sealed class InvalidInputTests
{
    private static readonly ModalSystem LinearString = ModalSystem.ForString(StringParameters.NylonGuitarB, 10, tensionModulation: false);
    private static readonly ModalSystem NonlinearString = ModalSystem.ForString(StringParameters.NylonGuitarB, 10, tensionModulation: true);
    private static readonly SimulationSettings Settings = new(48_000, 0.01, new Location(0.41));
    private static readonly TriangularPluck Pluck = new(0.003, 0.117);

    private static readonly Dictionary<string, Action> Cases = new()
    {
        ["T0 zero"] = () => ModalSystem.ForString(StringParameters.NylonGuitarB with { T0 = 0 }, 10, false),
        ["T0 negative"] = () => ModalSystem.ForString(StringParameters.NylonGuitarB with { T0 = -60.97 }, 10, false),
        ["T0 NaN"] = () => ModalSystem.ForString(StringParameters.NylonGuitarB with { T0 = double.NaN }, 10, false),
        ["T0 via With"] = () => StringParameters.NylonGuitarB.With("T0", -1).Validate(),
        ["pickup beyond L"] = () => Simulator.Run(LinearString, Pluck, Integrator.Exact, Settings with { Pickup = new Location(0.82) }),
        ["pickup at 0"] = () => Simulator.Run(LinearString, Pluck, Integrator.Exact, Settings with { Pickup = new Location(0) }),
        ["pickup at L"] = () => Simulator.Run(LinearString, Pluck, Integrator.Exact, Settings with { Pickup = new Location(0.65) }),
        ["pluck at L"] = () => Simulator.Run(LinearString, new TriangularPluck(0.003, 0.65), Integrator.Exact, Settings),
        ["pluck negative"] = () => Simulator.Run(LinearString, new TriangularPluck(0.003, -0.1), Integrator.Exact, Settings),
        ["pluck beyond L"] = () => Simulator.Run(LinearString, new TriangularPluck(0.003, 0.9), Integrator.Exact, Settings),
        ["fs zero"] = () => Simulator.Run(LinearString, Pluck, Integrator.Exact, Settings with { SampleRate = 0 }),
        ["fs negative"] = () => Simulator.Run(LinearString, Pluck, Integrator.Exact, Settings with { SampleRate = -48_000 }),
        ["unknown integrator"] = () => Integrator.Parse("euler"),
        ["exact on nonlinear, run"] = () => Simulator.Run(NonlinearString, Pluck, Integrator.Exact, Settings),
        ["exact on nonlinear, stepper"] = () => Integrator.Exact.CreateStepper<double>(NonlinearString, 1 / 48_000.0, forced: false),
        ["plate side"] = () => ModalSystem.ForPlate(PlateParameters.SteelPlate with { L2 = 0 }, 10, false),
        ["plate pickup y"] = () => Simulator.Run(ModalSystem.ForPlate(PlateParameters.SteelPlate, 10, false), new GaussianShape(1e-3, new Location(0.1, 0.1), 0.02),
            Integrator.Exact, Settings with { Pickup = new Location(0.1, 0.35) }),
        ["modes zero"] = () => ModalSystem.ForString(StringParameters.NylonGuitarB, 0, false),
    };

    [Theory]
    [InlineData("T0 zero", "T0 = 0 ")]
    [InlineData("T0 negative", "T0 = -60.97 ")]
    [InlineData("T0 NaN", "T0 = NaN")]
    [InlineData("T0 via With", "T0 = -1 ")]
    [InlineData("pickup beyond L", "pickup = 0.82 m")]
    [InlineData("pickup at 0", "pickup = 0 m")]
    [InlineData("pickup at L", "pickup = 0.65 m")]
    [InlineData("pluck at L", "pluck position x = 0.65 m")]
    [InlineData("pluck negative", "pluck position x = -0.1 m")]
    [InlineData("pluck beyond L", "pluck position x = 0.9 m")]
    [InlineData("fs zero", "fs = 0 Hz")]
    [InlineData("fs negative", "fs = -48000 Hz")]
    [InlineData("unknown integrator", "'euler'")]
    [InlineData("exact on nonlinear, run", "integrator exact")]
    [InlineData("exact on nonlinear, stepper", "integrator exact")]
    [InlineData("plate side", "l2 = 0 ")]
    [InlineData("plate pickup y", "pickup.y = 0.35 m")]
    [InlineData("modes zero", "modes = 0")]
    public void BadSettingIsRefusedNamingTheValue(string name, string fragment)
    {
        string message = PhysicsAssert.Refuses(Cases[name]);
        Assert.Contains(fragment, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void RefusalsSayWhatIsAllowed()
    {
        Assert.Contains("(0, 0.65) m", PhysicsAssert.Refuses(Cases["pickup beyond L"]));
        Assert.Contains("> 0", PhysicsAssert.Refuses(Cases["fs zero"]));
        string unknown = PhysicsAssert.Refuses(Cases["unknown integrator"]);
        foreach (var integrator in Integrator.All) Assert.Contains(integrator.Name, unknown);
        Assert.Contains("linear systems only", PhysicsAssert.Refuses(Cases["exact on nonlinear, run"]));
    }

    [Fact]
    public void IntegratorAliasesAndCaseAreAccepted()
    {
        Assert.Same(Integrator.ImpulseInvariant, Integrator.Parse("tf"));
        Assert.Same(Integrator.Conservative, Integrator.Parse("EC"));
        Assert.Same(Integrator.RungeKutta4, Integrator.Parse(" RK4 "));
        foreach (var integrator in Integrator.All) Assert.Same(integrator, Integrator.Parse(integrator.Name));
    }
}
