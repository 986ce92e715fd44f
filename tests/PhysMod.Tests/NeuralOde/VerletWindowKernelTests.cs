using PhysMod.Learning.NeuralOde;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Tests.NeuralOde;

/// <summary>The hand-written Verlet window kernel (forward and adjoint) gives the tensor rollout's loss and autograd's gradients.</summary>
public sealed class VerletWindowKernelTests
{
    [Fact]
    public void TutorialLossAndGradientsEqualTheTensorRollout()
    {
        using var scope = NewDisposeScope();
        var truth = TutorialExperiment.Truth;
        const int modes = 15;
        double dt = 1 / 22050.0;
        var (gtQ, gtV) = TutorialExperiment.TrainingTrajectory(modes, 22050, 120);
        var starts = tensor(new long[] { 0, 3, 17, 17, 64, 109 });
        // far from the truth (as at the start of training) and near it
        foreach (double[] at in new[] { new[] { 0.7, 3e4, 6.0 }, new[] { 0.651, 1.02e5, 0.03 } })
        {
            using var model = new TutorialStringModel(truth, modes, tensionModulation: true, at[0], at[1], at[2]);
            Compare(model.named_parameters().ToList(), starts, dt, () => model.Coefficients(),
                new WindowedRollout(gtQ, gtV, 10), new WindowedRollout(gtQ, gtV, 10) { UseKernel = false }, $"tutorial at {string.Join(", ", at)}");
        }
    }

    [Fact]
    public void ForcedScaledLinearLossAndGradientsEqualTheTensorRollout()
    {
        using var scope = NewDisposeScope();
        var truth = StringParameters.NylonGuitarB;
        const int modes = 8, frames = 200;
        double dt = 1 / 44100.0;
        var system = ModalSystem.ForString(truth, modes, tensionModulation: false);
        var burst = HybridExperiment.CosineBurst(frames, 40, 49, 600, 2000, 44100);
        var shape = new double[modes];
        system.Basis.ShapesAt(new Location(0.18 * truth.L), shape);
        var forces = new double[frames * modes];
        for (int t = 0; t < frames; t++) for (int i = 0; i < modes; i++) forces[t * modes + i] = burst[t] * shape[i];
        var zero = new double[modes];
        var (gtQ, gtV) = GroundTruth.Run(system, Integrator.Verlet, dt, zero, zero, frames, forces);
        double qs = gtQ.square().mean().sqrt().item<double>(), vs = gtV.square().mean().sqrt().item<double>();
        var f = tensor(forces, new long[] { frames, modes }, float64);
        using var model = new HybridStringModel(truth, modes, [truth.T0 * 1.1, truth.EI * 0.9, truth.D1 * 1.2, truth.D3 * 0.8]);
        Compare(model.named_parameters().ToList(), tensor(new long[] { 0, 21, 55, 130 }), dt, model.Coefficients,
            new WindowedRollout(gtQ, gtV, 60, qs, vs, f), new WindowedRollout(gtQ, gtV, 60, qs, vs, f) { UseKernel = false }, "forced");
    }

    private static void Compare(List<(string Name, Parameter Parameter)> parameters, Tensor starts, double dt, Func<ModalCoefficients> coefficients,
        WindowedRollout kernel, WindowedRollout rollout, string what)
    {
        double Evaluate(WindowedRollout sampler, Dictionary<string, double> gradients)
        {
            foreach (var (_, p) in parameters) p.grad?.zero_();
            var loss = sampler.Loss(coefficients(), RecurrentIntegrator.Verlet, dt, starts);
            loss.backward();
            foreach (var (name, p) in parameters) gradients[name] = p.grad!.item<double>();
            return loss.item<double>();
        }
        var (fast, slow) = (new Dictionary<string, double>(), new Dictionary<string, double>());
        double a = Evaluate(kernel, fast), b = Evaluate(rollout, slow);
        Assert.True(kernel.LastLossUsedKernel, $"{what}: the kernel path was not taken");
        Assert.False(rollout.LastLossUsedKernel);
        Assert.True(Math.Abs(a / b - 1) < 1e-11, $"{what}: loss {a:G17} (kernel) vs {b:G17} (tensor rollout)");
        foreach (var (name, g) in slow)
            Assert.True(Math.Abs(fast[name] - g) <= 1e-9 * Math.Abs(g), $"{what}: ∂L/∂{name} {fast[name]:G17} (kernel) vs {g:G17} (autograd)");
    }
}
