using PhysMod.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The tutorial's one-shot Fourier neural operator (spec §6.2): the initial frame in, all following frames of the
/// training horizon out, as channels of one <see cref="FourierNetwork"/>.</summary>
/// <remarks>
/// x̂_{1..T−1} = G(x_0) with G: (W, C [+1 grid]) → (W, (T−1)·C), the output channels laid out as (t, c) and rearranged
/// <c>w (t c) → t w c</c>. Loss: mean((x̂_k − x_k)²) over frames 1..T−1 of the batch.
/// Rollout: frame 0 is x_0 itself; a rollout longer than T frames restarts the operator from its own last predicted frame
/// (the state (displacement, velocity) of an autonomous system determines its future, so G applies from any start).
/// </remarks>
public sealed class FnoModel : nn.Module<Tensor, Tensor>, ITrajectoryModel
{
    private readonly FourierNetwork network;

    /// <summary>Creates the model for <paramref name="channels"/>-channel frames on a grid of <paramref name="gridPoints"/>
    /// points, predicting <paramref name="trainFrames"/> − 1 frames, initialised from <paramref name="seed"/>.</summary>
    public FnoModel(FnoModelConfig config, int gridPoints, int channels, int trainFrames, long seed, ScalarType dtype = ScalarType.Float32)
        : base("fno")
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (gridPoints < 1 || channels < 1) throw new ArgumentOutOfRangeException(nameof(gridPoints), "grid points and channels must be ≥ 1");
        if (trainFrames < 2) throw new ArgumentOutOfRangeException(nameof(trainFrames), trainFrames, "train frames must be ≥ 2");
        Config = config;
        GridPoints = gridPoints;
        Channels = channels;
        TrainFrames = trainFrames;
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        network = new FourierNetwork("network", channels + (config.GridChannel ? 1 : 0), channels * (trainFrames - 1), config.Hidden,
            config.ModesFor(gridPoints), config.Layers, config.ProjectionHidden, generator, dtype);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public FnoModelConfig Config { get; }

    /// <summary>W of the training grid.</summary>
    public int GridPoints { get; }

    /// <summary>C: channels per grid point.</summary>
    public int Channels { get; }

    /// <summary>T: frames of the training horizon (frame 0 and T − 1 predicted frames).</summary>
    public int TrainFrames { get; }

    /// <summary>The operator network.</summary>
    public FourierNetwork Network => network;

    /// <inheritdoc/>
    public string Family => FnoFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => false;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Frames 1..T−1 from x0 (B, W, C) → (B, T − 1, W, C).</summary>
    public override Tensor forward(Tensor input)
    {
        OperatorShapes.CheckFrame(input, Channels, network.Modes, nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0], points = input.shape[1];
        var features = Config.GridChannel ? OperatorInit.AppendGrid(input) : input;                  // (B, W, C [+1])
        var output = network.forward(features)                                                        // (B, W, (T−1)·C)
            .reshape(batch, points, TrainFrames - 1, Channels).permute(0, 2, 1, 3);                   // (B, T − 1, W, C)
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps)
    {
        OperatorShapes.CheckFrame(x0, Channels, network.Modes, nameof(x0));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { x0.unsqueeze(1) };                                             // (B, 1, W, C)
        var state = x0;
        int have = 1;
        while (have < steps)
        {
            var predicted = forward(state);                                                           // (B, T − 1, W, C)
            int take = Math.Min(TrainFrames - 1, steps - have);
            parts.Add(predicted.narrow(1, 0, take));
            have += take;
            state = predicted.select(1, TrainFrames - 2);                                             // (B, W, C)
        }
        return cat(parts, 1).MoveToOuterDisposeScope();                                               // (B, steps, W, C)
    }

    /// <inheritdoc/>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch)
    {
        if (batch.dim() != 4 || batch.shape[1] != TrainFrames || batch.shape[3] != Channels)
            throw new ArgumentException($"batch must have shape (B, {TrainFrames}, W, {Channels}); got ({string.Join(", ", batch.shape)})", nameof(batch));
        var prediction = forward(batch.select(1, 0));                                                 // (B, T − 1, W, C)
        var mse = nn.functional.mse_loss(prediction, batch.narrow(1, 1, TrainFrames - 1));
        return (mse, new Dictionary<string, Tensor> { ["mse"] = mse });
    }

    /// <summary>Not supported: the model is trained by gradient steps.</summary>
    public void Fit(Tensor trajectories) =>
        throw new NotSupportedException("the fno family is trained by gradient steps, not fitted in closed form");
}
