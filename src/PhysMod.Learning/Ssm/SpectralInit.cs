using PhysMod.Learning.Baselines;
using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>Starts an LRU expansion layer from the dynamic-mode decomposition of the training data, so that its rollout
/// begins as the DMD baseline's and training refines it.</summary>
/// <remarks>
/// With the DMD terms (λ_j, w_j, c_j v_j) of <see cref="DmdTerms"/>, x_k = Σ_j Re(c_j v_j λ_j^k w_j x_0) is the expansion layer
/// y_k = Re(C λ^k B̄ x_0) with λ_j, B̄_j = w_j and C_j = c_j v_j. The H most important terms are used; if fewer exist, the
/// remaining slots keep their ring initialisation with C = 0 (silent until trained).
/// </remarks>
public static class SpectralInit
{
    /// <summary>Sets <paramref name="layer"/> from <paramref name="trajectories"/> (N, T, W, C), normalised.</summary>
    /// <returns>The number of DMD terms kept.</returns>
    public static int Apply(LruLayer layer, Tensor trajectories)
    {
        if (trajectories.dim() != 4) throw new ArgumentException($"trajectories must be (N, T, W, C); got ({string.Join(", ", trajectories.shape)})", nameof(trajectories));
        int gridPoints = (int)trajectories.shape[2], channels = (int)trajectories.shape[3];
        int size = gridPoints * channels, hidden = layer.HiddenSize;
        if (size != layer.ModelSize) throw new ArgumentException($"frames of {size} values do not match the layer's {layer.ModelSize} features", nameof(trajectories));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var kept = DmdTerms.Leading(trajectories, hidden);

        var eigenvalues = layer.Eigenvalues("expansion");                                   // ring values for unused slots
        double[] logModuli = eigenvalues.Select(e => e.LogModulus).ToArray(), phases = eigenvalues.Select(e => e.Phase).ToArray();
        var input = zeros(hidden, size, dtype: ScalarType.ComplexFloat64);                  // (H, D)
        var output = zeros(size, hidden, dtype: ScalarType.ComplexFloat64);                 // (D, H)
        for (int slot = 0; slot < kept.Length; slot++)
        {
            var term = kept[slot];
            logModuli[slot] = term.LogModulus;
            phases[slot] = term.Phase;
            input[slot] = term.Row;
            output[.., slot] = term.Column;
        }
        for (int slot = kept.Length; slot < hidden; slot++)                                 // ring-initialised, silent
            input[slot] = layer.InputMatrix()[slot].detach().to(ScalarType.ComplexFloat64);
        if (!input.isfinite().all().item<bool>() || !output.isfinite().all().item<bool>())
            throw new InvalidOperationException("the DMD initialisation produced non-finite projections (defective eigenvectors); use model.init = ring");
        layer.SetSpectrum(logModuli, phases, input, output);
        return kept.Length;
    }
}
