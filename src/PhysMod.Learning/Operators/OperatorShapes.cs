using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>Shape checks shared by the operator models.</summary>
internal static class OperatorShapes
{
    /// <summary>Throws unless <paramref name="frame"/> is (B, W, C) with the model's C and W ≥ the spectral bins.</summary>
    public static void CheckFrame(Tensor frame, int channels, int modes, string name)
    {
        if (frame.dim() != 3 || frame.shape[2] != channels || frame.shape[0] < 1)
            throw new ArgumentException($"{name} must have shape (B, W, {channels}); got ({string.Join(", ", frame.shape)})", name);
        SpectralConv1d.CheckModes(modes, checked((int)frame.shape[1]));
    }
}
