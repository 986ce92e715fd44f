using System.Numerics;
using System.Runtime.CompilerServices;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The windowed damped-Verlet loss of <see cref="WindowedRollout"/> and its exact gradient with respect to ω², γ₂ and λ,
/// computed by a hand-written forward pass and its adjoint over plain arrays instead of ~8 full-size tensor ops per step.</summary>
/// <remarks>
/// Per window b starting at frame s (state (Q₀, V₀) = ground truth at s), for n = 0 … K−1, with keep = 1 − ½Δtγ₂,
/// div = 1/(1 + ½Δtγ₂), S(q) = c Σ λ q² and k(q) = ω² + λ S(q):
/// <code>
///   H_n   = keep V_n − ½Δt k(Q_n) Q_n + ½Δt f_{s+n}
///   Q_n+1 = Q_n + Δt H_n
///   V_n+1 = (H_n − ½Δt k(Q_n+1) Q_n+1 + ½Δt f_{s+n+1}) div
///   L    += w_q Σ (Q_n+1 − q_{s+n+1})² + w_v Σ (V_n+1 − v_{s+n+1})²
/// </code>
/// (the same arithmetic as <see cref="DampedVerletBlock.Rollout"/>). The adjoint runs the steps backwards with Q̄, V̄ and
/// accumulates ∂L/∂ω², ∂L/∂γ₂ (through keep and div) and ∂L/∂λ (through k and S). Windows are independent and run in the lanes
/// of <see cref="Vector{T}"/>; all arrays are row-major (frames × N).
/// </remarks>
public static class VerletWindowKernel
{
    /// <summary>The loss and its gradients (each of length N).</summary>
    /// <param name="q">Ground-truth q (frames × N).</param>
    /// <param name="v">Ground-truth q̇ (frames × N).</param>
    /// <param name="forces">Modal forces (frames × N), or empty for none.</param>
    /// <param name="modes">N.</param>
    /// <param name="starts">Window starts (each ≤ frames − K − 1).</param>
    /// <param name="window">K, steps per window.</param>
    /// <param name="omega2">ω² (N).</param>
    /// <param name="gamma2">γ₂ (N).</param>
    /// <param name="lambda">λ (N).</param>
    /// <param name="tension">c (0: linear).</param>
    /// <param name="dt">Δt.</param>
    /// <param name="weightQ">w_q.</param>
    /// <param name="weightV">w_v.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Loss, double[] Omega2, double[] Gamma2, double[] Lambda) Evaluate(ReadOnlySpan<double> q, ReadOnlySpan<double> v,
        ReadOnlySpan<double> forces, int modes, ReadOnlySpan<long> starts, int window, double[] omega2, double[] gamma2, double[] lambda,
        double tension, double dt, double weightQ, double weightV)
    {
        // Vectorised across windows: lane w of every Vector holds window g + w; lanes past the last window get zero loss weights.
        int n = modes, k = window, lanes = Vector<double>.Count;
        bool forced = !forces.IsEmpty;
        double h = 0.5 * dt;
        var keep = new double[n];
        var div = new double[n];
        var cl = new double[n];
        var om = new Vector<double>[n];
        for (int i = 0; i < n; i++)
        {
            keep[i] = 1 - h * gamma2[i]; div[i] = 1 / (1 + h * gamma2[i]); cl[i] = tension * lambda[i];
            om[i] = new Vector<double>(omega2[i]);
        }
        var gOmega2 = new Vector<double>[n];
        var gLambda = new Vector<double>[n];
        var gKeep = new Vector<double>[n];
        var gDiv = new Vector<double>[n];
        // Per group: ground truth (K+1 rows), states Q, V and U = V/div (K+1 rows), half-kicks H (K rows), stretches S (K+1).
        var tq = new Vector<double>[(k + 1) * n];
        var tv = new Vector<double>[(k + 1) * n];
        var tf = forced ? new Vector<double>[(k + 1) * n] : [];
        var Q = new Vector<double>[(k + 1) * n];
        var V = new Vector<double>[(k + 1) * n];
        var U = new Vector<double>[(k + 1) * n];
        var H = new Vector<double>[k * n];
        var S = new Vector<double>[k + 1];
        var qBar = new Vector<double>[n];
        var vBar = new Vector<double>[n];
        Span<double> lane = stackalloc double[lanes];
        Span<int> rows = stackalloc int[lanes];
        var loss = Vector<double>.Zero;
        for (int g = 0; g < starts.Length; g += lanes)
        {
            for (int w = 0; w < lanes; w++) rows[w] = checked((int)starts[g + w < starts.Length ? g + w : g]) * n;
            for (int w = 0; w < lanes; w++) lane[w] = g + w < starts.Length ? 2 * weightQ : 0;
            var wq2 = new Vector<double>(lane);
            for (int w = 0; w < lanes; w++) lane[w] = g + w < starts.Length ? 2 * weightV : 0;
            var wv2 = new Vector<double>(lane);
            for (int j = 0; j < (k + 1) * n; j++)
            {
                for (int w = 0; w < lanes; w++) lane[w] = q[rows[w] + j];
                tq[j] = new Vector<double>(lane);
                for (int w = 0; w < lanes; w++) lane[w] = v[rows[w] + j];
                tv[j] = new Vector<double>(lane);
                if (!forced) continue;
                for (int w = 0; w < lanes; w++) lane[w] = forces[rows[w] + j];
                tf[j] = new Vector<double>(lane);
            }
            Array.Copy(tq, Q, n);
            Array.Copy(tv, V, n);
            S[0] = Stretch(Q, 0, n, cl);
            for (int t = 0; t < k; t++)
            {
                int a = t * n, b = a + n;
                var st = S[t];
                for (int i = 0; i < n; i++)
                {
                    var half = keep[i] * V[a + i] - h * (om[i] + lambda[i] * st) * Q[a + i];
                    if (forced) half += h * tf[a + i];
                    H[a + i] = half;
                    Q[b + i] = Q[a + i] + dt * half;
                }
                var sn = S[t + 1] = Stretch(Q, b, n, cl);
                for (int i = 0; i < n; i++)
                {
                    var u = H[a + i] - h * (om[i] + lambda[i] * sn) * Q[b + i];
                    if (forced) u += h * tf[b + i];
                    U[b + i] = u;
                    V[b + i] = u * div[i];
                    Vector<double> dq = Q[b + i] - tq[b + i], dv = V[b + i] - tv[b + i];
                    loss += wq2 * dq * dq + wv2 * dv * dv;
                }
            }
            Array.Clear(qBar);
            Array.Clear(vBar);
            for (int t = k - 1; t >= 0; t--)
            {
                int a = t * n, b = a + n;
                // Loss terms at frame t+1, then V_{t+1} = U div, U = H − ½Δt k(Q_{t+1}) Q_{t+1}.
                var sn = S[t + 1];
                var sBar = Vector<double>.Zero;
                for (int i = 0; i < n; i++)
                {
                    qBar[i] += wq2 * (Q[b + i] - tq[b + i]);
                    var vb = vBar[i] + wv2 * (V[b + i] - tv[b + i]);
                    gDiv[i] += vb * U[b + i];
                    var uBar = vb * div[i];
                    vBar[i] = uBar;   // now H̄ (the half-kick's adjoint)
                    var kb = -h * uBar * Q[b + i];
                    qBar[i] -= h * uBar * (om[i] + lambda[i] * sn);
                    gOmega2[i] += kb;
                    gLambda[i] += kb * sn;
                    sBar += kb * lambda[i];
                }
                // S_{t+1} = c Σ λ Q², then Q_{t+1} = Q_t + Δt H_t and H_t = keep V_t − ½Δt k(Q_t) Q_t.
                var st = S[t];
                var sBarT = Vector<double>.Zero;
                for (int i = 0; i < n; i++)
                {
                    var x = Q[b + i];
                    gLambda[i] += tension * sBar * x * x;
                    qBar[i] += 2 * cl[i] * sBar * x;
                    var hBar = vBar[i] + dt * qBar[i];
                    gKeep[i] += hBar * V[a + i];
                    vBar[i] = keep[i] * hBar;
                    var kb = -h * hBar * Q[a + i];
                    qBar[i] -= h * hBar * (om[i] + lambda[i] * st);
                    gOmega2[i] += kb;
                    gLambda[i] += kb * st;
                    sBarT += kb * lambda[i];
                }
                // S_t = c Σ λ Q_t².
                for (int i = 0; i < n; i++)
                {
                    var x = Q[a + i];
                    gLambda[i] += tension * sBarT * x * x;
                    qBar[i] += 2 * cl[i] * sBarT * x;
                }
            }
        }
        var (o, gm, l) = (new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++)
        {
            o[i] = Vector.Sum(gOmega2[i]);
            l[i] = Vector.Sum(gLambda[i]);
            gm[i] = -h * Vector.Sum(gKeep[i]) - h * div[i] * div[i] * Vector.Sum(gDiv[i]);
        }
        return (0.5 * Vector.Sum(loss), o, gm, l);
    }

    private static Vector<double> Stretch(Vector<double>[] q, int offset, int n, double[] cl)
    {
        var s = Vector<double>.Zero;
        for (int i = 0; i < n; i++) s += cl[i] * q[offset + i] * q[offset + i];
        return s;
    }
}
