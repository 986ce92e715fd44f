using PhysMod.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The autoregressive Fourier neural operator (spec §6.3, §6.4): a one-step map of the state frame, rolled out.</summary>
/// <remarks>
/// Direct update (tutorial FNO1D_AR): x_{k+1} = G(x_k). Residual update (CRS week 7): x_{k+1} = x_k + G(x_k).
/// With the modal path (PhysMod addition): x_{k+1} = path(x_k) + σ·G(x_k) (<see cref="ModalEnergyPath"/>).
/// G is a <see cref="FourierNetwork"/> (W, C [+1 grid]) → (W, C); frame 0 of a rollout is x_0 and every later frame is
/// computed from the model's own previous prediction.
/// Loss: from each trajectory of the batch (B, T, W, C), <c>windows_per_trajectory</c> windows of L = <c>window_frames</c>
/// frames start uniformly in [0, T − L] (torch's generator); the operator is rolled out L − 1 steps from each window's first
/// frame and mean((x̂_k − x_k)²) is taken over frames 1..L−1 of every window (log10 of it with <c>log_loss</c>) (the tutorial also counts frame 0, which is
/// matched exactly and only rescales the loss).
/// </remarks>
public sealed class FnoArModel : nn.Module<Tensor, Tensor>, ITrajectoryModel, IDataInitialised
{
    private readonly FourierNetwork network;
    private readonly ModalEnergyPath? path;

    /// <summary>Creates the model for <paramref name="channels"/>-channel frames on a grid of <paramref name="gridPoints"/>
    /// points, initialised from <paramref name="seed"/>.</summary>
    public FnoArModel(FnoArModelConfig config, int gridPoints, int channels, long seed, ScalarType dtype = ScalarType.Float32)
        : base("fno_ar")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (gridPoints < 1 || channels < 1) throw new ArgumentOutOfRangeException(nameof(gridPoints), "grid points and channels must be ≥ 1");
        Config = config;
        GridPoints = gridPoints;
        Channels = channels;
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        network = new FourierNetwork("network", channels + (config.GridChannel ? 1 : 0), channels, config.Hidden,
            config.ModesFor(gridPoints), config.Layers, config.ProjectionHidden, generator, dtype);
        if (config.ZeroInitOutput) network.ZeroOutput();
        if (config.HasPath)
        {
            path = new ModalEnergyPath("path", ModalEnergyPath.ModesFor(config.PathModes, gridPoints), channels, dtype);
            network.ZeroOutput();
        }
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public FnoArModelConfig Config { get; }

    /// <summary>W of the training grid.</summary>
    public int GridPoints { get; }

    /// <summary>C: channels per grid point.</summary>
    public int Channels { get; }

    /// <summary>The closed-form modal path (<c>model.linear_path = modal</c>), or null.</summary>
    public ModalEnergyPath? Path => path;

    /// <summary>Relative one-step errors of the modal path's fit, one per iteration (empty without a path or before the fit).</summary>
    public IReadOnlyList<double> PathFitErrors { get; private set; } = [];

    /// <summary>The one-step operator network.</summary>
    public FourierNetwork Network => network;

    /// <inheritdoc/>
    public string Family => FnoArFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => false;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>One step: x_k (B, W, C) → x_{k+1} (B, W, C).</summary>
    public override Tensor forward(Tensor input)
    {
        OperatorShapes.CheckFrame(input, Channels, network.Modes, nameof(input));
        return Step(input);
    }

    private Tensor Step(Tensor state)
    {
        using var scope = NewDisposeScope();
        var features = Config.GridChannel ? OperatorInit.AppendGrid(state) : state;                  // (B, W, C [+1])
        var update = network.forward(features);                                                       // (B, W, C)
        if (path is not null) return (path.forward(state) + path.CorrectionScale * update).MoveToOuterDisposeScope();
        return (Config.Residual ? state + update : update).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps)
    {
        OperatorShapes.CheckFrame(x0, Channels, network.Modes, nameof(x0));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        using var scope = NewDisposeScope();
        var frames = new List<Tensor>(steps) { x0 };
        var state = x0;
        for (int k = 1; k < steps; k++)
        {
            state = Step(state);                                                                      // (B, W, C)
            frames.Add(state);
        }
        return stack(frames, 1).MoveToOuterDisposeScope();                                            // (B, steps, W, C)
    }

    /// <inheritdoc/>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch)
    {
        int length = Config.WindowFrames;
        if (batch.dim() != 4 || batch.shape[3] != Channels || batch.shape[1] < length)
            throw new ArgumentException($"batch must have shape (B, T ≥ {length}, W, {Channels}); got ({string.Join(", ", batch.shape)})", nameof(batch));
        long trajectories = batch.shape[0], frames = batch.shape[1], points = batch.shape[2];
        int perTrajectory = Config.WindowsPerTrajectory;
        var starts = randint(frames - length + 1, [trajectories, perTrajectory, 1], dtype: ScalarType.Int64);  // (B, K, 1)
        var offsets = arange(trajectories, dtype: ScalarType.Int64).reshape(trajectories, 1, 1) * frames;      // (B, 1, 1)
        var index = (offsets + starts + arange(length, dtype: ScalarType.Int64).reshape(1, 1, length)).reshape(-1); // (B·K·L)
        var windows = batch.reshape(trajectories * frames, points, Channels).index_select(0, index)
            .reshape(trajectories * perTrajectory, length, points, Channels);                                  // (B·K, L, W, C)
        var prediction = Rollout(windows.select(1, 0), length);                                                // (B·K, L, W, C)
        var mse = nn.functional.mse_loss(prediction.narrow(1, 1, length - 1), windows.narrow(1, 1, length - 1));
        return (Config.LogLoss ? log10(mse) : mse, new Dictionary<string, Tensor> { ["mse"] = mse });
    }

    /// <summary>Fits the modal path (when the config has one) to the normalised training trajectories (N, T, W, C).</summary>
    public void InitialiseFromData(Tensor trajectories)
    {
        if (path is not null) PathFitErrors = path.Fit(trajectories);
    }

    /// <summary>Not supported: the model is trained by gradient steps.</summary>
    public void Fit(Tensor trajectories) =>
        throw new NotSupportedException("the fno-ar family is trained by gradient steps, not fitted in closed form");
}
