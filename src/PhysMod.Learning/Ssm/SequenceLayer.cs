using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>A pre-norm residual block around an LRU: x → x + act(LRU(LayerNorm(x))), applied to a whole sequence.</summary>
/// <remarks>LayerNorm normalises each time step over its D features (eps 1e-5, learned scale and shift). Dropout is 0 in the
/// tutorial and is not implemented.</remarks>
public sealed class SequenceLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly LruLayer lru;
    private readonly Linear? gate;

    /// <summary>Creates the block; the LRU and (for <see cref="SequenceActivation.HalfGlu1"/>) the gate are initialised from
    /// <paramref name="generator"/>.</summary>
    public SequenceLayer(string name, int modelSize, int hiddenSize, double rMin, double rMax, double maxPhase,
        SequenceActivation activation, LruScan scan, Generator generator, ScalarType dtype = ScalarType.Float32) : base(name)
    {
        Activation = activation;
        norm = nn.LayerNorm(modelSize, eps: 1e-5, dtype: dtype);
        lru = new LruLayer("lru", modelSize, hiddenSize, rMin, rMax, maxPhase, feedthrough: true, scan, generator, dtype);
        register_module("norm", norm);
        register_module("lru", lru);
        if (activation == SequenceActivation.HalfGlu1)
        {
            // torch's Linear default, U(−1/√D, 1/√D), but drawn from our generator so the model is reproducible from its seed.
            double bound = 1.0 / Math.Sqrt(modelSize);
            using var scope = NewDisposeScope();
            var weight = (rand(modelSize, modelSize, dtype: float64, generator: generator) * 2 - 1) * bound;   // (D, D)
            var bias = (rand(modelSize, dtype: float64, generator: generator) * 2 - 1) * bound;               // (D)
            gate = nn.Linear(new Parameter(weight.to(dtype).MoveToOuterDisposeScope()), new Parameter(bias.to(dtype).MoveToOuterDisposeScope()));
            register_module("gate", gate);
        }
    }

    /// <summary>The block's nonlinearity.</summary>
    public SequenceActivation Activation { get; }

    /// <summary>The block's LRU.</summary>
    public LruLayer Lru => lru;

    /// <summary>x (B, T, D) → (B, T, D).</summary>
    public override Tensor forward(Tensor input)
    {
        var mixed = lru.forward(norm.forward(input));                                                  // (B, T, D)
        var activated = nn.functional.gelu(mixed, GELU.Approximate.tanh);                    // (B, T, D)
        if (gate is not null) activated = activated * sigmoid(gate.forward(activated));
        return input + activated;
    }
}
