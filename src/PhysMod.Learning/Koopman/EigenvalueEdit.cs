using PhysMod.Physics;

namespace PhysMod.Learning.Koopman;

/// <summary>A change to chosen Koopman eigenvalues: scale their frequency and/or their decay time (the tutorial's
/// "edit the eigenvalues" exercise).</summary>
/// <remarks>
/// For each chosen λ = exp(−e^ν + i e^θ):
/// <code>
///   arg lambda  → FrequencyScale · arg lambda      (theta += ln FrequencyScale)
///   ln|lambda|  → ln|lambda| / DecayScale          (nu −= ln DecayScale), so the decay time −1/ln|lambda| scales by DecayScale
/// </code>
/// Every other eigenvalue and every network weight stays bit-identical. A frequency pushed above fs/2 (arg above π) aliases.
/// With <c>clip_eigs</c> on, an eigenvalue already clipped at ln|λ| = −1e-5 can only be shortened, not lengthened.
/// </remarks>
/// <param name="Indices">Eigenvalue indices j (0 … d_latent/2 − 1) to change.</param>
/// <param name="FrequencyScale">Factor on the frequency (1 = unchanged).</param>
/// <param name="DecayScale">Factor on the decay time (1 = unchanged; 2 = rings twice as long).</param>
public sealed record EigenvalueEdit(IReadOnlyList<int> Indices, double FrequencyScale = 1.0, double DecayScale = 1.0)
{
    /// <summary>Checks the edit against a model with <paramref name="eigenvalueCount"/> eigenvalues.</summary>
    public EigenvalueEdit Validate(int eigenvalueCount)
    {
        if (!(FrequencyScale > 0) || double.IsInfinity(FrequencyScale))
            throw new InvalidSettingException($"frequency scale = {FrequencyScale}: must be a finite number > 0");
        if (!(DecayScale > 0) || double.IsInfinity(DecayScale))
            throw new InvalidSettingException($"decay scale = {DecayScale}: must be a finite number > 0");
        foreach (int index in Indices)
            if (index < 0 || index >= eigenvalueCount)
                throw new InvalidSettingException($"eigenvalue index {index}: allowed are 0 … {eigenvalueCount - 1}");
        return this;
    }
}
