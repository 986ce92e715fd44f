using System.Text.Json.Serialization;
using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Operators;

/// <summary>Architecture and loss of the Fourier GRU (Parker et al., DAFx22, "FGRU"), with the paper's values as defaults.</summary>
/// <remarks>JSON is snake_case and unknown keys are rejected.</remarks>
public sealed record FgruModelConfig
{
    /// <summary>Channels of the hidden field. DAFx22: 16.</summary>
    public int Width { get; init; } = 16;

    /// <summary>Spatial frequency bins; 0 = all W bins of the training grid (DAFx22 keeps all of them).</summary>
    public int NModes { get; init; }

    /// <summary>Add a learned complex bias per channel and bin in the spectral domain of each gate (DAFx22: true).</summary>
    public bool SpectralBias { get; init; } = true;

    /// <summary>Append a grid-coordinate channel to the lifted input. DAFx22: false.</summary>
    public bool GridChannel { get; init; }

    /// <summary>Initial pre-activation of the update gate z everywhere on the grid (set through the DC bin of its spectral bias);
    /// a negative value (e.g. −3, z ≈ 0.05) makes the untrained cell keep most of its hidden field, so gradients survive a
    /// 99-step rollout. DAFx22: 0 (random bias only). Needs spectral_bias.</summary>
    public double UpdateGateBias { get; init; }

    /// <summary>Initial pre-activation of the reset gate r everywhere on the grid: the reset gate's spectral bias is set to this
    /// constant alone (DC bin, every other bin zero), so r = σ(value) for a zero hidden field; a large value (e.g. 5, r ≈ 0.993)
    /// lets the candidate see the whole hidden field. 0 = the random bias (DAFx22). Needs spectral_bias.</summary>
    public double ResetGateBias { get; init; }

    /// <summary>Start the candidate's spectral weights at the identity channel map on every kept bin (ĥ = tanh(low-passed r ⊙ h)),
    /// so that with r ≈ 1 the untrained cell keeps the low bins of its hidden field whatever z is. DAFx22: false (random).</summary>
    public bool IdentityInit { get; init; }

    /// <summary>Minimise log10(MSE) instead of the MSE (DAFx22: true).</summary>
    public bool LogLoss { get; init; } = true;

    /// <summary>none (DAFx22): x̂_k = readout(h_k). modal (PhysMod addition): x̂_k = path(x̂_{k−1}) + σ·readout(h_k), with the
    /// <see cref="ModalEnergyPath"/> fitted in closed form to the training split before the first step, σ its one-step residual
    /// RMS and the readout started at zero (training starts at the path's rollout).</summary>
    public string LinearPath { get; init; } = "none";

    /// <summary>Sine modes of the modal path; 0 = all W − 2 of the training grid.</summary>
    public int PathModes { get; init; }

    /// <summary>Whether the rollout has the modal path.</summary>
    [JsonIgnore]
    public bool HasPath => ModalEnergyPath.IsOn(LinearPath);

    /// <summary>The bins used on a training grid of <paramref name="gridPoints"/> points.</summary>
    public int ModesFor(int gridPoints)
    {
        int modes = NModes == 0 ? gridPoints : NModes;
        SpectralConv1d.CheckModes(modes, gridPoints);
        return modes;
    }

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public FgruModelConfig Validate()
    {
        if (Width < 1) throw new InvalidSettingException($"model.width = {Width}: must be ≥ 1");
        if (NModes < 0) throw new InvalidSettingException($"model.n_modes = {NModes}: must be ≥ 1, or 0 for all W bins");
        if (!double.IsFinite(UpdateGateBias)) throw new InvalidSettingException($"model.update_gate_bias = {UpdateGateBias}: must be finite");
        if (UpdateGateBias != 0 && !SpectralBias) throw new InvalidSettingException($"model.update_gate_bias = {UpdateGateBias}: needs model.spectral_bias = true");
        if (!double.IsFinite(ResetGateBias)) throw new InvalidSettingException($"model.reset_gate_bias = {ResetGateBias}: must be finite");
        if (ResetGateBias != 0 && !SpectralBias) throw new InvalidSettingException($"model.reset_gate_bias = {ResetGateBias}: needs model.spectral_bias = true");
        ModalEnergyPath.CheckPathModes(PathModes);
        _ = HasPath;
        return this;
    }

    /// <summary>The config as a JSON object (snake_case).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static FgruModelConfig FromJson(JsonElement json)
    {
        FgruModelConfig? config;
        try { config = json.Deserialize<FgruModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"fgru model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("fgru model config: null")).Validate();
    }
}
