using System.Text.Json;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Baselines;

/// <summary>Settings of the energy-modulated modal DMD baseline.</summary>
public sealed record ModalDmdModelConfig
{
    /// <summary>Sine modes of the fit; 0 = all W − 2 of the training grid.</summary>
    public int PathModes { get; init; }

    /// <summary>Checks ranges; throws <see cref="InvalidSettingException"/> naming the bad value.</summary>
    public ModalDmdModelConfig Validate()
    {
        ModalEnergyPath.CheckPathModes(PathModes);
        return this;
    }

    /// <summary>The config as a JSON object (snake_case).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, DatasetConfig.Json);

    /// <summary>Reads and validates a config; unknown keys or bad values give one <see cref="InvalidSettingException"/>.</summary>
    public static ModalDmdModelConfig FromJson(JsonElement json)
    {
        ModalDmdModelConfig? config;
        try { config = json.Deserialize<ModalDmdModelConfig>(DatasetConfig.Json); }
        catch (JsonException ex) { throw new InvalidSettingException($"modal-dmd model config: {ex.Message}"); }
        return (config ?? throw new InvalidSettingException("modal-dmd model config: null")).Validate();
    }
}

/// <summary>Energy-modulated modal DMD: the <see cref="ModalEnergyPath"/> on its own, fitted in closed form and rolled out
/// (x_{k+1} = path(x_k)) — the closed-form baseline under the operator families' <c>model.linear_path = modal</c>.</summary>
/// <remarks>Per sine mode a C×C linear step (for the string, per mode the same as DMD) whose coefficients move linearly with
/// one fitted quadratic energy of the frame; see <see cref="ModalEnergyPath"/> for the fit. Rollouts run in the dtype of x0
/// (the buffers are float64; float32 frames are widened and the result narrowed).</remarks>
public sealed class ModalDmdModel : nn.Module, ITrajectoryModel
{
    private readonly ModalEnergyPath path;

    /// <summary>Creates an unfitted model for frames (W, C).</summary>
    public ModalDmdModel(ModalDmdModelConfig config, int gridPoints, int channels) : base("modal_dmd")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        GridPoints = gridPoints;
        Channels = channels;
        path = new ModalEnergyPath("path", ModalEnergyPath.ModesFor(config.PathModes, gridPoints), channels, ScalarType.Float64);
        RegisterComponents();
    }

    /// <summary>W of the training grid.</summary>
    public int GridPoints { get; }

    /// <summary>C: channels per grid point.</summary>
    public int Channels { get; }

    /// <summary>The fitted path.</summary>
    public ModalEnergyPath Path => path;

    /// <summary>Relative one-step errors of the last fit, one per alternating least-squares iteration.</summary>
    public IReadOnlyList<double> FitErrors { get; private set; } = [];

    /// <inheritdoc/>
    public string Family => ModalDmdFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => true;

    /// <inheritdoc/>
    public void Fit(Tensor trajectories) => FitErrors = path.Fit(trajectories);

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps)
    {
        if (x0.dim() != 3 || x0.shape[2] != Channels)
            throw new ArgumentException($"x0 must be (B, W, {Channels}); got ({string.Join(", ", x0.shape)})", nameof(x0));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        using var scope = NewDisposeScope();
        var frames = new Tensor[steps];
        frames[0] = x0.to(ScalarType.Float64);                                                        // (B, W, C)
        for (int k = 1; k < steps; k++) frames[k] = path.forward(frames[k - 1]);
        return stack(frames, dim: 1).to(x0.dtype).MoveToOuterDisposeScope();                         // (B, steps, W, C)
    }

    /// <summary>MSE of the rollout from each trajectory's first frame against the whole batch (B, T, W, C); for reporting.</summary>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch) => DmdModel.RolloutMse(this, batch);
}
