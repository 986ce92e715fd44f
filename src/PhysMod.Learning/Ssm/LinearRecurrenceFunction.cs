using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>An autograd function running the diagonal complex recurrence h_k = λ⊙h_{k−1} + b_k in plain C# loops, with its
/// adjoint recurrence as the backward pass (<see cref="LruScan.Fused"/>).</summary>
/// <remarks>
/// Forward: h_0 = b_0, h_k = λ⊙h_{k−1} + b_k over dim 1 of b (B, T, H).
/// Backward, with G_k = ∂L/∂h_k in PyTorch's convention for complex tensors (∂L/∂Re + i ∂L/∂Im):
/// δ_{T−1} = G_{T−1}, δ_k = G_k + conj(λ)⊙δ_{k+1}; then ∂L/∂b_k = δ_k and ∂L/∂λ = Σ_{batch} Σ_{k≥1} conj(h_{k−1})⊙δ_k.
/// One pass each way touches every element once, where the log-depth scan makes ⌈log₂ T⌉ full-size tensors and
/// torch's own loop pays one op per step. The backward is not itself differentiable (no double backward); CPU only.
/// </remarks>
internal sealed class LinearRecurrenceFunction : autograd.MultiTensorFunction<LinearRecurrenceFunction>
{
    public override string Name => "LruLinearRecurrence";

    /// <summary>vars: λ complex (H), b complex (B, T, H). Returns [h complex (B, T, H)].</summary>
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var lambda = (Tensor)vars[0];
        var drive = (Tensor)vars[1];
        var lambdaPairs = view_as_real(lambda.detach().resolve_conj()).contiguous();                  // (H, 2)
        var drivePairs = view_as_real(drive.detach().resolve_conj()).contiguous();                    // (B, T, H, 2)
        var statePairs = empty_like(drivePairs);                                                       // (B, T, H, 2)
        int batch = (int)drive.shape[0], length = (int)drive.shape[1], hidden = (int)drive.shape[2];
        if (drivePairs.dtype == ScalarType.Float32)
            Forward<float>(lambdaPairs, drivePairs, statePairs, batch, length, hidden);
        else
            Forward<double>(lambdaPairs, drivePairs, statePairs, batch, length, hidden);
        ctx.save_for_backward([lambdaPairs, statePairs]);
        return [view_as_complex(statePairs)];
    }

    /// <summary>grads: [∂L/∂h complex (B, T, H)]. Returns [∂L/∂λ (H), ∂L/∂b (B, T, H)].</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        var saved = ctx.get_saved_variables();
        var lambdaPairs = saved[0];                                                                    // (H, 2)
        var statePairs = saved[1];                                                                     // (B, T, H, 2)
        var outputGradient = view_as_real(grads[0].resolve_conj()).contiguous();                      // (B, T, H, 2)
        var adjoint = empty_like(outputGradient);                                                      // (B, T, H, 2)
        var lambdaGradient = zeros_like(lambdaPairs);                                                  // (H, 2)
        int batch = (int)statePairs.shape[0], length = (int)statePairs.shape[1], hidden = (int)statePairs.shape[2];
        if (statePairs.dtype == ScalarType.Float32)
            Backward<float>(lambdaPairs, statePairs, outputGradient, adjoint, lambdaGradient, batch, length, hidden);
        else
            Backward<double>(lambdaPairs, statePairs, outputGradient, adjoint, lambdaGradient, batch, length, hidden);
        return [view_as_complex(lambdaGradient), view_as_complex(adjoint)];
    }

    /// <summary>Whether the fused path can run on these tensors (CPU, complex64 or complex128).</summary>
    public static bool Supports(Tensor drive) =>
        drive.device_type == DeviceType.CPU && drive.dtype is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64;

    private static Span<T> Values<T>(Tensor pairs) where T : unmanaged => MemoryMarshal.Cast<byte, T>(pairs.bytes);

    private static void Forward<T>(Tensor lambdaPairs, Tensor drivePairs, Tensor statePairs, int batch, int length, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> lambda = Values<T>(lambdaPairs), drive = Values<T>(drivePairs);
        Span<T> state = Values<T>(statePairs);
        int row = 2 * hidden;
        for (int b = 0; b < batch; b++)
        {
            int start = b * length * row;
            drive.Slice(start, row).CopyTo(state.Slice(start, row));
            for (int k = 1; k < length; k++)
            {
                var current = state.Slice(start + k * row, row);
                ReadOnlySpan<T> previous = state.Slice(start + (k - 1) * row, row), input = drive.Slice(start + k * row, row);
                for (int j = 0; j < row; j += 2)
                {
                    T lr = lambda[j], li = lambda[j + 1], pr = previous[j], pi = previous[j + 1];
                    current[j] = lr * pr - li * pi + input[j];
                    current[j + 1] = lr * pi + li * pr + input[j + 1];
                }
            }
        }
    }

    private static void Backward<T>(Tensor lambdaPairs, Tensor statePairs, Tensor outputGradientPairs, Tensor adjointPairs,
        Tensor lambdaGradientPairs, int batch, int length, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> lambda = Values<T>(lambdaPairs), state = Values<T>(statePairs), outputGradient = Values<T>(outputGradientPairs);
        Span<T> adjoint = Values<T>(adjointPairs), lambdaGradient = Values<T>(lambdaGradientPairs);
        int row = 2 * hidden;
        for (int b = 0; b < batch; b++)
        {
            int start = b * length * row, last = start + (length - 1) * row;
            outputGradient.Slice(last, row).CopyTo(adjoint.Slice(last, row));
            for (int k = length - 2; k >= 0; k--)
            {
                var current = adjoint.Slice(start + k * row, row);
                ReadOnlySpan<T> next = adjoint.Slice(start + (k + 1) * row, row), gradient = outputGradient.Slice(start + k * row, row);
                // δ_k = G_k + conj(λ)·δ_{k+1}, and ∂L/∂λ += conj(h_k)·δ_{k+1} (the state that λ multiplied on the way forward).
                ReadOnlySpan<T> previousState = state.Slice(start + k * row, row);
                for (int j = 0; j < row; j += 2)
                {
                    T lr = lambda[j], li = lambda[j + 1], nr = next[j], ni = next[j + 1];
                    current[j] = gradient[j] + lr * nr + li * ni;
                    current[j + 1] = gradient[j + 1] + lr * ni - li * nr;
                    T hr = previousState[j], hi = previousState[j + 1];
                    lambdaGradient[j] += hr * nr + hi * ni;
                    lambdaGradient[j + 1] += hr * ni - hi * nr;
                }
            }
        }
    }
}
