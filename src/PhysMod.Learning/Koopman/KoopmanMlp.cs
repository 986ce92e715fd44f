using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Koopman;

/// <summary>An equinox-style multilayer perceptron with SELU: depth + 1 Linear layers, the activation after all but the last.</summary>
/// <remarks>Layers are in→width, (depth − 1) × width→width, width→out (depth 0: a single in→out layer).
/// Initialisation as the tutorial: weights lecun_uniform U(−√(3/fan_in), √(3/fan_in)), biases equinox's default
/// U(−1/√fan_in, 1/√fan_in).</remarks>
public sealed class KoopmanMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();

    /// <summary>Creates the layers and initialises them from <paramref name="generator"/>.</summary>
    public KoopmanMlp(string name, int inputs, int outputs, int width, int depth, Generator generator, ScalarType dtype)
        : base(name)
    {
        if (inputs < 1 || outputs < 1 || width < 1 || depth < 0) throw new ArgumentOutOfRangeException(nameof(depth), "MLP sizes must be positive");
        for (int i = 0; i <= depth; i++)
        {
            int fanIn = i == 0 ? inputs : width, fanOut = i == depth ? outputs : width;
            var layer = nn.Linear(fanIn, fanOut, hasBias: true, dtype: dtype);
            using (no_grad())
            {
                double weightBound = Math.Sqrt(3.0 / fanIn), biasBound = 1.0 / Math.Sqrt(fanIn);
                using var weight = Uniform(layer.weight!.shape, weightBound, generator);
                using var bias = Uniform(layer.bias!.shape, biasBound, generator);
                layer.weight!.copy_(weight);
                layer.bias!.copy_(bias);
            }
            layers.Add(layer);
        }
        RegisterComponents();
    }

    // Drawn in float64 from the explicit generator (nn.init.uniform_ ignored it in TorchSharp 0.107: same seed, different weights).
    private static Tensor Uniform(long[] shape, double bound, Generator generator)
    {
        using var scope = NewDisposeScope();
        return ((rand(shape, dtype: ScalarType.Float64, generator: generator) * 2 - 1) * bound).MoveToOuterDisposeScope();
    }

    /// <summary>Sets the last layer's weight and bias to zero, so the MLP starts as the constant 0 (its earlier layers then
    /// learn through the last one's gradient).</summary>
    public void ZeroLastLayer()
    {
        using var noGrad = no_grad();
        layers[^1].weight!.zero_();
        layers[^1].bias!.zero_();
    }

    /// <summary>Inputs (…, in) → outputs (…, out).</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1) x = nn.functional.selu(x);
        }
        return x;
    }
}
