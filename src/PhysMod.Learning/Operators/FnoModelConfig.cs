using System.Text.Json;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Operators;

/// <summary>Architecture of the one-shot FNO (spec §6.2), with the tutorial's values as defaults.</summary>
/// <remarks>JSON is snake_case (<c>hidden</c>, <c>n_modes</c>, …) and unknown keys are rejected.</remarks>
public sealed record FnoModelConfig
{
    /// <summary>Channels inside the Fourier layers. Tutorial: 32.</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>Spatial frequency bins of each spectral convolution; 0 = all W bins of the training grid (the tutorial's
    /// n_modes = 101 for W = 101).</summary>
    public int NModes { get; init; }

    /// <summary>Fourier layers. Tutorial: 4.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Hidden width of the projection (0 = one linear map). Tutorial: 128.</summary>
    public int ProjectionHidden { get; init; } = 128;

    /// <summary>Append a grid-coordinate channel linspace(−1, 1, W) to the input (spec §6.4). Tutorial: false.</summary>
    public bool GridChannel { get; init; }

    /// <summary>The bins used on a training grid of <paramref name="gridPoints"/> points.</summary>
    public int ModesFor(int gridPoints)
    {
        int modes = NModes == 0 ? gridPoints : NModes;
        SpectralConv1d.CheckModes(modes, gridPoints);
        return modes;
    }

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public FnoModelConfig Validate()
    {
        if (Hidden < 1) throw new InvalidSettingException($"model.hidden = {Hidden}: must be ≥ 1");
        if (NModes < 0) throw new InvalidSettingException($"model.n_modes = {NModes}: must be ≥ 1, or 0 for all W bins");
        if (Layers < 0) throw new InvalidSettingException($"model.layers = {Layers}: must be ≥ 0");
        if (ProjectionHidden < 0) throw new InvalidSettingException($"model.projection_hidden = {ProjectionHidden}: must be ≥ 0");
        return this;
    }

    /// <summary>The config as a JSON object (snake_case).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static FnoModelConfig FromJson(JsonElement json)
    {
        FnoModelConfig? config;
        try { config = json.Deserialize<FnoModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"fno model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("fno model config: null")).Validate();
    }
}
