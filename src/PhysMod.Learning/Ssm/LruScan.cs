namespace PhysMod.Learning.Ssm;

/// <summary>Which of the three equivalent evaluations of the LRU sequence mode h_k = λ⊙h_{k−1} + B̄u_k to use.</summary>
/// <remarks>All three give the same outputs up to float rounding (tests check ≤ 1e-5 relative); they differ in speed and memory.
/// Every form forms powers of λ as exp(k·log λ) with k ≥ 0 only: the closed form λ^k Σ_j λ^{−j} B̄u_j (cumprod/cumsum)
/// overflows on long sequences and is never used.</remarks>
public enum LruScan
{
    /// <summary>The recurrence in one C# pass over the data, with the adjoint recurrence δ_k = G_k + conj(λ)δ_{k+1} as its
    /// backward: the fastest for training on CPU (measured ~7× faster than <see cref="Parallel"/> for B = 25, T = 100,
    /// H = 128). Not twice differentiable; off the CPU it falls back to <see cref="Parallel"/>.</summary>
    Fused,

    /// <summary>Log-depth associative scan (Hillis–Steele): ⌈log₂ T⌉ passes b_k ← b_k + λ^d b_{k−d}, d = 1, 2, 4, … in torch
    /// ops. The fastest of the pure-torch forms at T = 100–200 (measured), and the one a device other than the CPU uses.</summary>
    Parallel,

    /// <summary>The sequential recurrence, one time step at a time (the streaming form).</summary>
    Recurrence,

    /// <summary>Causal convolution y = K * u + D⊙u with the MIMO kernel K_k = Re(C diag(λ^k) B̄) of shape (T, D, D),
    /// evaluated with a real FFT zero-padded to 2T.</summary>
    Convolution,
}
