using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using Xunit.Abstractions;

namespace PhysMod.Tests.Physics;

/// <summary>The field written on the grid agrees with the pickup signals, the boundary conditions and the initial shape.</summary>
public sealed class FieldReadoutTests(ITestOutputHelper output)
{
    private const double Rate = 16_000;
    private const int GridPoints = 27;   // spacing L/26 = 0.025 m

    private static float FieldAt(SimulationResult r, int frame, int point, int channel) =>
        r.Field[((long)frame * r.Grid.Length + point) * 2 + channel];

    [Theory]
    [InlineData("conservative")]
    [InlineData("verlet")]
    public void FieldAtPickupGridPointEqualsPickupSignals(string name)
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 40, tensionModulation: true);
        const int point = 17;
        var pickup = new StringBasis(40, 0.65).Grid(GridPoints)[point];
        Assert.Equal(0.65 * 17 / 26, pickup.X, 1e-15);
        var settings = new SimulationSettings(Rate, 0.02, pickup, Oversample: 4, GridPoints: GridPoints);
        var r = Simulator.Run(system, new TriangularPluck(0.004, 0.117), Integrator.Parse(name), settings);

        Assert.Equal(GridPoints, r.Grid.Length);
        Assert.Equal(r.Frames, r.FieldFrames);
        Assert.Equal((long)r.Frames * GridPoints * 2, r.Field.Length);
        double scaleW = r.PickupDisplacement.Max(Math.Abs), scaleV = r.PickupVelocity.Max(Math.Abs);
        for (int n = 0; n < r.Frames; n++)
        {
            // The field is stored in float32: agreement to its rounding.
            Assert.True(Math.Abs(FieldAt(r, n, point, 0) - r.PickupDisplacement[n]) <= 1e-6 * scaleW, $"displacement differs at frame {n}");
            Assert.True(Math.Abs(FieldAt(r, n, point, 1) - r.PickupVelocity[n]) <= 1e-6 * scaleV, $"velocity differs at frame {n}");
        }
    }

    [Fact]
    public void StringFieldVanishesAtBothEnds()
    {
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 60, tensionModulation: false);
        var settings = new SimulationSettings(Rate, 0.01, new Location(0.3), Oversample: 4, GridPoints: GridPoints);
        var r = Simulator.Run(system, new TriangularPluck(0.01, 0.2), Integrator.Exact, settings);
        Assert.Equal(0, r.Grid[0].X);
        Assert.Equal(0.65, r.Grid[^1].X);
        double interior = 0;
        for (int n = 0; n < r.Frames; n++)
        {
            for (int c = 0; c < 2; c++)
            {
                Assert.Equal(0f, FieldAt(r, n, 0, c));
                Assert.Equal(0f, FieldAt(r, n, GridPoints - 1, c));
            }
            interior = Math.Max(interior, Math.Abs(FieldAt(r, n, GridPoints / 2, 0)));
        }
        Assert.True(interior > 1e-3, "the interior must move");
    }

    [Fact]
    public void GaussianInitialStateIsReconstructedOnTheGrid()
    {
        const double amplitude = 0.002, centre = 0.3, width = 0.03;
        const int points = 261;   // spacing 2.5 mm resolves the 3 cm Gaussian
        var system = ModalSystem.ForString(StringParameters.NylonGuitarB, 100, tensionModulation: false);
        var settings = new SimulationSettings(Rate, 0.001, new Location(centre), Oversample: 8, GridPoints: points, FieldFrames: 1);
        var r = Simulator.Run(system, new GaussianShape(amplitude, new Location(centre), width), Integrator.Exact, settings);
        Assert.Equal(1, r.FieldFrames);
        Assert.Equal((long)points * 2, r.Field.Length);

        double error = 0, norm = 0;
        for (int j = 1; j < points - 1; j++)
        {
            double x = r.Grid[j].X, d = (x - centre) / width;
            double expected = amplitude * Math.Exp(-0.5 * d * d);
            error += Math.Pow(FieldAt(r, 0, j, 0) - expected, 2);
            norm += expected * expected;
            Assert.Equal(0f, FieldAt(r, 0, j, 1));   // released from rest
        }
        double relative = Math.Sqrt(error / norm);
        output.WriteLine($"Gaussian reconstructed from 100 modes: relative L2 error {relative:E2}; pickup at the centre {r.PickupDisplacement[0]:R} m");
        Assert.True(relative < 1e-5, $"relative L2 error {relative:E2}");   // the Gaussian's spectrum is e^-105 at mode 100
        Assert.Equal(amplitude, r.PickupDisplacement[0], amplitude * 1e-6);

        // With too few modes the reconstruction must visibly miss: the check has teeth.
        var coarse = Simulator.Run(ModalSystem.ForString(StringParameters.NylonGuitarB, 10, tensionModulation: false),
            new GaussianShape(amplitude, new Location(centre), width), Integrator.Exact, settings);
        double coarseError = 0;
        for (int j = 1; j < points - 1; j++)
        {
            double d = (coarse.Grid[j].X - centre) / width;
            coarseError += Math.Pow(FieldAt(coarse, 0, j, 0) - amplitude * Math.Exp(-0.5 * d * d), 2);
        }
        Assert.True(Math.Sqrt(coarseError / norm) > 1e-2, "10 modes cannot represent a 3 cm Gaussian");
    }

    [Fact]
    public void PlateFieldAtPickupGridPointEqualsPickupAndVanishesOnEdges()
    {
        var system = ModalSystem.ForPlate(PlateParameters.SteelPlate, 30, tensionModulation: false);
        const int side = 11;   // spacing 0.02 × 0.03 m
        var grid = system.Basis.Grid(side);
        int point = 4 * side + 3;
        var settings = new SimulationSettings(Rate, 0.005, grid[point], GridPoints: side);
        var strike = new RaisedCosineForce(50, new Location(0.05, 0.05), 0.0005, 0.001, half: false);
        var r = Simulator.Run(system, strike, Integrator.Exact, settings);
        Assert.Equal(side * side, r.Grid.Length);
        Assert.Equal(new Location(0.2, 0.3), r.Grid[^1]);
        double scale = r.PickupDisplacement.Max(Math.Abs);
        Assert.True(scale > 0);
        for (int n = 0; n < r.Frames; n++)
        {
            Assert.True(Math.Abs(FieldAt(r, n, point, 0) - r.PickupDisplacement[n]) <= 1e-6 * scale, $"frame {n}");
            for (int i = 0; i < side; i++)
                for (int c = 0; c < 2; c++)
                {
                    Assert.Equal(0f, FieldAt(r, n, i, c));                           // y = 0
                    Assert.Equal(0f, FieldAt(r, n, (side - 1) * side + i, c));       // y = l2
                    Assert.Equal(0f, FieldAt(r, n, i * side, c));                    // x = 0
                    Assert.Equal(0f, FieldAt(r, n, i * side + side - 1, c));         // x = l1
                }
        }
    }
}
