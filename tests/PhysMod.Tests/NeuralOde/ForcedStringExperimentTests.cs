using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Modal;
using PhysMod.Tests.Koopman;
using static TorchSharp.torch;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The forced modal string of spec §5.2: the physical fit recovers the stiffness, the pure neural model fits the readout,
/// and the neural model's gradients through its Verlet rollout match central differences.</summary>
public sealed class ForcedStringExperimentTests
{
    [Fact]
    public void TestSizedPhysicalFitRecoversTensionStiffnessAndModalFrequencies()
    {
        var report = ForcedPhysicalExperiment.Run(NodeConfig.Preset("forced-physical-test"), file: null);
        Assert.True(report.RelativeErrors[0] < 1e-3, $"T0 {report.Learned[0]:G6} (error {100 * report.RelativeErrors[0]:G3} %)");
        Assert.True(report.RelativeErrors[1] < 1e-2, $"EI {report.Learned[1]:G6} (error {100 * report.RelativeErrors[1]:G3} %)");
        Assert.True(report.OmegaError < 3e-4 && report.OmegaError < 1e-2 * report.InitialOmegaError, $"omega error {report.InitialOmegaError:G3} -> {report.OmegaError:G3}");
        Assert.True(report.Gamma2Error < 0.2 * report.InitialGamma2Error, $"gamma2 error {report.InitialGamma2Error:G3} -> {report.Gamma2Error:G3}");
        Assert.True(report.FinalLoss < 1e-5 * report.InitialLoss, $"loss {report.InitialLoss:G3} -> {report.FinalLoss:G3}");
    }

    [Fact]
    public void TestSizedNeuralAccelerationFitsTheReadout()
    {
        var report = ForcedNeuralExperiment.Run(NodeConfig.Preset("forced-neural-test"), file: null);
        Assert.True(report.InitialReadoutError > 0.9, $"initial readout error {report.InitialReadoutError:G3}");
        Assert.True(report.ReadoutError < 0.1, $"readout error {report.ReadoutError:G3}");
        Assert.True(report.FinalLoss < 0.25 * report.InitialLoss, $"loss {report.InitialLoss:G3} -> {report.FinalLoss:G3}");
    }

    [Fact]
    public void GroundTruthIsTheBurstDrivenStringFromRest()
    {
        var data = ForcedString.Create(6, 44100, 120);
        Assert.Equal(0.0, data.Q[0].abs().max().item<double>());
        Assert.Equal(0.0, data.V[0].abs().max().item<double>());
        // before the burst starts (centre 50, 33 samples: from sample 34) nothing moves; afterwards the string rings
        Assert.Equal(0.0, data.Q[..34].abs().max().item<double>());
        Assert.True(data.Q[100].abs().max().item<double>() > 0);
        // the readout of the Physics re-render with the true values is the same trajectory
        var again = data.RenderPhysical([ForcedString.Truth.T0, ForcedString.Truth.EI, ForcedString.Truth.D1, ForcedString.Truth.D3], 120);
        double peak = data.Y.Max(Math.Abs);
        Assert.True(data.Y.Zip(again).Max(p => Math.Abs(p.First - p.Second)) <= 1e-12 * peak);
    }

    [Fact]
    public void NeuralAccelerationRolloutGradientsMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var data = ForcedString.Create(3, 44100, 70);
        double fScale = data.Forces.square().mean().sqrt().item<double>();
        double aScale = ((data.V[1..] - data.V[..^1]) / data.Dt).square().mean().sqrt().item<double>();
        using var model = new NeuralAccelerationModel(3, 5, 2, data.QScale, data.VScale, fScale, aScale, new Generator(7));
        // scale the last layer up so the rollout departs from zero and every weight matters
        using (no_grad()) foreach (var (_, p) in model.named_parameters()) p.mul_(3);
        var start = zeros(1, 3, dtype: float64);
        Tensor Loss()
        {
            var (q, v) = model.Rollout(start, start, data.Dt, data.Frames - 1, data.Forces.unsqueeze(0));
            return data.StateLoss(q, v);
        }
        double error = FiniteDifferences.MaxGradientError(model.named_parameters(), Loss, step: 1e-6);
        Assert.True(error < 1e-6, $"max gradient error {error:E2}");
    }

    [Fact]
    public void UndividedVerletWithTheTrueLinearAccelerationConvergesAtSecondOrder()
    {
        // a(q, v, f) = −ω² q + f: the largest error against the exact oscillator over 5 periods falls as Δt² (with a damping term the
        // undivided second half-kick uses v½ for v⁺ and is first order in γ₂Δt, which is why the physical models divide)
        double omega = 2 * Math.PI * 200, gamma2 = 0, q0 = 1e-3;
        double Error(int stepsPerPeriod)
        {
            using var scope = NewDisposeScope();
            double dt = 2 * Math.PI / omega / stepsPerPeriod;
            int steps = 5 * stepsPerPeriod;
            var (q, _) = NeuralAccelerationModel.VerletRollout((x, y, f) => -omega * omega * x - gamma2 * y + f,
                tensor(new[,] { { q0 } }, float64), zeros(1, 1, dtype: float64), dt, steps, zeros(1, steps + 1, 1, dtype: float64));
            var computed = q[0, .., 0].data<double>().ToArray();
            return Enumerable.Range(0, steps + 1).Max(n => Math.Abs(computed[n] - DampedOscillator.Displacement(omega, gamma2, q0, 0, n * dt))) / q0;
        }
        double coarse = Error(100), fine = Error(200);
        Assert.True(coarse < 0.05, $"error {coarse:G3} at 100 steps per period");
        Assert.InRange(coarse / fine, 3.5, 4.5);
    }
}
