using PhysMod.Learning.Baselines;
using static TorchSharp.torch;

namespace PhysMod.Learning.Koopman;

/// <summary>Starts a deep Koopman network from the dynamic-mode decomposition of its training data (<c>model.init = dmd</c>):
/// the latent eigenvalues are DMD's, and with a linear path the encoder and decoder begin as DMD's projections.</summary>
/// <remarks>
/// With the DMD terms (λ_j, w_j, c_j v_j) of <see cref="DmdTerms"/> (x_k = Σ_j Re(c_j v_j λ_j^k z_j), z_j = w_j · x_0), slot j
/// of the latent (z[j] + i z[h+j]) gets λ_j; with linear_skip the encoder's linear path gets the rows P[j] = Re w_j,
/// P[h+j] = Im w_j and the decoder's Q[:, j] = c_j Re v_j, Q[:, h+j] = −c_j Im v_j, and both MLPs' last layers are zeroed,
/// so that φ⁻¹(Λᵏ φ(x₀)) is the truncated DMD rollout at the first step (energy_phase's map starts at zero anyway).
/// The h most important terms are used; slots left over keep their ring eigenvalues, with P rows and Q columns at zero
/// (silent until the MLPs feed them).
/// </remarks>
public static class KoopmanSpectralInit
{
    /// <summary>Sets <paramref name="model"/> from <paramref name="trajectories"/> (N, T, W, C), normalised.</summary>
    /// <returns>The number of DMD terms kept.</returns>
    public static int Apply(KoopmanModel model, Tensor trajectories)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trajectories);
        if (trajectories.dim() != 4 || trajectories.shape[2] != model.GridPoints || trajectories.shape[3] != model.Channels || trajectories.shape[1] < 2)
            throw new ArgumentException($"trajectories must be (N, T ≥ 2, {model.GridPoints}, {model.Channels}); got ({string.Join(", ", trajectories.shape)})", nameof(trajectories));
        int size = model.GridPoints * model.Channels, h = model.Config.EigenvalueCount;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var kept = DmdTerms.Leading(trajectories, h);

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
            var row = kept[slot].Row;                                                       // (D) complex
            var column = kept[slot].Column;                                                 // (D) complex: c_j v_j
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
