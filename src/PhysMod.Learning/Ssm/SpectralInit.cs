using PhysMod.Learning.Baselines;
using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>Starts an LRU expansion layer from the dynamic-mode decomposition of the training data, so that its rollout
/// begins as the DMD baseline's and training refines it.</summary>
/// <remarks>
/// With A the least-squares operator of <see cref="DmdModel"/> (x_{k+1} = A x_k on flattened frames) and its eigen-decomposition
/// A = V Λ V⁻¹ (columns v_j, rows w_j of V⁻¹):
/// <code>
///   x_k = Σ_j v_j λ_j^k (w_j · x_0) = Σ_{pairs, Im λ > 0} Re(2 v_j λ_j^k w_j x_0) + Σ_{real λ} Re(v_j λ_j^k w_j x_0)
/// </code>
/// which is the expansion layer y_k = Re(C λ^k B̄ x_0) with λ_j, B̄_j = w_j and C_j = 2 v_j (pairs) or v_j (real). The H most
/// important terms are kept, importance = c_j ‖v_j‖ · rms_n |w_j x_0,n| · rms_k |λ_j|^k over the training frames (c_j = 2 or 1).
/// Only the fit's significant rank is used (singular values above 1e-6 of the largest) and eigenvalues below 1e-6 are
/// dropped (they vanish after one frame, so frame 0 is reproduced only up to that projection). A real λ gets arg 1e-9 (a positive phase is required by θ = log arg λ); |λ| ≥ 1 is clipped to ln|λ| = −1e-7. If fewer than H
/// terms exist, the remaining slots keep their ring initialisation with C = 0 (silent until trained).
/// </remarks>
public static class SpectralInit
{
    /// <summary>Relative cut-off for singular values of the fit and for eigenvalues (terms below it vanish after one frame).</summary>
    public const double NoiseFloor = 1e-6;

    /// <summary>Sets <paramref name="layer"/> from <paramref name="trajectories"/> (N, T, W, C), normalised.</summary>
    /// <returns>The number of DMD terms kept.</returns>
    public static int Apply(LruLayer layer, Tensor trajectories)
    {
        if (trajectories.dim() != 4) throw new ArgumentException($"trajectories must be (N, T, W, C); got ({string.Join(", ", trajectories.shape)})", nameof(trajectories));
        int gridPoints = (int)trajectories.shape[2], channels = (int)trajectories.shape[3], frames = (int)trajectories.shape[1];
        int size = gridPoints * channels, hidden = layer.HiddenSize;
        if (size != layer.ModelSize) throw new ArgumentException($"frames of {size} values do not match the layer's {layer.ModelSize} features", nameof(trajectories));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Singular values below 1e-6 of the largest are float32 noise (the string's field spans only 2 × its modes): fitting
        // them would give eigenvectors of noise and an ill-conditioned V⁻¹.
        using var dmd = new DmdModel(new DmdModelConfig { Rcond = NoiseFloor }, gridPoints, channels);
        dmd.Fit(trajectories);
        var (values, vectors) = linalg.eig(dmd.Operator);                                  // (D), (D, D) complex128
        var left = linalg.inv(vectors);                                                     // (D, D): rows w_j
        var x0 = trajectories[.., 0].reshape(-1, size).to(ScalarType.Float64).to(ScalarType.ComplexFloat64); // (N, D)
        var coefficients = x0.matmul(left.t());                                             // (N, D): w_j · x0_n
        double[] re = real(values).data<double>().ToArray(), im = imag(values).data<double>().ToArray();
        double[] vectorNorm = linalg.vector_norm(vectors, dims: [0]).data<double>().ToArray();
        double[] coefficientRms = coefficients.abs().square().mean([0]).sqrt().data<double>().ToArray();

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
        var kept = terms.OrderByDescending(t => t.Weight).Take(hidden).ToArray();

        var eigenvalues = layer.Eigenvalues("expansion");                                   // ring values for unused slots
        double[] logModuli = eigenvalues.Select(e => e.LogModulus).ToArray(), phases = eigenvalues.Select(e => e.Phase).ToArray();
        var input = zeros(hidden, size, dtype: ScalarType.ComplexFloat64);                  // (H, D)
        var output = zeros(size, hidden, dtype: ScalarType.ComplexFloat64);                 // (D, H)
        for (int slot = 0; slot < kept.Length; slot++)
        {
            var term = kept[slot];
            logModuli[slot] = term.LogModulus;
            phases[slot] = term.Phase;
            input[slot] = left[term.Index];
            output[.., slot] = vectors[.., term.Index] * term.Factor;
        }
        for (int slot = kept.Length; slot < hidden; slot++)                                 // ring-initialised, silent
            input[slot] = layer.InputMatrix()[slot].detach().to(ScalarType.ComplexFloat64);
        if (!input.isfinite().all().item<bool>() || !output.isfinite().all().item<bool>())
            throw new InvalidOperationException("the DMD initialisation produced non-finite projections (defective eigenvectors); use model.init = ring");
        layer.SetSpectrum(logModuli, phases, input, output);
        return kept.Length;
    }
}
