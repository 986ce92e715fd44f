using PhysMod.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Baselines;

/// <summary>Dynamic mode decomposition: one linear operator A on the flattened frame, fitted by least squares to map every
/// training frame to the next; the baseline every neural family must beat.</summary>
/// <remarks>
/// <code>
///   A = argmin_A ‖Y − A X‖²,   X = [x_0 … x_{T−2}],  Y = [x_1 … x_{T−1}]   (columns: frames of W·C values, all trajectories)
///   rollout: x_hat_k = A^k x_0,  k = 0 … n−1
/// </code>
/// The fit runs in float64 through a thin SVD with the rank truncation and ridge of <see cref="DmdModelConfig"/>.
/// A (W·C, W·C) is the registered float64 buffer "operator", so the checkpoint (state dict) holds it; rollouts run in
/// float64 and are returned in the dtype of x0.
/// </remarks>
public sealed class DmdModel : nn.Module, ITrajectoryModel, IEigenvalueModel
{
    /// <summary>State-dict name of the operator A.</summary>
    public const string OperatorName = "operator";

    /// <summary>Rank truncation and ridge of the fit.</summary>
    public DmdModelConfig Config { get; }

    /// <summary>Grid points W of a frame.</summary>
    public int GridPoints { get; }

    /// <summary>Channels C of a frame.</summary>
    public int Channels { get; }

    /// <summary>Singular directions used by the last <see cref="Fit"/> (0 before fitting).</summary>
    public int FittedRank { get; private set; }

    /// <summary>Creates an unfitted model (A = 0) for frames (W, C).</summary>
    public DmdModel(DmdModelConfig config, int gridPoints, int channels) : base("dmd")
    {
        Config = config.Validate();
        if (gridPoints < 1 || channels < 1)
            throw new PhysMod.Physics.InvalidSettingException($"frame shape ({gridPoints}, {channels}): grid points and channels must be ≥ 1");
        GridPoints = gridPoints;
        Channels = channels;
        int size = gridPoints * channels;
        register_buffer(OperatorName, zeros(size, size, dtype: ScalarType.Float64));
    }

    /// <inheritdoc/>
    public string Family => DmdFamily.FamilyName;

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool ClosedForm => true;

    /// <summary>The operator A (W·C, W·C) acting on flattened frames (column convention: x_{k+1} = A x_k).</summary>
    public Tensor Operator => get_buffer(OperatorName) ?? throw new InvalidOperationException("the DMD operator buffer is missing");

    /// <inheritdoc/>
    public void Fit(Tensor trajectories)
    {
        if (trajectories.dim() != 4 || trajectories.shape[2] != GridPoints || trajectories.shape[3] != Channels || trajectories.shape[1] < 2)
            throw new ArgumentException(
                $"trajectories must be (N, T ≥ 2, {GridPoints}, {Channels}); got ({string.Join(", ", trajectories.shape)})", nameof(trajectories));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int size = GridPoints * Channels;
        var data = trajectories.to(ScalarType.Float64).reshape(trajectories.shape[0], trajectories.shape[1], size); // (N, T, D)
        var x = data[.., ..^1].reshape(-1, size).t();                              // (D, M)
        var y = data[.., 1..].reshape(-1, size).t();                               // (D, M)
        var (u, s, vh) = linalg.svd(x, fullMatrices: false);                       // (D, K), (K), (K, M)
        double sMax = s[0].item<double>();
        if (!(sMax > 0)) throw new ArgumentException("DMD fit: the training frames are all zero", nameof(trajectories));
        long keep = s.gt(Config.Rcond * sMax).sum().item<long>();
        if (Config.Rank > 0) keep = Math.Min(keep, Config.Rank);
        var sKept = s[..(int)keep];                                                // (r)
        var weights = sKept / (sKept * sKept + Config.Ridge * sMax * sMax);        // (r)
        var a = (y.matmul(vh[..(int)keep].t()) * weights).matmul(u[.., ..(int)keep].t()); // (D, D)
        Operator.copy_(a);
        FittedRank = (int)keep;
    }

    /// <summary>The eigenvalues of the fitted operator A, group "operator": the per-frame growth and rotation of its modes.</summary>
    /// <remarks>A is real, so its complex eigenvalues come in conjugate pairs; only those with arg λ ≥ 0 are listed (real
    /// negative ones have arg π). Eigenvalues below 1e-9 of the largest are the null space of a rank-limited fit and are left
    /// out. Order: as torch's eigvals.</remarks>
    public IReadOnlyList<DiscreteEigenvalue> Eigenvalues()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var lambda = linalg.eigvals(Operator.to(ScalarType.Float64));              // (D) complex128
        double[] re = real(lambda).data<double>().ToArray(), im = imag(lambda).data<double>().ToArray();
        var modulus = re.Select((r, j) => Math.Sqrt(r * r + im[j] * im[j])).ToArray();
        double largest = modulus.DefaultIfEmpty(0).Max();
        var list = new List<DiscreteEigenvalue>();
        for (int j = 0; j < re.Length; j++)
            if (im[j] >= -1e-12 * modulus[j] && modulus[j] > 1e-9 * largest)
                list.Add(new DiscreteEigenvalue(list.Count, Math.Log(modulus[j]), Math.Abs(Math.Atan2(im[j], re[j])), "operator"));
        return list;
    }

    /// <inheritdoc/>
    public Tensor Rollout(Tensor x0, int steps)
    {
        if (x0.dim() != 3 || x0.shape[1] != GridPoints || x0.shape[2] != Channels)
            throw new ArgumentException($"x0 must be (B, {GridPoints}, {Channels}); got ({string.Join(", ", x0.shape)})", nameof(x0));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        using var scope = NewDisposeScope();
        long batch = x0.shape[0];
        var transposed = Operator.to(ScalarType.Float64).t();                      // (D, D) = Aᵀ for row vectors
        var frames = new Tensor[steps];
        frames[0] = x0.to(ScalarType.Float64).reshape(batch, -1);                  // (B, D)
        for (int k = 1; k < steps; k++) frames[k] = frames[k - 1].matmul(transposed);
        return stack(frames, dim: 1).reshape(batch, steps, GridPoints, Channels).to(x0.dtype).MoveToOuterDisposeScope(); // (B, steps, W, C)
    }

    /// <summary>MSE of the rollout from each trajectory's first frame against the whole batch (B, T, W, C); for reporting
    /// (there is nothing to train). Part: "prediction".</summary>
    public (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch) => RolloutMse(this, batch);

    /// <summary>The reporting loss of a closed-form model: MSE of its rollout from each trajectory's first frame against the
    /// whole batch (B, T, W, C). Part: "prediction".</summary>
    internal static (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) RolloutMse(ITrajectoryModel model, Tensor batch)
    {
        if (batch.dim() != 4) throw new ArgumentException($"batch must be (B, T, W, C); got ({string.Join(", ", batch.shape)})", nameof(batch));
        var predicted = model.Rollout(batch[.., 0], checked((int)batch.shape[1]));       // (B, T, W, C)
        var mse = nn.functional.mse_loss(predicted, batch);
        return (mse, new Dictionary<string, Tensor> { ["prediction"] = mse });
    }
}
