using PhysMod.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Koopman;

/// <summary>The deep Koopman network (spec §7.1): an MLP encoder to a latent in which the dynamics are diagonal and linear,
/// complex eigenvalues that advance it, and an MLP decoder back to the field.</summary>
/// <remarks>
/// Per frame the field (W, C) is flattened to W·C values. With φ the encoder, φ⁻¹ the decoder and Λ the diagonal dynamics:
/// <code>
///   x_hat_k = phi_inv(Lambda^k phi(x_0)),   k = 0 … n−1
///   L = a1 mean(x_hat − x)² + a2 mean(phi_inv(phi(x_k)) − x_k)² + a3 mean(Lambda^k phi(x_0) − phi(x_k))²
/// </code>
/// The means run over every frame k = 0 … T−1 (frame 0 included), every grid point, channel and trajectory of the batch
/// (equal-length trajectories, so this equals the per-trajectory mean averaged over the batch). Parts are reported as
/// "prediction", "reconstruction" and "consistency" (unweighted). A rollout works for any number of steps, e.g. 2× the
/// training horizon at evaluation. With <c>linear_skip</c> the encoder and decoder each get a bias-free linear path,
/// φ(x) = MLP(x) + P x and φ⁻¹(z) = MLP(z) + Q z, so the linear Koopman model x_k = Q Λᵏ P x₀ (DMD) is one point of the
/// family and the MLPs learn the nonlinear correction; <c>init = dmd</c> starts from that point (<see cref="KoopmanSpectralInit"/>).
/// </remarks>
public sealed class KoopmanModel : nn.Module, ITrajectoryModel, IEigenvalueModel, IDataInitialised
{
    private readonly KoopmanMlp encoder;
    private readonly KoopmanMlp decoder;
    private readonly LruDynamics dynamics;
    private readonly TorchSharp.Modules.Linear? encoder_skip;
    private readonly TorchSharp.Modules.Linear? decoder_skip;

    /// <summary>The architecture and loss weights.</summary>
    public KoopmanModelConfig Config { get; }

    /// <summary>Grid points W of a frame.</summary>
    public int GridPoints { get; }

    /// <summary>Channels C of a frame.</summary>
    public int Channels { get; }

    /// <summary>Creates a model for frames (W, C) with every parameter drawn from <paramref name="seed"/>, in <paramref name="dtype"/>.</summary>
    public KoopmanModel(KoopmanModelConfig config, int gridPoints, int channels, long seed, ScalarType dtype = ScalarType.Float32)
        : base("koopman")
    {
        Config = config.Validate();
        if (gridPoints < 1 || channels < 1)
            throw new PhysMod.Physics.InvalidSettingException($"frame shape ({gridPoints}, {channels}): grid points and channels must be ≥ 1");
        GridPoints = gridPoints;
        Channels = channels;
        var generator = new Generator(unchecked((ulong)seed));
        int frameSize = gridPoints * channels;
        encoder = new KoopmanMlp("encoder", frameSize, config.DLatent, config.Width, config.Depth, generator, dtype);
        decoder = new KoopmanMlp("decoder", config.DLatent, frameSize, config.Width, config.Depth, generator, dtype);
        dynamics = new LruDynamics("dynamics", config, generator, dtype);
        // drawn after every tutorial parameter, so runs without linear_skip keep their initial weights
        if (config.LinearSkip)
        {
            encoder_skip = LecunLinear(frameSize, config.DLatent, generator, dtype);
            decoder_skip = LecunLinear(config.DLatent, frameSize, generator, dtype);
        }
        RegisterComponents();
    }

    /// <inheritdoc/>
    public string Family => KoopmanFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => false;

    /// <summary>The latent dynamics (eigenvalue parameters ν, θ).</summary>
    public LruDynamics Dynamics => dynamics;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>φ: frames (…, W, C) → latents (…, d_latent).</summary>
    public Tensor Encode(Tensor frames)
    {
        CheckFrames(frames, "frames");
        var flat = frames.reshape(frames.shape[..^2].Append(GridPoints * Channels).ToArray()); // (…, W·C)
        var latents = encoder.forward(flat);                                       // (…, L)
        return encoder_skip is null ? latents : latents + encoder_skip.forward(flat);
    }

