using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Baselines;

/// <summary>Regularisation of the DMD least-squares fit: an optional rank truncation and a ridge (Tikhonov) term.</summary>
/// <remarks>
/// With the snapshot matrices X = [x_0 … x_{T−2}] and Y = [x_1 … x_{T−1}] (columns are flattened frames of every training
/// trajectory) and the thin SVD X = U S Vᵀ, the operator is
/// <code>
///   A = Y V diag(s_i / (s_i² + ridge · s_max²)) Uᵀ      over the kept singular values i
/// </code>
/// which is argmin ‖Y − A X‖² + ridge·s_max²‖A‖² restricted to the first <c>rank</c> singular directions. Kept are the
/// first <c>rank</c> values (0 = all) that are also above <c>rcond</c>·s_max (numerically zero directions, such as the
/// fixed ends of a string, are dropped). The defaults (full rank, ridge 1e-12 relative to s_max², in float64) change the plain least-squares solution by
/// about ridge·cond(X)² (1e-9 for cond(X) = 30), while damping directions at the float32 noise floor of the data
/// (s_i ≈ 1e-7 s_max) instead of inverting them.
/// </remarks>
public sealed record DmdModelConfig
{
    /// <summary>Singular directions kept (0 = all).</summary>
    public int Rank { get; init; }

    /// <summary>Ridge term relative to the largest squared singular value of X (0 = plain least squares).</summary>
    public double Ridge { get; init; } = 1e-12;

    /// <summary>Singular values below rcond · s_max are treated as zero.</summary>
    public double Rcond { get; init; } = 1e-12;

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public DmdModelConfig Validate()
    {
        if (Rank < 0) throw new InvalidSettingException($"model.rank = {Rank}: must be ≥ 0 (0 = full rank)");
        if (!(Ridge >= 0) || double.IsInfinity(Ridge)) throw new InvalidSettingException($"model.ridge = {Ridge}: must be a finite number ≥ 0");
        if (!(Rcond >= 0 && Rcond < 1)) throw new InvalidSettingException($"model.rcond = {Rcond}: must be in [0, 1)");
        return this;
    }

    /// <summary>The config as a JSON object (snake_case), as stored in <see cref="Training.FamilyConfig.Model"/>.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static DmdModelConfig FromJson(JsonElement json)
    {
        DmdModelConfig? config;
        try { config = json.Deserialize<DmdModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"dmd model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("dmd model config: null")).Validate();
    }
}
