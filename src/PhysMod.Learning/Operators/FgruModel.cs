using PhysMod.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The Fourier GRU of Parker et al. (DAFx22): a gated recurrent unit on a hidden field whose gates are Fourier
/// convolutions, lifted from the initial frame once and read out pointwise at every step.</summary>
/// <remarks>
/// h_0 = P(x_0) (pointwise Linear C → H); one step
/// z = σ(K_z h), r = σ(K_r h), ĥ = tanh(K_h (r ⊙ h)), h ← (1 − z) ⊙ h + z ⊙ ĥ,
/// with K_z, K_r, K_h <see cref="SpectralConv1d"/> layers (with spectral bias by default); x̂_k = Q(h_k) (pointwise Linear H → C).
/// Frame 0 of a rollout is x_0 itself. Trained on whole rollouts: loss log10(mean((x̂_k − x_k)²)) over frames 1..T−1.
/// </remarks>
public sealed class FgruModel : nn.Module<Tensor, Tensor>, ITrajectoryModel, IDataInitialised
{
    private readonly ModalEnergyPath? path;
    private readonly Linear lifting;
    private readonly SpectralConv1d update_gate;
    private readonly SpectralConv1d reset_gate;
    private readonly SpectralConv1d candidate;
    private readonly Linear readout;

    /// <summary>Creates the model for <paramref name="channels"/>-channel frames on a grid of <paramref name="gridPoints"/>
    /// points, initialised from <paramref name="seed"/>.</summary>
    public FgruModel(FgruModelConfig config, int gridPoints, int channels, long seed, ScalarType dtype = ScalarType.Float32)
        : base("fgru")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (gridPoints < 1 || channels < 1) throw new ArgumentOutOfRangeException(nameof(gridPoints), "grid points and channels must be ≥ 1");
        Config = config;
        Channels = channels;
        Modes = config.ModesFor(gridPoints);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        lifting = OperatorInit.Linear(channels + (config.GridChannel ? 1 : 0), config.Width, generator, dtype);
        update_gate = new SpectralConv1d("update_gate", config.Width, config.Width, Modes, generator, dtype, config.SpectralBias);
        reset_gate = new SpectralConv1d("reset_gate", config.Width, config.Width, Modes, generator, dtype, config.SpectralBias);
        if (config.UpdateGateBias != 0) update_gate.Reinitialise(1, config.UpdateGateBias, gridPoints);
        candidate = new SpectralConv1d("candidate", config.Width, config.Width, Modes, generator, dtype, config.SpectralBias);
        if (config.ResetGateBias != 0) reset_gate.SetConstantBias(config.ResetGateBias, gridPoints);
        if (config.IdentityInit) candidate.SetIdentity();
        readout = OperatorInit.Linear(config.Width, channels, generator, dtype);
        if (config.HasPath) path = RecurrentRollout.CreatePath(config.PathModes, gridPoints, channels, readout, dtype);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public FgruModelConfig Config { get; }

    /// <summary>C: channels per grid point.</summary>
    public int Channels { get; }

    /// <summary>M: bins of every spectral convolution.</summary>
    public int Modes { get; }

    /// <inheritdoc/>
    public string Family => FgruFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => false;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>One GRU step of the hidden field h (B, H, W) → (B, H, W).</summary>
    public Tensor Cell(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var z = sigmoid(update_gate.forward(hidden));                                                // (B, H, W)
        var r = sigmoid(reset_gate.forward(hidden));                                                 // (B, H, W)
        var proposal = tanh(candidate.forward(r * hidden));                                          // (B, H, W)
        return (hidden + z * (proposal - hidden)).MoveToOuterDisposeScope();                          // (1 − z) h + z ĥ
    }

    /// <summary>The first predicted frame: x0 (B, W, C) → x̂_1 (B, W, C).</summary>
    public override Tensor forward(Tensor input) => Rollout(input, 2).select(1, 1);

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps) =>
        RecurrentRollout.Run(x0, steps, Channels, Modes, Config.GridChannel, lifting, Cell, readout, path);

    /// <inheritdoc/>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch) =>
        RecurrentLoss.Compute(this, batch, Channels, Config.LogLoss);

    /// <summary>The closed-form modal path (<c>model.linear_path = modal</c>), or null.</summary>
    public ModalEnergyPath? Path => path;

    /// <summary>Fits the modal path (when the config has one) to the normalised training trajectories (N, T, W, C).</summary>
    public void InitialiseFromData(Tensor trajectories) => path?.Fit(trajectories);

    /// <summary>Not supported: the model is trained by gradient steps.</summary>
    public void Fit(Tensor trajectories) =>
        throw new NotSupportedException("the fgru family is trained by gradient steps, not fitted in closed form");
}