    /// <summary>φ⁻¹: latents (…, d_latent) → frames (…, W, C).</summary>
    public Tensor Decode(Tensor latents)
    {
        var flat = decoder.forward(latents);                                       // (…, W·C)
        if (decoder_skip is not null) flat = flat + decoder_skip.forward(latents);
        return flat.reshape(flat.shape[..^1].Concat(new long[] { GridPoints, Channels }).ToArray());
    }

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps)
    {
        if (x0.dim() != 3) throw new ArgumentException($"x0 must be (B, W, C); got ({string.Join(", ", x0.shape)})", nameof(x0));
        var z0 = Encode(x0);                                                       // (B, L)
        return Decode(dynamics.forward(z0, steps));                                // (B, steps, W, C)
    }

    /// <inheritdoc/>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch)
    {
        if (batch.dim() != 4) throw new ArgumentException($"batch must be (B, T, W, C); got ({string.Join(", ", batch.shape)})", nameof(batch));
        long trajectories = batch.shape[0];
        int frames = checked((int)batch.shape[1]);
        var z = Encode(batch);                                                     // (B, T, L)
        var advanced = dynamics.forward(z[.., 0], frames);                         // (B, T, L)
        // one decoder pass over both latents: a single larger matmul is cheaper than two
        var decoded = Decode(cat(new[] { advanced, z }, dim: 0));                 // (2B, T, W, C)
        var prediction = nn.functional.mse_loss(decoded[..(int)trajectories], batch);
        var reconstruction = nn.functional.mse_loss(decoded[(int)trajectories..], batch);
        var consistency = nn.functional.mse_loss(advanced, z);
        var total = Config.PredictionWeight * prediction + Config.ReconstructionWeight * reconstruction
                    + Config.ConsistencyWeight * consistency;
        return (total, new Dictionary<string, Tensor>
        {
            ["prediction"] = prediction,
            ["reconstruction"] = reconstruction,
            ["consistency"] = consistency,
        });
    }

    /// <summary>With <c>init = dmd</c>, sets the start from a linear fit of the training trajectories (N, T, W, C), normalised
    /// (see <see cref="KoopmanSpectralInit"/>); with <c>init = ring</c> does nothing.</summary>
    public void InitialiseFromData(Tensor trajectories)
    {
        if (Config.Init == "dmd") KoopmanSpectralInit.Apply(this, trajectories);
    }

    /// <summary>P (L, W·C) of the encoder's linear path, or null without linear_skip.</summary>
    public TorchSharp.Modules.Linear? EncoderSkip => encoder_skip;

    /// <summary>Q (W·C, L) of the decoder's linear path, or null without linear_skip.</summary>
    public TorchSharp.Modules.Linear? DecoderSkip => decoder_skip;

    /// <summary>The encoder MLP (without the linear path).</summary>
    public KoopmanMlp EncoderMlp => encoder;

    /// <summary>The decoder MLP (without the linear path).</summary>
    public KoopmanMlp DecoderMlp => decoder;

    /// <summary>Not available: the Koopman network is trained by gradient steps.</summary>
    public void Fit(Tensor trajectories) =>
        throw new NotSupportedException("the koopman family is trained by gradient steps, not fitted in closed form");

    /// <summary>The learned eigenvalues λ_j, j = 0 … d_latent/2 − 1, group "latent" (see <see cref="DiscreteEigenvalue"/> for Hz and seconds).</summary>
    public IReadOnlyList<DiscreteEigenvalue> Eigenvalues()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logModulus = dynamics.LogModulus().to(ScalarType.Float64).data<double>().ToArray();
        var phase = dynamics.Phase().to(ScalarType.Float64).data<double>().ToArray();
        return Enumerable.Range(0, logModulus.Length).Select(j => new DiscreteEigenvalue(j, logModulus[j], phase[j], "latent")).ToArray();
    }

    /// <summary>How strongly each eigenvalue's latent mode is excited: the root-mean-square |z₀,j| = |φ(x₀)_j + i φ(x₀)_{j+h}|
    /// over the initial frames x0 (B, W, C); (h) values, in latent units.</summary>
    public double[] LatentAmplitudes(Tensor x0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int h = Config.EigenvalueCount;
        var z = Encode(x0).to(ScalarType.Float64);                                 // (B, 2h)
        var squared = z[.., ..h].Squared() + z[.., h..].Squared();                   // (B, h)
        return squared.mean([0]).sqrt().data<double>().ToArray();
    }

    /// <summary>A copy of this model whose chosen eigenvalues have their frequency and/or decay time scaled; this model is unchanged.</summary>
    /// <remarks>See <see cref="EigenvalueEdit"/> for the exact change.</remarks>
    public KoopmanModel WithEditedEigenvalues(EigenvalueEdit edit)
    {
        edit.Validate(Config.EigenvalueCount);
        var copy = Copy();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (int j in edit.Indices.Distinct())
        {
            if (edit.FrequencyScale != 1.0) copy.dynamics.Theta[j].add_(Math.Log(edit.FrequencyScale));
            if (edit.DecayScale != 1.0) copy.dynamics.Nu[j].sub_(Math.Log(edit.DecayScale));
        }
        return copy;
    }

    /// <summary>An independent copy with the same configuration, parameters, dtype and device.</summary>
    public KoopmanModel Copy()
    {
        var reference = parameters().First();
        var copy = new KoopmanModel(Config, GridPoints, Channels, seed: 0, reference.dtype);
        copy.to(reference.device);
        using var noGrad = no_grad();
        var target = copy.state_dict();
        foreach (var (name, value) in state_dict()) target[name].copy_(value);
        return copy;
    }

    // A bias-free Linear with lecun_uniform weights U(−√(3/fan_in), √(3/fan_in)), drawn in float64 from the generator.
    private static TorchSharp.Modules.Linear LecunLinear(int inputs, int outputs, Generator generator, ScalarType dtype)
    {
        var layer = nn.Linear(inputs, outputs, hasBias: false, dtype: dtype);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = (rand(layer.weight!.shape, dtype: ScalarType.Float64, generator: generator) * 2 - 1) * Math.Sqrt(3.0 / inputs);
        layer.weight!.copy_(weight);
        return layer;
    }

    private void CheckFrames(Tensor frames, string name)
    {
        if (frames.dim() < 2 || frames.shape[^2] != GridPoints || frames.shape[^1] != Channels)
            throw new ArgumentException(
                $"{name} must end in (W, C) = ({GridPoints}, {Channels}); got ({string.Join(", ", frames.shape)})", name);
    }
}
