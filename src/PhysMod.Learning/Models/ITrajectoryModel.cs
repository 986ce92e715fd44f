using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Models;

/// <summary>A model of a dynamical system's full-field trajectory: given the initial frame it rolls out the following frames.</summary>
/// <remarks>All tensors are normalised (divided per channel by the training split's max |·|) and float32 unless a test asks
/// for float64. Frame 0 of a rollout is the model's reconstruction of the initial state.</remarks>
public interface ITrajectoryModel : IDisposable
{
    /// <summary>Family name (dmd, ssm, koopman, …).</summary>
    string Family { get; }

    /// <summary>The TorchSharp module holding every trainable parameter and buffer (its state dict is the checkpoint).</summary>
    nn.Module Module { get; }

    /// <summary>True when the model is fitted by <see cref="Fit"/> instead of gradient steps (e.g. DMD).</summary>
    bool ClosedForm { get; }

    /// <summary>Rolls out <paramref name="steps"/> frames from x0 (B, W, C); returns (B, steps, W, C).</summary>
    Tensor Rollout(Tensor x0, int steps);

    /// <summary>The training loss on a batch of trajectories (B, T, W, C): the scalar to minimise and its named parts (scalars).</summary>
    (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Loss(Tensor batch);

    /// <summary>Closed-form fit on all training trajectories (N, T, W, C); only for <see cref="ClosedForm"/> models.</summary>
    void Fit(Tensor trajectories);
}
