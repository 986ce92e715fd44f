using System.Numerics;

namespace PhysMod.Tests.Koopman;

/// <summary>The reference for closed-form latent rollouts: z_{k+1} = λ z_k by repeated complex multiplication.</summary>
internal static class LatentProduct
{
    /// <summary>Largest |z_k − λ^k z_0| over every trajectory b, coordinate j and step k, where <paramref name="start"/> is
    /// z_0 (B, 2n) and <paramref name="actual"/> the rollout (B, steps, 2n), both [re | im], and λ_bj = <paramref name="lambda"/>(b, j).</summary>
    public static double MaxDeviation(double[] start, double[] actual, int batch, int n, int steps, Func<int, int, Complex> lambda)
    {
        double worst = 0;
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < n; j++)
            {
                var factor = lambda(b, j);
                var value = new Complex(start[b * 2 * n + j], start[b * 2 * n + n + j]);
                for (int k = 0; k < steps; k++)
                {
                    int at = (b * steps + k) * 2 * n;
                    worst = Math.Max(worst, Complex.Abs(new Complex(actual[at + j], actual[at + n + j]) - value));
                    value *= factor;
                }
            }
        return worst;
    }
}
