using PhysMod.Physics.Parameters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The course notebook's hybrid modal string (spec §5.3): log-parameterised T0, EI, d1, d3 and an optional learned residual force.</summary>
/// <remarks>ω² = (EI λ² + T0 λ)/ρA, γ₂ = (d1 + d3 λ)/ρA with λ = (μπ/L)² for the known L and ρA; the residual r(q) is
/// subtracted like a physical nonlinearity.</remarks>
public sealed class HybridStringModel : nn.Module
{
    private readonly Parameter log_tension, log_bending, log_d1, log_d3;
    private readonly double _density, _length;

    /// <summary>Creates the model for the known length and density of <paramref name="reference"/>, from initial T0, EI, d1, d3.</summary>
    public HybridStringModel(StringParameters reference, int modes, double[] initial) : base("hybrid_string")
    {
        Modes = modes;
        _density = reference.RhoA;
        _length = reference.L;
        log_tension = new Parameter(tensor(Math.Log(initial[0]), float64));
        log_bending = new Parameter(tensor(Math.Log(initial[1]), float64));
        log_d1 = new Parameter(tensor(Math.Log(initial[2]), float64));
        log_d3 = new Parameter(tensor(Math.Log(initial[3]), float64));
        RegisterComponents();
    }

    /// <summary>Number of modes.</summary>
    public int Modes { get; }

    /// <summary>The learned residual, or null for the purely physical model.</summary>
    public ResidualMlp? Residual { get; set; }

    /// <summary>Current T0, EI, d1, d3 (SI).</summary>
    public double[] Physical => new[] { log_tension, log_bending, log_d1, log_d3 }.Select(p => Math.Exp(p.item<double>())).ToArray();

    /// <summary>The physical parameters by name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> PhysicalParameters => named_parameters();

    /// <summary>The coefficients for the current values (differentiable).</summary>
    public ModalCoefficients Coefficients()
    {
        var lambda = StringCoefficients.Eigenvalues(tensor(_length, float64), Modes);   // (N)
        var omega2 = StringCoefficients.Omega2(lambda, log_bending.exp() / _density, log_tension.exp() / _density);
        var gamma2 = StringCoefficients.Gamma2(lambda, log_d1.exp() / _density, log_d3.exp() / _density);
        var residual = Residual;
        return new ModalCoefficients(omega2, gamma2, lambda, null, residual is null ? null : residual.forward);
    }
}
