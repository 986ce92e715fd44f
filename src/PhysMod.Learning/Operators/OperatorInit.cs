using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>Seeded initial values for the operator layers (drawn in float64 from an explicit generator, then cast).</summary>
internal static class OperatorInit
{
    /// <summary>U(−bound, bound) of the given shape.</summary>
    public static Tensor Uniform(long[] shape, double bound, Generator generator, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        return ((rand(shape, dtype: ScalarType.Float64, generator: generator) * 2 - 1) * bound).to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>A Linear layer in → out with weight and bias U(−1/√in, 1/√in) (the default of equinox and torch).</summary>
    public static Linear Linear(int inputs, int outputs, Generator generator, ScalarType dtype)
    {
        var layer = nn.Linear(inputs, outputs, hasBias: true, dtype: dtype);
        using (no_grad())
        {
            double bound = 1.0 / Math.Sqrt(inputs);
            using var weight = Uniform(layer.weight!.shape, bound, generator, dtype);
            using var bias = Uniform(layer.bias!.shape, bound, generator, dtype);
            layer.weight!.copy_(weight);
            layer.bias!.copy_(bias);
        }
        return layer;
    }

    /// <summary>A grid-coordinate channel linspace(−1, 1, W) appended to x (B, W, C) → (B, W, C + 1).</summary>
    public static Tensor AppendGrid(Tensor x)
    {
        long batch = x.shape[0], points = x.shape[1];
        var grid = linspace(-1.0, 1.0, points, dtype: x.dtype).reshape(1, points, 1).expand(batch, points, 1); // (B, W, 1)
        return cat([x, grid], 2);                                                                              // (B, W, C + 1)
    }
}
