using System.Text.Json;
using System.Text.Json.Serialization;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Learning.Operators;

/// <summary>Architecture and window loss of the autoregressive FNO (spec §6.3, §6.4), with the tutorial's values as defaults.</summary>
/// <remarks>JSON is snake_case and unknown keys are rejected. The loss draws <c>windows_per_trajectory</c> random windows of
/// <c>window_frames</c> frames from every trajectory of the batch and rolls the operator out over each from its first frame.</remarks>
public sealed record FnoArModelConfig
{
    /// <summary>Channels inside the Fourier layers. Tutorial: 32.</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>Spatial frequency bins; 0 = all W bins of the training grid (tutorial: 101 for W = 101).</summary>
    public int NModes { get; init; }

    /// <summary>Fourier layers. Tutorial: 4 (CRS week 7: 3).</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Hidden width of the projection (0 = one linear map). Tutorial: 128 (CRS week 7: 64).</summary>
    public int ProjectionHidden { get; init; } = 128;

    /// <summary>Append a grid-coordinate channel (spec §6.4). Tutorial: false; CRS week 7: true.</summary>
    public bool GridChannel { get; init; }

    /// <summary>direct: x_{k+1} = G(x_k) (tutorial); residual: x_{k+1} = x_k + G(x_k) (CRS week 7).</summary>
    public string Update { get; init; } = "direct";

    /// <summary>Frames per training window, the first one included (9 rollout steps in the tutorial).</summary>
    public int WindowFrames { get; init; } = 10;

    /// <summary>Random windows per trajectory and batch. Tutorial: 32.</summary>
    public int WindowsPerTrajectory { get; init; } = 32;

    /// <summary>Start the last projection layer at zero, so that the untrained operator is G ≡ 0 (with the residual update:
    /// persistence, x_{k+1} = x_k, which keeps the first training rollouts bounded). Tutorial: false (random).</summary>
    public bool ZeroInitOutput { get; init; }

    /// <summary>Train on log10 of the window MSE instead of the MSE (as the DAFx22 recurrent models do). Its gradient is the MSE's
    /// divided by MSE·ln 10, which keeps tiny MSEs (≈ 1e-7 with the modal path) from vanishing below the optimiser's ε.
    /// Tutorial: false.</summary>
    public bool LogLoss { get; init; }

    /// <summary>none (tutorial): the network is the whole step. modal (PhysMod addition): x_{k+1} = path(x_k) + σ·G(x_k), with
    /// the <see cref="ModalEnergyPath"/> fitted in closed form to the training split before the first step, σ its one-step
    /// residual RMS and G's last layer started at zero (training starts at the path's rollout); needs the direct update.</summary>
    public string LinearPath { get; init; } = "none";

    /// <summary>Sine modes of the modal path; 0 = all W − 2 of the training grid.</summary>
    public int PathModes { get; init; }

    /// <summary>Whether the step has the modal path.</summary>
    [JsonIgnore]
    public bool HasPath => ModalEnergyPath.IsOn(LinearPath);

    /// <summary>Whether the update is residual.</summary>
    [JsonIgnore]
    public bool Residual => Update switch
    {
        "direct" => false,
        "residual" => true,
        _ => throw new InvalidSettingException($"model.update = '{Update}': allowed are direct, residual"),
    };

    /// <summary>The bins used on a training grid of <paramref name="gridPoints"/> points.</summary>
    public int ModesFor(int gridPoints)
    {
        int modes = NModes == 0 ? gridPoints : NModes;
        SpectralConv1d.CheckModes(modes, gridPoints);
        return modes;
    }

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public FnoArModelConfig Validate()
    {
        if (Hidden < 1) throw new InvalidSettingException($"model.hidden = {Hidden}: must be ≥ 1");
        if (NModes < 0) throw new InvalidSettingException($"model.n_modes = {NModes}: must be ≥ 1, or 0 for all W bins");
        if (Layers < 0) throw new InvalidSettingException($"model.layers = {Layers}: must be ≥ 0");
        if (ProjectionHidden < 0) throw new InvalidSettingException($"model.projection_hidden = {ProjectionHidden}: must be ≥ 0");
        if (WindowFrames < 2) throw new InvalidSettingException($"model.window_frames = {WindowFrames}: must be ≥ 2");
        if (WindowsPerTrajectory < 1) throw new InvalidSettingException($"model.windows_per_trajectory = {WindowsPerTrajectory}: must be ≥ 1");
        ModalEnergyPath.CheckPathModes(PathModes);
        _ = Residual;
        if (HasPath && Residual)
            throw new InvalidSettingException("model.update = residual with model.linear_path = modal: the path takes the place of the identity; use update = direct");
        return this;
    }

    /// <summary>The config as a JSON object (snake_case).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static FnoArModelConfig FromJson(JsonElement json)
    {
        FnoArModelConfig? config;
        try { config = json.Deserialize<FnoArModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"fno-ar model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("fno-ar model config: null")).Validate();
    }
}
