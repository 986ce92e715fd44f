using TorchSharp;
using TorchSharp.Modules;
using PhysMod.Learning.Models;
using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>The tutorial's deep state-space model: an LRU that expands the initial frame into a trajectory, followed by
/// pre-norm residual LRU sequence layers (spec §7.2, <c>StackedSSM</c> with <c>ssm_first_layer=True</c>).</summary>
/// <remarks>
/// A frame (W, C) is flattened to D = W·C features. x̂ = L_n ∘ … ∘ L_1 (E(x_0)), where E is the first LRU in
/// initial-condition mode, E(x_0)_k = Re(C λ^k B̄ x_0) for k = 0 … steps−1, and each L_i is a <see cref="SequenceLayer"/>.
/// The rollout length is a call argument, so a model trained on 100 frames can be evaluated at 200.
/// Loss: mean((x̂ − x)²) over every frame of the batch, frame 0 included.
/// </remarks>
public sealed class StackedSsm : nn.Module<Tensor, Tensor>, ITrajectoryModel, IEigenvalueModel, IDataInitialised
{
    private readonly LruLayer first;
    private readonly ModuleList<SequenceLayer> layers;
    private readonly Parameter? phase_energy;

    /// <summary>Creates the model for frames of <paramref name="gridPoints"/> × <paramref name="channels"/>, initialised from
    /// <paramref name="seed"/>.</summary>
    public StackedSsm(SsmModelConfig config, int gridPoints, int channels, int trainFrames, long seed, ScalarType dtype = ScalarType.Float32)
        : base("stacked_ssm")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (gridPoints < 1 || channels < 1) throw new ArgumentOutOfRangeException(nameof(gridPoints), "grid points and channels must be ≥ 1");
        if (trainFrames < 1) throw new ArgumentOutOfRangeException(nameof(trainFrames), trainFrames, "train frames must be ≥ 1");
        Config = config;
        GridPoints = gridPoints;
        Channels = channels;
        TrainFrames = trainFrames;
        int features = gridPoints * channels;
        var scan = config.ScanForm;
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        first = new LruLayer("first", features, config.DHidden, config.RMin, config.RMax, config.MaxPhase, feedthrough: false, scan, generator, dtype);
        var blocks = new SequenceLayer[config.NLayers];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = new SequenceLayer($"layer{i}", features, config.DHidden, config.RMin, config.RMax, config.MaxPhase,
                config.ActivationKind, scan, generator, dtype);
        layers = nn.ModuleList(blocks);
        if (config.EnergyPhase)
        {
            phase_energy = new Parameter(zeros(config.DHidden, config.DHidden, dtype: dtype));
            register_parameter(nameof(phase_energy), phase_energy);
        }
        register_module("first", first);
        register_module("layers", layers);
    }

    /// <summary>The architecture this model was built from.</summary>
    public SsmModelConfig Config { get; }

    /// <summary>W: grid points per frame.</summary>
    public int GridPoints { get; }

    /// <summary>C: channels per grid point.</summary>
    public int Channels { get; }

    /// <summary>Training horizon in frames (the length of <see cref="forward"/>'s rollout).</summary>
    public int TrainFrames { get; }

    /// <summary>The expansion layer (initial-condition mode).</summary>
    public LruLayer First => first;

    /// <summary>The LRU eigenvalues: group "first layer" (the expansion layer, whose modes are the output's resonances) and
    /// "layer 1", "layer 2", … for the sequence layers.</summary>
    public IReadOnlyList<DiscreteEigenvalue> Eigenvalues() =>
        first.Eigenvalues("first layer").Concat(layers.SelectMany((layer, i) => layer.Lru.Eigenvalues($"layer {i + 1}"))).ToArray();

    /// <summary>With <c>init = "dmd"</c>, starts the expansion layer from the DMD fit of <paramref name="trajectories"/>
    /// (N, T, W, C) (<see cref="SpectralInit"/>); with "ring" does nothing.</summary>
    public void InitialiseFromData(Tensor trajectories)
    {
        if (Config.Init == "dmd") SpectralInit.Apply(first, trajectories);
    }

    /// <summary>The sequence layers, in order.</summary>
    public IReadOnlyList<SequenceLayer> Layers => [.. layers];

    /// <inheritdoc/>
    public string Family => SsmFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => false;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Selects how every LRU evaluates sequence mode (the config's <c>scan</c>; <see cref="LruScan.Fused"/> by default).</summary>
    public void UseScan(LruScan scan)
    {
        first.Scan = scan;
        foreach (var layer in layers) layer.Lru.Scan = scan;
    }

    /// <summary>Rolls out <see cref="TrainFrames"/> frames: x0 (B, W, C) → (B, T, W, C).</summary>
    public override Tensor forward(Tensor input) => Rollout(input, TrainFrames);

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps)
    {
        if (x0.dim() != 3 || x0.shape[1] != GridPoints || x0.shape[2] != Channels)
            throw new ArgumentException($"x0 must have shape (B, {GridPoints}, {Channels}); got ({string.Join(", ", x0.shape)})", nameof(x0));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        long batch = x0.shape[0];
        var sequence = first.Expand(x0.reshape(batch, GridPoints * Channels), steps, phase_energy);  // (B, steps, D)
        foreach (var layer in layers) sequence = layer.forward(sequence);                              // (B, steps, D)
        return sequence.reshape(batch, steps, GridPoints, Channels);                                   // (B, steps, W, C)
    }

    /// <inheritdoc/>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch)
    {
        if (batch.dim() != 4 || batch.shape[2] != GridPoints || batch.shape[3] != Channels || batch.shape[1] < 1)
            throw new ArgumentException($"batch must have shape (B, T, {GridPoints}, {Channels}); got ({string.Join(", ", batch.shape)})", nameof(batch));
        var prediction = Rollout(batch.select(1, 0), (int)batch.shape[1]);                           // (B, T, W, C)
        var mse = nn.functional.mse_loss(prediction, batch);
        return (mse, new Dictionary<string, Tensor> { ["mse"] = mse });
    }

    /// <summary>Not supported: the model is trained by gradient steps.</summary>
    public void Fit(Tensor trajectories) =>
        throw new NotSupportedException("the ssm family is trained by gradient steps, not fitted in closed form");
}
