using static TorchSharp.torch;

namespace PhysMod.Learning.Baselines;

/// <summary>The leading terms of the dynamic-mode decomposition of a set of trajectories, as the SSM's and the Koopman
/// network's DMD starts use them.</summary>
/// <remarks>
/// With A the least-squares operator of <see cref="DmdModel"/> (x_{k+1} = A x_k on flattened frames) and A = V Λ V⁻¹
/// (columns v_j of V, rows w_j of V⁻¹):
/// <code>
///   x_k = Σ_j v_j λ_j^k (w_j · x_0) = Σ_{Im λ_j &gt; 0} Re(2 v_j λ_j^k w_j x_0) + Σ_{real λ_j} Re(v_j λ_j^k w_j x_0)
/// </code>
/// A term is (λ_j, w_j, c_j v_j) with c_j = 2 for a conjugate pair and 1 for a real λ. Terms are ranked by
/// importance = c_j ‖v_j‖ · rms_n |w_j x_0,n| · rms_k |λ_j|^k over the trajectories' frames. Singular values of the fit
/// below <see cref="NoiseFloor"/> of the largest are float32 noise (the string's field spans only 2 × its modes; fitting them
/// would give eigenvectors of noise and an ill-conditioned V⁻¹) and eigenvalues below it vanish after one frame: both are
/// dropped. A real λ gets arg 1e-9 (θ = log arg λ needs arg &gt; 0, or π when negative) and |λ| ≥ 1 is clipped to
/// ln|λ| = −1e-7. Call inside a dispose scope: the returned tensors belong to it.
/// </remarks>
public static class DmdTerms
{
    /// <summary>Relative cut-off for singular values of the fit and for eigenvalues.</summary>
    public const double NoiseFloor = 1e-6;

    /// <summary>One term: ln|λ|, arg λ, the row w_j (D, complex128) and the column c_j v_j (D, complex128).</summary>
    public sealed record Term(double LogModulus, double Phase, Tensor Row, Tensor Column);

    /// <summary>The <paramref name="count"/> most important terms (fewer if the fit has fewer) of
    /// <paramref name="trajectories"/> (N, T ≥ 2, W, C), most important first.</summary>
    public static Term[] Leading(Tensor trajectories, int count)
    {
        if (trajectories.dim() != 4 || trajectories.shape[1] < 2)
            throw new ArgumentException($"trajectories must be (N, T ≥ 2, W, C); got ({string.Join(", ", trajectories.shape)})", nameof(trajectories));
        int frames = (int)trajectories.shape[1], gridPoints = (int)trajectories.shape[2], channels = (int)trajectories.shape[3];
        int size = gridPoints * channels;
        using var noGrad = no_grad();
        using var dmd = new DmdModel(new DmdModelConfig { Rcond = NoiseFloor }, gridPoints, channels);
        dmd.Fit(trajectories);
        var (values, vectors) = linalg.eig(dmd.Operator);                                  // (D), (D, D) complex128
        var left = linalg.inv(vectors);                                                     // (D, D): rows w_j
        var x0 = trajectories[.., 0].reshape(-1, size).to(ScalarType.Float64).to(ScalarType.ComplexFloat64); // (N, D)
        var coefficients = x0.matmul(left.t());                                             // (N, D): w_j · x0_n
        double[] re = real(values).data<double>().ToArray(), im = imag(values).data<double>().ToArray();
        double[] vectorNorm = linalg.vector_norm(vectors, dims: [0]).data<double>().ToArray();
        double[] coefficientRms = coefficients.abs().Squared().mean([0]).sqrt().data<double>().ToArray();

        var terms = new List<(int Index, double Weight, double LogModulus, double Phase, double Factor)>();
        for (int j = 0; j < re.Length; j++)
        {
            double modulus = Math.Sqrt(re[j] * re[j] + im[j] * im[j]);
            if (modulus < NoiseFloor) continue;                                             // gone after one frame
            bool isReal = Math.Abs(im[j]) <= 1e-12 * modulus;
            if (!isReal && im[j] < 0) continue;                                             // the conjugate of a kept term
            double factor = isReal ? 1 : 2;
            double logModulus = Math.Min(Math.Log(modulus), -1e-7);
            double phase = isReal ? (re[j] > 0 ? 1e-9 : Math.PI) : Math.Atan2(im[j], re[j]);
            double envelope = Math.Sqrt(Enumerable.Range(0, frames).Average(k => Math.Exp(2 * k * logModulus)));
            terms.Add((j, factor * vectorNorm[j] * coefficientRms[j] * envelope, logModulus, phase, factor));
        }
        return terms.OrderByDescending(t => t.Weight).Take(count)
            .Select(t => new Term(t.LogModulus, t.Phase, left[t.Index], vectors[.., t.Index] * t.Factor)).ToArray();
    }
}
