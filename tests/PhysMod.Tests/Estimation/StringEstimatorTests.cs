using PhysMod.Learning.Estimation;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using static TorchSharp.torch;

namespace PhysMod.Tests.Estimation;

/// <summary>Differentiable string synthesis equals the Physics simulator, and fitting it to a simulated pluck recovers T0, d1, d3.</summary>
public sealed class StringEstimatorTests
{
    private const double Rate = 16000;
    private const int Frames = 4000, Modes = 20;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SynthesisEqualsTheExactPhysicsSimulation(bool velocity)
    {
        using var scope = NewDisposeScope();
        var p = StringParameters.NylonGuitarB;
        var result = Simulate(p);
        var synth = new StringSynthesizer(p, Modes, 0.18 * p.L, 0.82 * p.L, Rate, Frames, velocity);
        var y = (synth.Synthesize(tensor(p.T0, float64), tensor(p.D1, float64), tensor(p.D3, float64), tensor(p.L, float64)) * 0.003).data<double>().ToArray();
        var reference = velocity ? result.PickupVelocity : result.PickupDisplacement;
        double peak = reference.Max(Math.Abs), worst = 0;
        for (int i = 0; i < Frames; i++) worst = Math.Max(worst, Math.Abs(y[i] - reference[i]) / peak);
        Assert.True(worst < 1e-9, $"largest difference {worst:E2} of the peak");
    }

    [Theory]
    [InlineData(double.PositiveInfinity, 0.01, "mrstft")]
    [InlineData(30, 0.05, "mse")]
    public void FitRecoversTensionAndDampingFromASimulatedPluck(double snrDb, double tolerance, string loss)
    {
        var truth = StringParameters.NylonGuitarB with { T0 = 55.3, D1 = 1.1e-3, D3 = 2.1e-5 };
        var recording = Simulate(truth).PickupVelocity;
        double peak = recording.Max(Math.Abs);
        var target = recording.Select(x => (float)(0.95 * x / peak)).ToArray();   // as a peak-normalised WAV
        if (double.IsFinite(snrDb))
        {
            var rng = new PhysMod.Physics.Rng(7);
            double rms = Math.Sqrt(target.Average(x => (double)x * x)), sigma = rms * Math.Pow(10, -snrDb / 20);
            for (int i = 0; i < target.Length; i++) target[i] += (float)(sigma * rng.NextGaussian());
        }
        var reference = StringParameters.NylonGuitarB;   // the fit starts from the preset, not from the truth
        var synth = new StringSynthesizer(reference, Modes, 0.18 * reference.L, 0.82 * reference.L, Rate, Frames, velocity: true);
        var result = StringEstimator.Fit(synth, target, new EstimationSettings(["T0", "d1", "d3"], loss, Starts: 1, Steps: 300));
        double[] expected = [truth.T0, truth.D1, truth.D3];
        for (int k = 0; k < 3; k++)
        {
            double error = Math.Abs(result.Values[k] / expected[k] - 1);
            Assert.True(error < tolerance, $"{result.Names[k]}: fitted {result.Values[k]:G6}, true {expected[k]:G6} (error {100 * error:F2} %)");
        }
    }

    private static SimulationResult Simulate(StringParameters p)
    {
        var system = ModalSystem.ForString(p, Modes, tensionModulation: false);
        var settings = new SimulationSettings(Rate, Frames / Rate, new Location(0.82 * p.L));
        return Simulator.Run(system, new TriangularPluck(0.003, 0.18 * p.L), Integrator.Exact, settings);
    }
}
