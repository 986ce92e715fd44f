using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Backpropagation through time over random windows that start from ground-truth states (spec §5.1, multiple shooting).</summary>
/// <remarks>
/// For B starts s_b ~ U{0 … T−K−1}: roll K steps from (q_{s_b}, q̇_{s_b}) and compare with the ground truth
/// q_{s_b+1 … s_b+K}, q̇_{s_b+1 … s_b+K}. Loss = mean((q̂ − q)²/q_s²) + mean((q̂̇ − q̇)²/v_s²); q_s = v_s = 1 gives the tutorial's
/// unnormalised MSE over the stacked state, the RMS values give the course notebook's normalised loss.
/// </remarks>
public sealed class WindowedRollout
{
    private readonly Tensor _q, _v;   // (T, N)

    /// <summary>Creates the sampler over ground truth q, q̇ (T, N) with scales q_s, v_s.</summary>
    public WindowedRollout(Tensor q, Tensor v, int window, double qScale = 1, double vScale = 1, Tensor? forces = null)
    {
        _q = q; _v = v; Window = window; QScale = qScale; VScale = vScale; Forces = forces;
    }

    /// <summary>Steps per window K.</summary>
    public int Window { get; }

    /// <summary>q_s.</summary>
    public double QScale { get; }

    /// <summary>v_s.</summary>
    public double VScale { get; }

    /// <summary>Modal forces per frame (T, N), or null.</summary>
    public Tensor? Forces { get; }

    /// <summary>Draws B window starts uniformly. Shape: (B).</summary>
    public Tensor Starts(int count, Generator generator) =>
        randint(0, _q.shape[0] - Window, new long[] { count }, dtype: int64, generator: generator);

    /// <summary>Whether <see cref="Loss"/> may use <see cref="VerletWindowKernel"/> (true: where it applies — Verlet, float64,
    /// no residual, constant c; false: always the tensor rollout).</summary>
    public bool UseKernel { get; init; } = true;

    /// <summary>Whether the last <see cref="Loss"/> call took the hand-written kernel (for tests and diagnostics).</summary>
    public bool LastLossUsedKernel { get; private set; }

    /// <summary>The loss for the given starts (B) under <paramref name="coefficients"/> and <paramref name="integrator"/>.</summary>
    /// <remarks>With <see cref="UseKernel"/> and where the kernel applies, the value comes from <see cref="VerletWindowKernel"/> and
    /// the result is value + Σ (θ − θ̄)·∂L/∂θ over θ = ω², γ₂, λ (θ̄ detached): the same value and the same first derivatives,
    /// but no second derivatives.</remarks>
    public Tensor Loss(ModalCoefficients coefficients, RecurrentIntegrator integrator, double dt, Tensor starts)
    {
        if (UseKernel && integrator is DampedVerletBlock && coefficients.Residual is null && _q.dtype == ScalarType.Float64
            && coefficients.Omega2.dtype == ScalarType.Float64 && coefficients.TensionCoefficient?.requires_grad != true && (Forces is null || Forces.dtype == ScalarType.Float64)
            && new[] { coefficients.Omega2, coefficients.Gamma2, coefficients.Lambda }.All(c => c.dim() == 1 && c.shape[0] == _q.shape[1] && c.dtype == ScalarType.Float64))
        {
            LastLossUsedKernel = true;
            return KernelLoss(coefficients, dt, starts);
        }
        LastLossUsedKernel = false;
        var index = starts.unsqueeze(1) + arange(Window + 1, dtype: int64).unsqueeze(0);   // (B, K+1)
        var q = _q[index];   // (B, K+1, N)
        var v = _v[index];
        var f = Forces?[index];
        var (qHat, vHat) = integrator.Rollout(coefficients, q[.., 0], v[.., 0], dt, Window, f);
        var dq = (qHat[.., 1..] - q[.., 1..]) / QScale;
        var dv = (vHat[.., 1..] - v[.., 1..]) / VScale;
        if (QScale == 1 && VScale == 1) return cat([dq, dv], -1).Squared().mean();   // the tutorial's MSE over [q, v]
        return dq.Squared().mean() + dv.Squared().mean();
    }

    private double[]? _qValues, _vValues, _fValues;

    private Tensor KernelLoss(ModalCoefficients coefficients, double dt, Tensor starts)
    {
        _qValues ??= Values(_q);
        _vValues ??= Values(_v);
        _fValues ??= Forces is null ? [] : Values(Forces);
        long[] at = starts.to(int64).cpu().data<long>().ToArray();
        int modes = (int)_q.shape[1];
        double count = (double)at.Length * Window * modes;
        bool tutorial = QScale == 1 && VScale == 1;
        double weightQ = tutorial ? 0.5 / count : 1 / (count * QScale * QScale), weightV = tutorial ? 0.5 / count : 1 / (count * VScale * VScale);
        double tension = coefficients.TensionCoefficient is null ? 0 : coefficients.TensionCoefficient.item<double>();
        var (value, gOmega2, gGamma2, gLambda) = VerletWindowKernel.Evaluate(_qValues, _vValues, _fValues, modes, at, Window,
            Values(coefficients.Omega2), Values(coefficients.Gamma2), Values(coefficients.Lambda), tension, dt, weightQ, weightV);
        return tensor(value, float64) + Linearised(coefficients.Omega2, gOmega2) + Linearised(coefficients.Gamma2, gGamma2)
               + Linearised(coefficients.Lambda, gLambda);
    }

    // (θ − θ̄)·g: zero in value, g as gradient.
    private static Tensor Linearised(Tensor theta, double[] gradient) =>
        ((theta - theta.detach()) * tensor(gradient, float64)).sum();

    private static double[] Values(Tensor x) => x.detach().cpu().contiguous().data<double>().ToArray();
}
