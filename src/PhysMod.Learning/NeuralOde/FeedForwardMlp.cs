using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>A float64 multilayer perceptron with tanh or leaky-ReLU between layers, for the learned accelerations and forces
/// of the forced-neural and oscillator experiments.</summary>
/// <remarks>
/// depth+1 linear layers in → W → … → W → out (equinox semantics), the activation after all but the last.
/// Initialisation "uniform": weights and biases ~ U(±1/√fan_in) (equinox/PyTorch default); "kaiming": weights ~ N(0, 2/fan_in)
/// (PyTorch kaiming_normal_, fan-in, ReLU gain), biases ~ U(±1/√fan_in). The last layer's weights are then multiplied by
/// <c>lastScale</c>; its bias is zero when <c>lastScale</c> ≠ 1.
/// </remarks>
public sealed class FeedForwardMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly bool _tanh;

    /// <summary>Creates the MLP; <paramref name="activation"/> is tanh or leaky_relu, <paramref name="init"/> uniform or kaiming.</summary>
    public FeedForwardMlp(int inputs, int outputs, int width, int depth, string activation, string init, double lastScale, Generator generator)
        : base("mlp")
    {
        if (activation is not ("tanh" or "leaky_relu")) throw new ArgumentException($"activation '{activation}': allowed are tanh, leaky_relu", nameof(activation));
        if (init is not ("uniform" or "kaiming")) throw new ArgumentException($"init '{init}': allowed are uniform, kaiming", nameof(init));
        _tanh = activation == "tanh";
        layers = new ModuleList<Linear>();
        for (int i = 0; i <= depth; i++)
        {
            int input = i == 0 ? inputs : width, output = i == depth ? outputs : width;
            var layer = nn.Linear(input, output, dtype: float64);
            double bound = 1 / Math.Sqrt(input);
            using (no_grad())
            {
                var weight = init == "kaiming"
                    ? randn(new long[] { output, input }, dtype: float64, generator: generator) * Math.Sqrt(2.0 / input)
                    : (rand(new long[] { output, input }, dtype: float64, generator: generator) * 2 - 1) * bound;
                var bias = (rand(new long[] { output }, dtype: float64, generator: generator) * 2 - 1) * bound;
                if (i == depth && lastScale != 1) { weight *= lastScale; bias *= 0; }
                layer.weight!.copy_(weight);
                layer.bias!.copy_(bias);
            }
            layers.Add(layer);
        }
        RegisterComponents();
    }

    /// <summary>The network. Shapes: (B, in) → (B, out).</summary>
    public override Tensor forward(Tensor x)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1) x = _tanh ? x.tanh() : nn.functional.leaky_relu(x, 0.01);
        }
        return x;
    }
}
