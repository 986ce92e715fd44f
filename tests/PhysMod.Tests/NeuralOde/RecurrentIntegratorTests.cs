using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Tests.Koopman;
using static TorchSharp.torch;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The differentiable recurrent integrators reproduce the plain-C# Physics steppers and their gradients match central differences.</summary>
public sealed class RecurrentIntegratorTests
{
    public static TheoryData<string, bool> Cases => new() { { "verlet", false }, { "verlet", true }, { "rk4", false }, { "rk4", true } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DifferentiableSolverEqualsPhysicsSimulator(string name, bool forced)
    {
        using var scope = NewDisposeScope();
        var p = StringParameters.NylonGuitarB;
        const int modes = 15, frames = 600;
        double dt = 1 / 22050.0;
        var system = ModalSystem.ForString(p, modes, tensionModulation: true);
        var (q0, v0) = (new double[modes], new double[modes]);
        new TriangularPluck(0.03, 0.28).InitialState(system, q0, v0);
        double[]? forces = null;
        if (forced)
        {
            var burst = HybridExperiment.CosineBurst(frames, 40, 33, 900, 4000, 22050);
            var shape = new double[modes];
            system.Basis.ShapesAt(new Location(0.18), shape);
            forces = new double[frames * modes];
            for (int t = 0; t < frames; t++) for (int i = 0; i < modes; i++) forces[t * modes + i] = burst[t] * shape[i];
        }
        var physics = name == "verlet" ? Integrator.Verlet : Integrator.RungeKutta4;
        var (qRef, vRef) = GroundTruth.Run(system, physics, dt, q0, v0, frames, forces);   // (T, N)

        var length = tensor(p.L, float64);
        var lambda = StringCoefficients.Eigenvalues(length, modes);
        var coefficients = new ModalCoefficients(
            StringCoefficients.Omega2(lambda, tensor(p.EI / p.RhoA, float64), tensor(p.T0 / p.RhoA, float64)),
            StringCoefficients.Gamma2(lambda, tensor(p.D1 / p.RhoA, float64), tensor(p.D3 / p.RhoA, float64)),
            lambda, StringCoefficients.TensionCoefficient(tensor(p.E * p.A / p.RhoA, float64), length, length));
        var start = tensor(q0, float64).unsqueeze(0);
        var (q, v) = RecurrentIntegrator.Parse(name).Rollout(coefficients, start, tensor(v0, float64).unsqueeze(0), dt, frames - 1,
            forces is null ? null : tensor(forces, new long[] { 1, frames, modes }, float64));
        double qError = ((q[0] - qRef).abs().max() / qRef.abs().max()).item<double>();
        double vError = ((v[0] - vRef).abs().max() / vRef.abs().max()).item<double>();
        Assert.True(qError <= 1e-10 && vError <= 1e-10, $"{name}: q error {qError:E2}, v error {vError:E2} (relative to the peak)");
    }

    [Theory]
    [InlineData("verlet")]
    [InlineData("rk4")]
    public void WindowLossGradientsMatchCentralDifferences(string name)
    {
        using var scope = NewDisposeScope();
        var truth = TutorialExperiment.Truth;
        const int modes = 6;
        double dt = 1 / 22050.0;
        var system = ModalSystem.ForString(truth, modes, tensionModulation: true);
        var (q0, v0) = (new double[modes], new double[modes]);
        new TriangularPluck(0.03, 0.28).InitialState(system, q0, v0);
        var (gtQ, gtV) = GroundTruth.Run(system, Integrator.Verlet, dt, q0, v0, 60);
        var sampler = new WindowedRollout(gtQ, gtV, 8);
        var starts = tensor(new long[] { 0, 17, 33, 51 });
        using var model = new TutorialStringModel(truth, modes, tensionModulation: true, 0.66, 9.5e4, 0.05);
        var integrator = RecurrentIntegrator.Parse(name);
        // relative steps: the parameters differ by orders of magnitude, so scale the loss to O(1) and check each separately
        double error = FiniteDifferences.MaxGradientError(model.named_parameters(), () => 1e3 * sampler.Loss(model.Coefficients(), integrator, dt, starts), step: 1e-7);
        Assert.True(error < 1e-5, $"{name}: max gradient error {error:E2}");
    }

    [Fact]
    public void HybridModelGradientsIncludingTheResidualMatchCentralDifferences()
    {
        using var scope = NewDisposeScope();
        var truth = StringParameters.NylonGuitarB;
        const int modes = 4, frames = 40;
        double dt = 1 / 44100.0;
        var system = ModalSystem.ForString(truth, modes, tensionModulation: false);
        var burst = HybridExperiment.CosineBurst(frames, 10, 9, 600, 2000, 44100);
        var shape = new double[modes];
        system.Basis.ShapesAt(new Location(0.18 * truth.L), shape);
        var forces = new double[frames * modes];
        for (int t = 0; t < frames; t++) for (int i = 0; i < modes; i++) forces[t * modes + i] = burst[t] * shape[i];
        var zero = new double[modes];
        var (gtQ, gtV) = GroundTruth.Run(system, Integrator.Verlet, dt, zero, zero, frames, forces);
        double qs = gtQ.square().mean().sqrt().item<double>(), vs = gtV.square().mean().sqrt().item<double>();
        var sampler = new WindowedRollout(gtQ, gtV, 12, qs, vs, tensor(forces, new long[] { frames, modes }, float64));
        using var model = new HybridStringModel(truth, modes, [truth.T0 * 1.1, truth.EI * 0.9, truth.D1 * 1.2, truth.D3 * 0.8])
        {
            Residual = new ResidualMlp(modes, 5, 2, qs, 1e3, new Generator(4)),
        };
        var all = model.named_parameters().ToList();
        double error = FiniteDifferences.MaxGradientError(all, () => sampler.Loss(model.Coefficients(), RecurrentIntegrator.Verlet, dt, tensor(new long[] { 3, 20 })), step: 1e-6);
        Assert.True(error < 1e-5, $"max gradient error {error:E2}");
    }
}
