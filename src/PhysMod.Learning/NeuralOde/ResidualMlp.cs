using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The hybrid model's learned residual force: an MLP with SELU between layers and LeCun-normal weights.</summary>
/// <remarks>r(q) = s_r · MLP(q / s_q): depth+1 linear layers N → W → … → W → N (equinox semantics), SELU after all but the last;
/// weights ~ N(0, 1/fan_in), biases ~ U(±1/√fan_in).</remarks>
public sealed class ResidualMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;
    private readonly double _inputScale, _outputScale;

    /// <summary>Creates the MLP for <paramref name="modes"/> modes with the given width, depth and scales, float64; the last layer's
    /// weights and bias are multiplied by <paramref name="lastScale"/> (1: the course's initialisation; 0: r = 0 at the start).</summary>
    public ResidualMlp(int modes, int width, int depth, double inputScale, double outputScale, Generator generator, double lastScale = 1) : base("residual")
    {
        _inputScale = inputScale; _outputScale = outputScale;
        layers = new ModuleList<Linear>();
        for (int i = 0; i <= depth; i++)
        {
            int input = i == 0 ? modes : width, output = i == depth ? modes : width;
            var layer = nn.Linear(input, output, dtype: float64);
            using (no_grad())
            {
                layer.weight!.copy_(randn(new long[] { output, input }, dtype: float64, generator: generator) / Math.Sqrt(input));
                layer.bias!.copy_((rand(new long[] { output }, dtype: float64, generator: generator) * 2 - 1) / Math.Sqrt(input));
                if (i == depth && lastScale != 1) { layer.weight.mul_(lastScale); layer.bias.mul_(lastScale); }
            }
            layers.Add(layer);
        }
        RegisterComponents();
    }

    /// <summary>s_q: the MLP sees q / s_q.</summary>
    public double InputScale => _inputScale;

    /// <summary>s_r: the MLP's output is multiplied by s_r.</summary>
    public double OutputScale => _outputScale;

    /// <summary>The linear layers, input first.</summary>
    public IReadOnlyList<Linear> Layers => layers.ToList();

    /// <summary>r(q). Shapes: (B, N) → (B, N).</summary>
    public override Tensor forward(Tensor q)
    {
        var x = q / _inputScale;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1) x = nn.functional.selu(x);
        }
        return x * _outputScale;
    }
}
