using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Pinn;

/// <summary>A coordinate network for PINNs: random Fourier features followed by a tanh multilayer perceptron with a scalar output.</summary>
/// <remarks>
/// φ(z) = [cos(2π z Bᵀ), sin(2π z Bᵀ)] with a fixed B ~ N(0, 1)·scale of shape (features, inputs) (no features: φ(z) = z), then
/// depth + 1 Linear layers in→width, (depth − 1) × width→width, width→1 with tanh after all but the last (equinox MLP
/// semantics). Initialisation as the tutorial: weights glorot_uniform U(±√(6/(fan_in + fan_out))), biases equinox's default
/// U(±1/√fan_in). Everything is drawn in float64 from the explicit generator, then cast.
/// </remarks>
public sealed class FourierFeatureMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();
    private readonly Tensor? frequencies;   // (features, inputs), fixed

    /// <summary>Creates the features and layers from <paramref name="generator"/>.</summary>
    public FourierFeatureMlp(string name, int inputs, int features, double scale, int width, int depth, Generator generator, ScalarType dtype)
        : base(name)
    {
        if (inputs < 1 || features < 0 || width < 1 || depth < 1)
            throw new ArgumentOutOfRangeException(nameof(depth), "inputs, width and depth must be ≥ 1 and features ≥ 0");
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), "feature scale must be finite and > 0");
        Inputs = inputs;
        Features = features;
        if (features > 0)
        {
            using var scope = NewDisposeScope();
            frequencies = (randn(new long[] { features, inputs }, dtype: ScalarType.Float64, generator: generator) * scale)
                .to_type(dtype).MoveToOuterDisposeScope();
        }
        int first = features > 0 ? 2 * features : inputs;
        for (int i = 0; i <= depth; i++)
        {
            int fanIn = i == 0 ? first : width, fanOut = i == depth ? 1 : width;
            var layer = nn.Linear(fanIn, fanOut, hasBias: true, dtype: dtype);
            using (no_grad())
            {
                using var weight = Uniform(layer.weight!.shape, Math.Sqrt(6.0 / (fanIn + fanOut)), generator);
                using var bias = Uniform(layer.bias!.shape, 1.0 / Math.Sqrt(fanIn), generator);
                layer.weight!.copy_(weight);
                layer.bias!.copy_(bias);
            }
            layers.Add(layer);
        }
        RegisterComponents();
    }

    /// <summary>Number of input coordinates.</summary>
    public int Inputs { get; }

    /// <summary>Number of Fourier frequencies (0 = raw inputs).</summary>
    public int Features { get; }

    private static Tensor Uniform(long[] shape, double bound, Generator generator)
    {
        using var scope = NewDisposeScope();
        return ((rand(shape, dtype: ScalarType.Float64, generator: generator) * 2 - 1) * bound).MoveToOuterDisposeScope();
    }

    /// <summary>Coordinates (N, inputs) → values (N, 1).</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        if (frequencies is not null)
        {
            var phase = matmul(input, frequencies.t()) * (2 * Math.PI);   // (N, features)
            x = cat(new[] { cos(phase), sin(phase) }, 1);                  // (N, 2·features)
        }
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1) x = tanh(x);
        }
        return x;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) frequencies?.Dispose();
        base.Dispose(disposing);
    }
}
