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

    /// <summary>The loss for the given starts (B) under <paramref name="coefficients"/> and <paramref name="integrator"/>.</summary>
    public Tensor Loss(ModalCoefficients coefficients, RecurrentIntegrator integrator, double dt, Tensor starts)
    {
        var index = starts.unsqueeze(1) + arange(Window + 1, dtype: int64).unsqueeze(0);   // (B, K+1)
        var q = _q[index];   // (B, K+1, N)
        var v = _v[index];
        var f = Forces?[index];
        var (qHat, vHat) = integrator.Rollout(coefficients, q[.., 0], v[.., 0], dt, Window, f);
        var dq = (qHat[.., 1..] - q[.., 1..]) / QScale;
        var dv = (vHat[.., 1..] - v[.., 1..]) / VScale;
        if (QScale == 1 && VScale == 1) return cat([dq, dv], -1).square().mean();   // the tutorial's MSE over [q, v]
        return dq.square().mean() + dv.square().mean();
    }
}
