using System.Text.Json;
using System.Text.Json.Serialization;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Koopman;

/// <summary>Architecture and loss weights of the deep Koopman network (spec §7.1), with the tutorial's values as defaults.</summary>
/// <remarks>JSON is snake_case (<c>d_latent</c>, <c>r_min</c>, …) and unknown keys are rejected.
/// The latent holds <c>d_latent / 2</c> complex coordinates: z_c = z[:h] + i z[h:], each advanced by its own eigenvalue
/// λ_j = exp(−e^{ν_j} + i e^{θ_j}), so |λ_j| = exp(−e^{ν_j}) and arg λ_j = e^{θ_j}.</remarks>
public sealed record KoopmanModelConfig
{
    /// <summary>Size of the real latent vector (re and im halves concatenated); must be even. Tutorial: 128.</summary>
    public int DLatent { get; init; } = 128;

    /// <summary>Hidden width of the encoder and decoder MLPs. Tutorial: 256.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Hidden layers of the encoder and decoder (equinox depth: depth + 1 Linear layers). Tutorial: 3.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Smallest eigenvalue modulus at initialisation (ring init). Tutorial: 0.99.</summary>
    public double RMin { get; init; } = 0.99;

    /// <summary>Largest eigenvalue modulus at initialisation (ring init). Tutorial: 1.0.</summary>
    public double RMax { get; init; } = 1.0;

    /// <summary>Largest eigenvalue argument at initialisation, in radians per frame. Tutorial: π.</summary>
    public double MaxPhase { get; init; } = Math.PI;

    /// <summary>Clip the log-modulus −e^ν to ≤ −1e-5 so that no eigenvalue reaches the unit circle. Tutorial: false.</summary>
    public bool ClipEigs { get; init; }

    /// <summary>Multiply each latent step by a learned complex gain m(|z_k|²) (amplitude-dependent dynamics). Tutorial: false.</summary>
    public bool UseModulation { get; init; }

    /// <summary>Scale each eigenvalue's argument by 1 + Σ_i A_ji |z₀,i|², a learned (h, h) map of the initial latent energies,
    /// zero at the start: a tension-modulated string sounds higher the harder it is excited. Not in the tutorial: false.</summary>
    public bool EnergyPhase { get; init; }

    /// <summary>Add a linear path to the encoder and decoder: φ(x) = MLP(x) + P x and φ⁻¹(z) = MLP(z) + Q z, P (d_latent, W·C)
    /// and Q (W·C, d_latent) without bias, so a linear (DMD-like) model is one point of the family. Not in the tutorial: false.</summary>
    public bool LinearSkip { get; init; }

    /// <summary>How the model starts: "ring" (the tutorial's random ring eigenvalues and lecun-uniform weights) or "dmd"
    /// (eigenvalues from a least-squares linear fit of the training trajectories; with linear_skip also P and Q from its
    /// eigenvectors and the MLPs' last layers at zero, so training starts from the DMD rollout; see
    /// <see cref="KoopmanSpectralInit"/>). Tutorial: ring.</summary>
    public string Init { get; init; } = "ring";

    /// <summary>Hidden width of the modulation MLP (|z|² → gain). Tutorial: 64.</summary>
    public int ModulationWidth { get; init; } = 64;

    /// <summary>Hidden layers of the modulation MLP. Tutorial: 2.</summary>
    public int ModulationDepth { get; init; } = 2;

    /// <summary>Weight α1 of the prediction loss mean(φ⁻¹(Λᵏ φ(x₀)) − x_k)².</summary>
    public double PredictionWeight { get; init; } = 1.0;

    /// <summary>Weight α2 of the reconstruction loss mean(φ⁻¹(φ(x_k)) − x_k)² over every frame k.</summary>
    public double ReconstructionWeight { get; init; } = 1.0;

    /// <summary>Weight α3 of the latent consistency loss mean(Λᵏ φ(x₀) − φ(x_k))².</summary>
    public double ConsistencyWeight { get; init; } = 0.1;

    /// <summary>Number of complex eigenvalues (d_latent / 2).</summary>
    [JsonIgnore]
    public int EigenvalueCount => DLatent / 2;

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public KoopmanModelConfig Validate()
    {
        if (DLatent < 2 || DLatent % 2 != 0) throw new InvalidSettingException($"model.d_latent = {DLatent}: must be an even number ≥ 2");
        if (Width < 1) throw new InvalidSettingException($"model.width = {Width}: must be ≥ 1");
        if (Depth < 0) throw new InvalidSettingException($"model.depth = {Depth}: must be ≥ 0");
        if (!(RMin >= 0 && RMin < RMax && RMax <= 1))
            throw new InvalidSettingException($"model.r_min = {RMin}, model.r_max = {RMax}: need 0 ≤ r_min < r_max ≤ 1");
        if (!(MaxPhase > 0 && MaxPhase <= 2 * Math.PI)) throw new InvalidSettingException($"model.max_phase = {MaxPhase}: must be in (0, 2π]");
        if (Init is not ("ring" or "dmd")) throw new InvalidSettingException($"model.init = '{Init}': allowed are ring, dmd");
        if (UseModulation && (ModulationWidth < 1 || ModulationDepth < 0))
            throw new InvalidSettingException($"model.modulation_width = {ModulationWidth}, model.modulation_depth = {ModulationDepth}: need width ≥ 1, depth ≥ 0");
        foreach (var (name, value) in new[] { ("prediction_weight", PredictionWeight), ("reconstruction_weight", ReconstructionWeight), ("consistency_weight", ConsistencyWeight) })
            if (!(value >= 0) || double.IsInfinity(value)) throw new InvalidSettingException($"model.{name} = {value}: must be a finite number ≥ 0");
        return this;
    }

    /// <summary>The config as a JSON object (snake_case), as stored in <see cref="Training.FamilyConfig.Model"/>.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static KoopmanModelConfig FromJson(JsonElement json)
    {
        KoopmanModelConfig? config;
        try { config = json.Deserialize<KoopmanModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"koopman model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("koopman model config: null")).Validate();
    }
}
