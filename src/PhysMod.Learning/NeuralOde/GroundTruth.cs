using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Modal trajectories from the plain-C# Physics steppers: the ground truth the differentiable models learn from.</summary>
public static class GroundTruth
{
    /// <summary>Runs <paramref name="frames"/> frames (frame 0 = (q⁰, q̇⁰)) with a Physics integrator; optional modal forces
    /// per frame (frames × N, row-major). Returns q and q̇ as float64 tensors (frames, N).</summary>
    public static (Tensor Q, Tensor V) Run(ModalSystem system, Integrator integrator, double dt, double[] q0, double[] v0, int frames,
        double[]? modalForces = null)
    {
        int n = system.Modes;
        var stepper = integrator.CreateStepper<double>(system, dt, modalForces is not null);
        if (modalForces is not null) modalForces.AsSpan(0, n).CopyTo(stepper.NextForce);
        stepper.Start(q0, v0);
        var q = new double[frames * n];
        var v = new double[frames * n];
        for (int t = 0; t < frames; t++)
        {
            if (t > 0)
            {
                if (modalForces is not null) modalForces.AsSpan(t * n, n).CopyTo(stepper.NextForce);
                stepper.Advance();
            }
            stepper.Displacement.CopyTo(q.AsSpan(t * n, n));
            stepper.Velocity.CopyTo(v.AsSpan(t * n, n));
            if (!double.IsFinite(q[t * n]) || !double.IsFinite(v[t * n]))
                throw new PhysMod.Physics.InvalidSettingException($"ground-truth simulation diverged at frame {t}");
        }
        return (tensor(q, new long[] { frames, n }, float64), tensor(v, new long[] { frames, n }, float64));
    }
}
