using System.Text.Json;
using System.Text.Json.Serialization;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Ssm;

/// <summary>Architecture of the stacked LRU model (spec §7.2), with the tutorial's values as defaults.</summary>
/// <remarks>JSON is snake_case (<c>n_layers</c>, <c>d_hidden</c>, <c>r_min</c>, …) and unknown keys are rejected. Every LRU,
/// the expansion layer included, is ring-initialised with the same r_min, r_max and max_phase, as the tutorial's
/// <c>StackedSSM</c> passes them to all layers.</remarks>
public sealed record SsmModelConfig
{
    /// <summary>Sequence layers after the expansion layer. Tutorial: 2.</summary>
    public int NLayers { get; init; } = 2;

    /// <summary>Complex state size H of every LRU. Tutorial: 128.</summary>
    public int DHidden { get; init; } = 128;

    /// <summary>Nonlinearity of the sequence layers: gelu or half_glu1. Tutorial: gelu.</summary>
    public string Activation { get; init; } = "gelu";

    /// <summary>Smallest eigenvalue modulus at initialisation. Tutorial: 0.9.</summary>
    public double RMin { get; init; } = 0.9;

    /// <summary>Largest eigenvalue modulus at initialisation. Tutorial: 0.99.</summary>
    public double RMax { get; init; } = 0.99;

    /// <summary>Largest eigenvalue argument at initialisation, in radians per frame. Tutorial: π/2.</summary>
    public double MaxPhase { get; init; } = Math.PI / 2;

    /// <summary>How the expansion layer starts: "ring" (the tutorial's random ring initialisation) or "dmd" (its eigenvalues and
    /// projections taken from a least-squares linear fit of the training trajectories, so training starts from the DMD
    /// baseline's rollout; see <see cref="SpectralInit"/>).</summary>
    public string Init { get; init; } = "ring";

    /// <summary>Scale each expansion-layer eigenvalue's argument by 1 + Σ_i A_ji |(B̄ x₀)_i|², a learned (H, H) map of the
    /// initial state's energies, zero at the start: a tension-modulated string sounds higher the harder it is excited.
    /// Not in the tutorial: false.</summary>
    public bool EnergyPhase { get; init; }

    /// <summary>How sequence layers evaluate the recurrence: fused (C# kernel with a hand-written backward, fastest to train),
    /// parallel (log-depth scan in torch ops), recurrence (torch loop) or convolution (FFT). All give the same result.</summary>
    public string Scan { get; init; } = "fused";

    /// <summary><see cref="Activation"/> as an enum.</summary>
    [JsonIgnore]
    public SequenceActivation ActivationKind => Activation switch
    {
        "gelu" => SequenceActivation.Gelu,
        "half_glu1" => SequenceActivation.HalfGlu1,
        _ => throw new InvalidSettingException($"model.activation = '{Activation}': allowed are gelu, half_glu1"),
    };

    /// <summary><see cref="Scan"/> as an enum.</summary>
    [JsonIgnore]
    public LruScan ScanForm => Scan switch
    {
        "fused" => LruScan.Fused,
        "parallel" => LruScan.Parallel,
        "recurrence" => LruScan.Recurrence,
        "convolution" => LruScan.Convolution,
        _ => throw new InvalidSettingException($"model.scan = '{Scan}': allowed are fused, parallel, recurrence, convolution"),
    };

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public SsmModelConfig Validate()
    {
        if (NLayers < 0) throw new InvalidSettingException($"model.n_layers = {NLayers}: must be ≥ 0");
        if (DHidden < 1) throw new InvalidSettingException($"model.d_hidden = {DHidden}: must be ≥ 1");
        if (!(RMin >= 0 && RMin < RMax && RMax <= 1))
            throw new InvalidSettingException($"model.r_min = {RMin}, model.r_max = {RMax}: need 0 ≤ r_min < r_max ≤ 1");
        if (!(MaxPhase > 0 && MaxPhase <= 2 * Math.PI)) throw new InvalidSettingException($"model.max_phase = {MaxPhase}: must be in (0, 2π]");
        _ = ActivationKind;
        _ = ScanForm;
        if (Init is not ("ring" or "dmd")) throw new InvalidSettingException($"model.init = '{Init}': allowed are ring, dmd");
        return this;
    }

    /// <summary>The config as a JSON object (snake_case), as stored in <see cref="Training.FamilyConfig.Model"/>.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static SsmModelConfig FromJson(JsonElement json)
    {
        SsmModelConfig? config;
        try { config = json.Deserialize<SsmModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"ssm model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("ssm model config: null")).Validate();
    }
}
