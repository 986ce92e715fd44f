using static TorchSharp.torch;

namespace PhysMod.Learning.Models;

/// <summary>A trainable model that can set its starting parameters from the training data before the first gradient step.</summary>
public interface IDataInitialised
{
    /// <summary>Called once per new run (never on resume) with the normalised training trajectories (N, T, W, C), before the
    /// first step; must not draw from torch's global generator (so runs stay reproducible).</summary>
    void InitialiseFromData(Tensor trajectories);
}
