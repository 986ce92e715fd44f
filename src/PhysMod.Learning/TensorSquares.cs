using static TorchSharp.torch;

namespace PhysMod.Learning;

/// <summary>Element-wise squares without a TorchSharp <c>Scalar</c>.</summary>
/// <remarks>TorchSharp's <c>Tensor.square()</c> is <c>pow(2)</c> through an implicitly converted <c>Scalar</c> that nothing keeps
/// alive during the native call; when a garbage collection finalises it mid-call, libtorch reads a freed scalar and throws
/// "Unknown scalar type" (TorchSharp pull requests 1434 and 1496, open). It crashed two long runs here (global-norm clipping,
/// inside the demo's neural-ODE task). <c>t * t</c> is the same value with tensor operands only.</remarks>
public static class TensorSquares
{
    /// <summary>t ⊙ t.</summary>
    public static Tensor Squared(this Tensor t) => t.mul(t);
}
