using System.Text.Json.Serialization;
using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Operators;

/// <summary>Architecture and loss of the Fourier RNN (Parker et al., DAFx22, "FRNN"), with the paper's values as defaults.</summary>
/// <remarks>JSON is snake_case and unknown keys are rejected.</remarks>
public sealed record FrnnModelConfig
{
    /// <summary>Channels of the hidden field. DAFx22: 16.</summary>
    public int Width { get; init; } = 16;

    /// <summary>Fourier blocks per recurrent step. DAFx22 (strings): 3.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Spatial frequency bins; 0 = all W bins of the training grid (DAFx22 keeps all of them).</summary>
    public int NModes { get; init; }

    /// <summary>Nonlinearity after each spectral convolution: relu (DAFx22), gelu or tanh.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Add a learned complex bias per channel and bin in the spectral domain (DAFx22: true).</summary>
    public bool SpectralBias { get; init; } = true;

    /// <summary>Append a grid-coordinate channel to the lifted input. DAFx22: false.</summary>
    public bool GridChannel { get; init; }

    /// <summary>Start every 1×1 convolution at the identity (zero bias) and the spectral weights at 1/100 of their usual range,
    /// so that the untrained cell keeps its hidden field and gradients survive a 99-step rollout. DAFx22: false (random).</summary>
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
    public FrnnModelConfig Validate()
    {
        if (Width < 1) throw new InvalidSettingException($"model.width = {Width}: must be ≥ 1");
        if (Depth < 1) throw new InvalidSettingException($"model.depth = {Depth}: must be ≥ 1");
        if (NModes < 0) throw new InvalidSettingException($"model.n_modes = {NModes}: must be ≥ 1, or 0 for all W bins");
        if (Activation is not ("relu" or "gelu" or "tanh"))
            throw new InvalidSettingException($"model.activation = '{Activation}': allowed are relu, gelu, tanh");
        ModalEnergyPath.CheckPathModes(PathModes);
        _ = HasPath;
        return this;
    }

    /// <summary>The config as a JSON object (snake_case).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static FrnnModelConfig FromJson(JsonElement json)
    {
        FrnnModelConfig? config;
        try { config = json.Deserialize<FrnnModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"frnn model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("frnn model config: null")).Validate();
    }
}
