using PhysMod.Learning.Models;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The full-rollout loss of the recurrent Fourier models: MSE over frames 1..T−1, optionally as log10 (DAFx22).</summary>
internal static class RecurrentLoss
{
    /// <summary>Rolls the model out from each trajectory's frame 0 over its T frames; returns log10(MSE) or the MSE, and the MSE.</summary>
    public static (Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) Compute(ITrajectoryModel model, Tensor batch, int channels, bool logLoss)
    {
        if (batch.dim() != 4 || batch.shape[3] != channels || batch.shape[1] < 2)
            throw new ArgumentException($"batch must have shape (B, T ≥ 2, W, {channels}); got ({string.Join(", ", batch.shape)})", nameof(batch));
        int frames = checked((int)batch.shape[1]);
        var prediction = model.Rollout(batch.select(1, 0), frames);                                  // (B, T, W, C)
        var mse = nn.functional.mse_loss(prediction.narrow(1, 1, frames - 1), batch.narrow(1, 1, frames - 1));
        var total = logLoss ? log10(mse) : mse;
        return (total, new Dictionary<string, Tensor> { ["mse"] = mse });
    }
}
