using PhysMod.Learning.Data;
using PhysMod.Learning.Models;
using static TorchSharp.torch;

namespace PhysMod.Learning.Training;

/// <summary>The validation split rolled out from its initial states during training, scored as the evaluation scores the
/// test split: relative L2 of the displacement field at 1× and 2× the training horizon.</summary>
/// <remarks>
/// e_h = ‖ŵ − w‖ / ‖w‖ over the first h frames of every validation trajectory, displacement channel (index 0), in normalised
/// units (the per-channel scale cancels); h = train_frames (1×) and eval_frames (2×). The score used to pick the best
/// weights is e_1× + e_2×, so a model must be good within and beyond the horizon it was trained on. Rollouts run without
/// gradients, in eval mode, and use no random numbers, so validating does not change the training that follows.
/// </remarks>
public sealed class ValidationRollout : IDisposable
{
    private readonly Tensor _trajectories;      // (N, eval_frames, W, C), normalised
    private readonly Tensor _truth;             // (N, eval_frames, W) displacement, float64
    private readonly int _trainFrames;
    private readonly double _norm1, _norm2;     // ‖w‖ over the first train_frames and eval_frames frames

    /// <summary>Loads the validation split of <paramref name="dataset"/> for <paramref name="evalFrames"/> frames.</summary>
    public ValidationRollout(TrajectoryDataset dataset, Normalisation normalisation, int trainFrames, int evalFrames)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Split.CountOf(DataSplit.Validation) < 1)
            throw new PhysMod.Physics.InvalidSettingException(
                $"training.validate_every > 0 needs a validation split, but {dataset.Path} has none (split {dataset.Split}); set training.validate_every=0");
        _trainFrames = Math.Min(trainFrames, evalFrames);
        _trajectories = dataset.LoadTensor(DataSplit.Validation, evalFrames, normalisation);
        using var scope = NewDisposeScope();
        _truth = _trajectories.select(-1, 0).to_type(ScalarType.Float64).MoveToOuterDisposeScope();
        _norm1 = _truth.narrow(1, 0, _trainFrames).norm().item<double>();
        _norm2 = _truth.norm().item<double>();
    }

    /// <summary>Relative L2 of the displacement at 1× and 2× the horizon; NaN when the rollout is not finite.</summary>
    public (double Horizon1, double Horizon2) Score(ITrajectoryModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        bool training = model.Module.training;
        model.Module.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int frames = (int)_trajectories.shape[1];
            var error = model.Rollout(_trajectories.select(1, 0), frames).select(-1, 0).to_type(ScalarType.Float64) - _truth; // (N, T, W)
            return (error.narrow(1, 0, _trainFrames).norm().item<double>() / _norm1, error.norm().item<double>() / _norm2);
        }
        finally
        {
            if (training) model.Module.train();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _truth.Dispose();
        _trajectories.Dispose();
    }
}
