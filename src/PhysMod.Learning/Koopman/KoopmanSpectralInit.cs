using PhysMod.Learning.Baselines;
using static TorchSharp.torch;

namespace PhysMod.Learning.Koopman;

/// <summary>Starts a deep Koopman network from the dynamic-mode decomposition of its training data (<c>model.init = dmd</c>):
/// the latent eigenvalues are DMD's, and with a linear path the encoder and decoder begin as DMD's projections.</summary>
/// <remarks>
/// With A the least-squares operator of <see cref="DmdModel"/> (x_{k+1} = A x_k on flattened frames) and A = V Λ V⁻¹
/// (columns v_j of V, rows w_j of V⁻¹):
/// <code>
///   x_k = Σ_j v_j λ_j^k (w_j · x_0) = Σ_{kept j} Re(c_j v_j λ_j^k z_j),   z_j = w_j · x_0,   c_j = 2 (Im λ_j &gt; 0) or 1 (real λ_j)
/// </code>
/// Slot j of the latent (z[j] + i z[h+j]) gets λ_j; with linear_skip the encoder's linear path gets the rows P[j] = Re w_j,
/// P[h+j] = Im w_j and the decoder's Q[:, j] = c_j Re v_j, Q[:, h+j] = −c_j Im v_j, and both MLPs' last layers are zeroed,
/// so that φ⁻¹(Λᵏ φ(x₀)) is the truncated DMD rollout at the first step (energy_phase's map starts at zero anyway).
/// The h most important terms are kept, importance = c_j ‖v_j‖ · rms_n |w_j x_0,n| · rms_k |λ_j|^k over the training frames
/// (the same ranking as the SSM's DMD start). Singular values below 1e-6 of the largest are dropped from the fit and
/// eigenvalues below 1e-6 are ignored; a real λ gets arg 1e-9 (θ = log arg λ needs arg &gt; 0) and |λ| ≥ 1 is clipped to
/// ln|λ| = −1e-7. Slots left over keep their ring eigenvalues, with P rows and Q columns at zero (silent until the MLPs
/// feed them).
/// </remarks>
public static class KoopmanSpectralInit
{
    /// <summary>Relative cut-off for singular values of the fit and for eigenvalues.</summary>
    public const double NoiseFloor = 1e-6;

    /// <summary>Sets <paramref name="model"/> from <paramref name="trajectories"/> (N, T, W, C), normalised.</summary>
    /// <returns>The number of DMD terms kept.</returns>
    public static int Apply(KoopmanModel model, Tensor trajectories)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trajectories);
        if (trajectories.dim() != 4 || trajectories.shape[2] != model.GridPoints || trajectories.shape[3] != model.Channels || trajectories.shape[1] < 2)
            throw new ArgumentException($"trajectories must be (N, T ≥ 2, {model.GridPoints}, {model.Channels}); got ({string.Join(", ", trajectories.shape)})", nameof(trajectories));
        int frames = (int)trajectories.shape[1], size = model.GridPoints * model.Channels, h = model.Config.EigenvalueCount;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var dmd = new DmdModel(new DmdModelConfig { Rcond = NoiseFloor }, model.GridPoints, model.Channels);
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
            if (modulus < NoiseFloor) continue;
            bool isReal = Math.Abs(im[j]) <= 1e-12 * modulus;
            if (!isReal && im[j] < 0) continue;                                             // the conjugate of a kept term
            double factor = isReal ? 1 : 2;
            double logModulus = Math.Min(Math.Log(modulus), -1e-7);
            double phase = isReal ? (re[j] > 0 ? 1e-9 : Math.PI) : Math.Atan2(im[j], re[j]);
            double envelope = Math.Sqrt(Enumerable.Range(0, frames).Average(k => Math.Exp(2 * k * logModulus)));
            terms.Add((j, factor * vectorNorm[j] * coefficientRms[j] * envelope, logModulus, phase, factor));
        }
        var kept = terms.OrderByDescending(t => t.Weight).Take(h).ToArray();

        var ring = model.Eigenvalues();
        double[] logModuli = ring.Select(e => e.LogModulus).ToArray(), phases = ring.Select(e => e.Phase).ToArray();
        for (int slot = 0; slot < kept.Length; slot++)
        {
            logModuli[slot] = kept[slot].LogModulus;
            phases[slot] = kept[slot].Phase;
        }
        model.Dynamics.SetSpectrum(logModuli, phases);
        if (model.EncoderSkip is null || model.DecoderSkip is null) return kept.Length;

        var encoderWeight = zeros(2 * h, size, dtype: ScalarType.Float64);                  // (2h, D)
        var decoderWeight = zeros(size, 2 * h, dtype: ScalarType.Float64);                  // (D, 2h)
        for (int slot = 0; slot < kept.Length; slot++)
        {
            var (index, _, _, _, factor) = kept[slot];
            var row = left[index];                                                          // (D) complex
            var column = vectors[.., index] * factor;                                       // (D) complex
            encoderWeight[slot] = real(row);
            encoderWeight[h + slot] = imag(row);
            decoderWeight[.., slot] = real(column);
            decoderWeight[.., h + slot] = -imag(column);
        }
        if (!encoderWeight.isfinite().all().item<bool>() || !decoderWeight.isfinite().all().item<bool>())
            throw new InvalidOperationException("the DMD initialisation produced non-finite projections (defective eigenvectors); use model.init = ring");
        model.EncoderSkip.weight!.copy_(encoderWeight);
        model.DecoderSkip.weight!.copy_(decoderWeight);
        model.EncoderMlp.ZeroLastLayer();
        model.DecoderMlp.ZeroLastLayer();
        return kept.Length;
    }
}
