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

    /// <summary>Reads an edit written as <c>INDICES:freq=F,decay=D</c>, where INDICES is <c>all</c>, a list <c>3,7</c> or a
    /// range <c>3-9</c> (mixed freely: <c>0-3,7</c>) and either factor may be left out; checks it against
    /// <paramref name="eigenvalueCount"/> eigenvalues.</summary>
    public static EigenvalueEdit Parse(string spec, int eigenvalueCount)
    {
        string Bad(string why) => $"--edit '{spec}': {why}; expected INDICES:freq=F,decay=D with INDICES all, 3,7 or 3-9 (0 … {eigenvalueCount - 1})";
        int colon = spec.IndexOf(':');
        if (colon <= 0 || colon == spec.Length - 1) throw new InvalidSettingException(Bad("missing ':'"));
        var indices = new List<int>();
        foreach (string part in spec[..colon].Split(',', StringSplitOptions.TrimEntries))
        {
            if (part == "all") { indices.AddRange(Enumerable.Range(0, eigenvalueCount)); continue; }
            string[] ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2 || !ends.All(e => int.TryParse(e, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
                throw new InvalidSettingException(Bad($"'{part}' is not an index or a range"));
            int first = int.Parse(ends[0], System.Globalization.CultureInfo.InvariantCulture), last = int.Parse(ends[^1], System.Globalization.CultureInfo.InvariantCulture);
            if (last < first) throw new InvalidSettingException(Bad($"range '{part}' runs backwards"));
            indices.AddRange(Enumerable.Range(first, last - first + 1));
        }
        double frequency = 1, decay = 1;
        foreach (string setting in spec[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            string[] pair = setting.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !double.TryParse(pair[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value))
                throw new InvalidSettingException(Bad($"'{setting}' is not NAME=NUMBER"));
            switch (pair[0])
            {
                case "freq": frequency = value; break;
                case "decay": decay = value; break;
                default: throw new InvalidSettingException(Bad($"unknown factor '{pair[0]}' (allowed: freq, decay)"));
            }
        }
        return new EigenvalueEdit(indices.Distinct().ToArray(), frequency, decay).Validate(eigenvalueCount);
    }
}
