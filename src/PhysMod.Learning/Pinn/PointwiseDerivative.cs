using static TorchSharp.torch;

namespace PhysMod.Learning.Pinn;

/// <summary>Exact derivatives of a pointwise network output with respect to its input coordinates, by autograd, kept
/// differentiable so that they can enter a loss (and be differentiated again).</summary>
/// <remarks>
/// For an output u of shape (N, 1) whose row n depends only on row n of the input z (N, 1), ∂(Σₙ uₙ)/∂z = (∂uₙ/∂zₙ)ₙ: one
/// backward pass gives every point's derivative. The graph is created and retained (DESIGN.md: TorchSharp needs
/// retain_graph with create_graph) so higher derivatives and the training gradient can follow.
/// </remarks>
public static class PointwiseDerivative
{
    /// <summary>∂u/∂z for each point. Shapes: u (N, 1), z (N, 1) with requires_grad; result (N, 1).</summary>
    public static Tensor Of(Tensor u, Tensor z)
    {
        if (!z.requires_grad) throw new ArgumentException("the coordinate must require gradients", nameof(z));
        return autograd.grad(new[] { u.sum() }, new[] { z }, retain_graph: true, create_graph: true)[0];
    }
}
