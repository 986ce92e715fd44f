using PhysMod.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The Fourier RNN of Parker et al. (DAFx22): a hidden field advanced by a recurrent stack of Fourier convolution +
/// 1×1 convolution blocks, lifted from the initial frame once and read out pointwise at every step.</summary>
/// <remarks>
/// h_0 = P(x_0) (pointwise Linear C → H); one step h ← a(K_d h) + W_d h + b_d for d = 1..depth, with K_d a
/// <see cref="SpectralConv1d"/> (with spectral bias by default) and a the activation; x̂_k = Q(h_k) (pointwise Linear H → C).
/// Frame 0 of a rollout is x_0 itself; frames k ≥ 1 are Q(h_k). The hidden field is never re-encoded from a prediction.
/// Trained on whole rollouts from one initial state: loss log10(mean((x̂_k − x_k)²)) over frames 1..T−1 (or the MSE itself).
/// </remarks>
public sealed class FrnnModel : nn.Module<Tensor, Tensor>, ITrajectoryModel, IDataInitialised
{
    private readonly ModalEnergyPath? path;
    private readonly Linear lifting;
    private readonly ModuleList<SpectralConv1d> spectral = new();
    private readonly ModuleList<Linear> pointwise = new();
    private readonly Linear readout;

    /// <summary>Creates the model for <paramref name="channels"/>-channel frames on a grid of <paramref name="gridPoints"/>
    /// points, initialised from <paramref name="seed"/>.</summary>
    public FrnnModel(FrnnModelConfig config, int gridPoints, int channels, long seed, ScalarType dtype = ScalarType.Float32)
        : base("frnn")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (gridPoints < 1 || channels < 1) throw new ArgumentOutOfRangeException(nameof(gridPoints), "grid points and channels must be ≥ 1");
        Config = config;
        Channels = channels;
        Modes = config.ModesFor(gridPoints);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        lifting = OperatorInit.Linear(channels + (config.GridChannel ? 1 : 0), config.Width, generator, dtype);
        for (int i = 0; i < config.Depth; i++)
        {
            var convolution = new SpectralConv1d($"spectral{i}", config.Width, config.Width, Modes, generator, dtype, config.SpectralBias);
            var local = OperatorInit.Linear(config.Width, config.Width, generator, dtype);
            if (config.IdentityInit)
            {
                convolution.Reinitialise(0.01, 0, gridPoints);
                using var noGrad = no_grad();
                local.weight!.copy_(eye(config.Width, dtype: dtype));
                local.bias!.zero_();
            }
            spectral.Add(convolution);
            pointwise.Add(local);
        }
        readout = OperatorInit.Linear(config.Width, channels, generator, dtype);
        if (config.HasPath) path = RecurrentRollout.CreatePath(config.PathModes, gridPoints, channels, readout, dtype);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public FrnnModelConfig Config { get; }

    /// <summary>C: channels per grid point.</summary>
    public int Channels { get; }

    /// <summary>M: bins of every spectral convolution.</summary>
    public int Modes { get; }

    /// <inheritdoc/>
    public string Family => FrnnFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => false;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>One recurrent step of the hidden field h (B, H, W) → (B, H, W).</summary>
    public Tensor Cell(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var h = hidden;
        for (int i = 0; i < spectral.Count; i++)
        {
            var local = pointwise[i].weight!.matmul(h) + pointwise[i].bias!.unsqueeze(-1);             // (B, H, W)
            h = Activate(spectral[i].forward(h)) + local;                                              // (B, H, W)
        }
        return h.MoveToOuterDisposeScope();
    }

    private Tensor Activate(Tensor x) => Config.Activation switch
    {
        "relu" => nn.functional.relu(x),
        "gelu" => nn.functional.gelu(x, GELU.Approximate.tanh),
        _ => tanh(x),
    };

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
        throw new NotSupportedException("the frnn family is trained by gradient steps, not fitted in closed form");
}
