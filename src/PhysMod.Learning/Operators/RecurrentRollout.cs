using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The rollout shared by the recurrent Fourier models (FRNN, FGRU): lift frame 0 to a hidden field, apply the cell
/// once per frame and read every hidden field out.</summary>
/// <remarks>
/// <code>
///   h_0 = lift(x_0 [, grid]),   h_k = cell(h_{k−1}),   x̂_k = readout(h_k),  k = 1 … steps − 1;  x̂_0 = x_0
///   with a modal path:          x̂_k = path(x̂_{k−1}) + σ·readout(h_k)      (σ = the path's correction scale)
/// </code>
/// </remarks>
internal static class RecurrentRollout
{
    /// <summary>x0 (B, W, C) → (B, steps, W, C); the cell maps hidden fields (B, H, W) → (B, H, W).</summary>
    public static Tensor Run(Tensor x0, int steps, int channels, int modes, bool gridChannel, Linear lifting, Func<Tensor, Tensor> cell, Linear readout,
        ModalEnergyPath? path = null)
    {
        OperatorShapes.CheckFrame(x0, channels, modes, nameof(x0));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        using var scope = NewDisposeScope();
        var features = gridChannel ? OperatorInit.AppendGrid(x0) : x0;                               // (B, W, C [+1])
        var h = lifting.forward(features).permute(0, 2, 1);                                          // (B, H, W)
        var frames = new List<Tensor>(steps) { x0 };
        for (int k = 1; k < steps; k++)
        {
            h = cell(h);                                                                             // (B, H, W)
            var output = readout.forward(h.permute(0, 2, 1));                                        // (B, W, C)
            frames.Add(path is null ? output : path.forward(frames[^1]) + path.CorrectionScale * output);
        }
        return stack(frames, 1).MoveToOuterDisposeScope();                                           // (B, steps, W, C)
    }

    /// <summary>A modal path for a recurrent model, with the readout zeroed so that the untrained model rolls out the path.</summary>
    public static ModalEnergyPath CreatePath(int pathModes, int gridPoints, int channels, Linear readout, ScalarType dtype)
    {
        using (no_grad())
        {
            readout.weight!.zero_();
            readout.bias!.zero_();
        }
        return new ModalEnergyPath("path", ModalEnergyPath.ModesFor(pathModes, gridPoints), channels, dtype);
    }
}
