using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>The LRU ring initialisation of diagonal eigenvalues λ = exp(−e^ν + i e^θ) (Orvieto et al. 2023; spec §7.1, §7.2).</summary>
/// <remarks>With u, u′ ~ U(0, 1): ν_log = log(−½ log(u (r_max² − r_min²) + r_min²)), which makes |λ|² uniform on
/// [r_min², r_max²], i.e. λ uniform on the ring r_min ≤ |λ| ≤ r_max; θ_log = log(max_phase·u′), so arg λ ∈ [0, max_phase].
/// The normaliser γ_log = log √(1 − |λ|²) keeps the state's variance independent of how close |λ| is to 1.
/// Samples are drawn in float64 and u is kept away from 0 so that no logarithm sees an exact zero.</remarks>
public static class LruInit
{
    private const double SmallestUniform = 1e-12;

    /// <summary>ν_log for <paramref name="count"/> eigenvalues, float64 (count).</summary>
    public static Tensor NuLog(int count, double rMin, double rMax, Generator generator)
    {
        using var scope = NewDisposeScope();
        var u = rand(count, dtype: float64, generator: generator).clamp_min(SmallestUniform);           // (H)
        var radiusSquared = u * (rMax * rMax - rMin * rMin) + rMin * rMin;                            // (H)
        return log(-0.5 * log(radiusSquared)).MoveToOuterDisposeScope();
    }

    /// <summary>θ_log for <paramref name="count"/> eigenvalues, float64 (count).</summary>
    public static Tensor ThetaLog(int count, double maxPhase, Generator generator)
    {
        using var scope = NewDisposeScope();
        var u = rand(count, dtype: float64, generator: generator).clamp_min(SmallestUniform);           // (H)
        return log(maxPhase * u).MoveToOuterDisposeScope();
    }

    /// <summary>γ_log = log √(1 − |λ|²) with |λ| = exp(−e^ν), float64 (H).</summary>
    public static Tensor GammaLog(Tensor nuLog)
    {
        using var scope = NewDisposeScope();
        var modulusSquared = exp(-2.0 * exp(nuLog.to(float64)));                                      // (H)
        return log(sqrt(1.0 - modulusSquared)).MoveToOuterDisposeScope();
    }
}
