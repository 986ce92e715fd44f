using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The FNO trunk of the tutorial's <c>FNO1D</c> (spec §6.2): pointwise lifting, Fourier layers and a pointwise
/// projection, mapping a field of C_in channels to a field of C_out channels on the same grid.</summary>
/// <remarks>
/// G = Q ∘ L_n ∘ … ∘ L_1 ∘ P with P: Linear(C_in → H), L(v) = gelu(K v + W v + b) where K is a <see cref="SpectralConv1d"/>
/// and W v + b a pointwise (1×1) linear map, and Q: Linear(H → P_h), gelu, Linear(P_h → C_out) (or one Linear H → C_out when
/// P_h = 0). gelu is the tanh approximation (jax.nn.gelu's default). Every part is pointwise in space or a spectral
/// convolution, so the network runs on any grid with W ≥ n_modes.
/// </remarks>
public sealed class FourierNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear lifting;
    private readonly ModuleList<SpectralConv1d> spectral = new();
    private readonly ModuleList<Linear> pointwise = new();
    private readonly Linear projection;
    private readonly Linear? projection_out;

    /// <summary>Creates the network with weights drawn from <paramref name="generator"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">C_in: input channels per grid point.</param>
    /// <param name="outChannels">C_out: output channels per grid point.</param>
    /// <param name="hidden">H: channels inside the Fourier layers.</param>
    /// <param name="modes">M: spatial frequency bins of every spectral convolution.</param>
    /// <param name="layers">Number of Fourier layers.</param>
    /// <param name="projectionHidden">P_h: hidden width of the projection (0 = a single linear map).</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="dtype">Parameter dtype.</param>
    public FourierNetwork(string name, int inChannels, int outChannels, int hidden, int modes, int layers, int projectionHidden,
        Generator generator, ScalarType dtype = ScalarType.Float32)
        : base(name)
    {
        if (inChannels < 1 || outChannels < 1 || hidden < 1 || layers < 0 || projectionHidden < 0)
            throw new ArgumentOutOfRangeException(nameof(hidden), "channel counts must be ≥ 1 and layers, projection width ≥ 0");
        InChannels = inChannels;
        OutChannels = outChannels;
        Modes = modes;
        lifting = OperatorInit.Linear(inChannels, hidden, generator, dtype);
        for (int i = 0; i < layers; i++)
        {
            spectral.Add(new SpectralConv1d($"spectral{i}", hidden, hidden, modes, generator, dtype));
            pointwise.Add(OperatorInit.Linear(hidden, hidden, generator, dtype));
        }
        if (projectionHidden > 0)
        {
            projection = OperatorInit.Linear(hidden, projectionHidden, generator, dtype);
            projection_out = OperatorInit.Linear(projectionHidden, outChannels, generator, dtype);
        }
        else projection = OperatorInit.Linear(hidden, outChannels, generator, dtype);
        RegisterComponents();
    }

    /// <summary>C_in.</summary>
    public int InChannels { get; }

    /// <summary>C_out.</summary>
    public int OutChannels { get; }

    /// <summary>M: bins of every spectral convolution.</summary>
    public int Modes { get; }

    /// <summary>Sets the weight and bias of the last pointwise layer to zero, so that the network starts as G ≡ 0.</summary>
    public void ZeroOutput()
    {
        var last = projection_out ?? projection;
        using var noGrad = no_grad();
        last.weight!.zero_();
        last.bias!.zero_();
    }

    /// <summary>x (B, W, C_in) → (B, W, C_out).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = lifting.forward(input).permute(0, 2, 1);                                             // (B, H, W)
        for (int i = 0; i < spectral.Count; i++)
        {
            var local = pointwise[i].weight!.matmul(h) + pointwise[i].bias!.unsqueeze(-1);             // (B, H, W)
            h = nn.functional.gelu(spectral[i].forward(h) + local, GELU.Approximate.tanh);             // (B, H, W)
        }
        var output = projection.forward(h.permute(0, 2, 1));                                          // (B, W, P_h or C_out)
        if (projection_out is not null) output = projection_out.forward(nn.functional.gelu(output, GELU.Approximate.tanh)); // (B, W, C_out)
        return output.MoveToOuterDisposeScope();
    }
}
