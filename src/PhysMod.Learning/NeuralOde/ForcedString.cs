using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The course's forced modal string (spec §5.2): ground truth of the linear nylon B string driven from rest by a
/// cosine burst, shared by the forced-physical and forced-neural experiments.</summary>
/// <remarks>
/// Modal force f_μ(t) = b(t) sin(μπx_e/L), b = Hann-windowed 1200 Hz cosine burst (centre 50, 33 samples, amplitude 40), added to
/// the modal acceleration as in the course (no 1/ρA); x_e = 0.18 L, readout y = Σ q_μ sin(μπx_r/L) at x_r = 0.82 L (fractions of L,
/// where the course passes 0.18 and 0.82 as metres). q⁰ = q̇⁰ = 0; damped velocity Verlet from PhysMod.Physics.
/// </remarks>
public sealed class ForcedString
{
    private ForcedString() { }

    /// <summary>The ground-truth string (nylon B: T0, EI, d1 = 8e-4, d3 = 1.4e-5).</summary>
    public static StringParameters Truth => StringParameters.NylonGuitarB;

    /// <summary>Number of modes N.</summary>
    public int Modes { get; private init; }

    /// <summary>Frames T (frame 0 = rest).</summary>
    public int Frames { get; private init; }

    /// <summary>Δt (s).</summary>
    public double Dt { get; private init; }

    /// <summary>The Physics system (linear).</summary>
    public required ModalSystem System { get; init; }

    /// <summary>Modal forces per frame, row-major (T·N).</summary>
    public required double[] ModalForces { get; init; }

    /// <summary>Modal forces as a tensor (T, N).</summary>
    public required Tensor Forces { get; init; }

    /// <summary>Ground-truth q (T, N).</summary>
    public required Tensor Q { get; init; }

    /// <summary>Ground-truth q̇ (T, N).</summary>
    public required Tensor V { get; init; }

    /// <summary>Readout weights sin(μπx_r/L) (N).</summary>
    public required Tensor ReadoutWeights { get; init; }

    /// <summary>Target readout y (T).</summary>
    public required double[] Y { get; init; }

    /// <summary>RMS of q over the target.</summary>
    public double QScale { get; private init; }

    /// <summary>RMS of q̇ over the target.</summary>
    public double VScale { get; private init; }

    /// <summary>Simulates the ground truth for <paramref name="modes"/> modes, <paramref name="frames"/> frames at <paramref name="sampleRate"/>.</summary>
    public static ForcedString Create(int modes, double sampleRate, int frames)
    {
        var truth = Truth;
        var system = ModalSystem.ForString(truth, modes, tensionModulation: false);
        Integrator.Verlet.CheckStable(system, sampleRate, 1);
        double dt = 1 / sampleRate;
        var burst = HybridExperiment.CosineBurst(frames, 50, 33, 1200, 40, sampleRate);
        var shape = new double[modes];
        system.Basis.ShapesAt(new Location(0.18 * truth.L), shape);
        var modalForces = new double[frames * modes];
        for (int t = 0; t < frames; t++)
            for (int i = 0; i < modes; i++) modalForces[t * modes + i] = burst[t] * shape[i];
        var zeros = new double[modes];
        var (q, v) = GroundTruth.Run(system, Integrator.Verlet, dt, zeros, zeros, frames, modalForces);   // (T, N)
        var readout = StringCoefficients.Shapes(tensor(truth.L, float64), modes, 0.82 * truth.L);
        return new ForcedString
        {
            Modes = modes, Frames = frames, Dt = dt, System = system, ModalForces = modalForces,
            Forces = tensor(modalForces, new long[] { frames, modes }, float64), Q = q, V = v, ReadoutWeights = readout,
            Y = NodeOutputs.Readout(q, readout),
            QScale = q.Squared().mean().sqrt().item<double>(), VScale = v.Squared().mean().sqrt().item<double>(),
        };
    }

    /// <summary>The normalised state loss mean(((q̂ − q)/q_s)²) + mean(((q̂̇ − q̇)/v_s)²) of a rollout (1, T', N) against the first T' frames.</summary>
    public Tensor StateLoss(Tensor qHat, Tensor vHat)
    {
        long frames = qHat.shape[1];
        var dq = (qHat[0] - Q[..(int)frames]) / QScale;   // (T', N)
        var dv = (vHat[0] - V[..(int)frames]) / VScale;
        return dq.Squared().mean() + dv.Squared().mean();
    }

    /// <summary>Physics simulation of the same forced string with other T0, EI, d1, d3, over <paramref name="frames"/> frames: the readout y.</summary>
    public double[] RenderPhysical(double[] values, int frames)
    {
        var p = Truth with { T0 = values[0], I = values[1] / Truth.E, D1 = values[2], D3 = values[3] };
        var system = ModalSystem.ForString(p, Modes, tensionModulation: false);
        var burst = HybridExperiment.CosineBurst(frames, 50, 33, 1200, 40, 1 / Dt);
        var shape = new double[Modes];
        system.Basis.ShapesAt(new Location(0.18 * Truth.L), shape);
        var forces = new double[frames * Modes];
        for (int t = 0; t < frames; t++)
            for (int i = 0; i < Modes; i++) forces[t * Modes + i] = burst[t] * shape[i];
        var zeros = new double[Modes];
        using var scope = NewDisposeScope();
        var (q, _) = GroundTruth.Run(system, Integrator.Verlet, Dt, zeros, zeros, frames, forces);
        return NodeOutputs.Readout(q, StringCoefficients.Shapes(tensor(p.L, float64), Modes, 0.82 * p.L));
    }
}
