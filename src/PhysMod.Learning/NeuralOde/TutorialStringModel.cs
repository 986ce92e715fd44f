using PhysMod.Physics.Parameters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The tutorial's neural ODE: a modal tension-modulated string whose length, T0/ρA and d3/ρA are trainable (spec §5.1).</summary>
/// <remarks>
/// λ = (μπ/L)², ω² = B̂ λ² + T̂ λ with T̂ = exp(log_tension), γ₂ = d̂3 λ (no d1 term), and
/// f_nl = c λ q Σ λ q² with c = (EA/ρA)/(2L₀)/(L₀/2) frozen at the reference length L₀ while λ follows the learned L.
/// B̂ = EI/ρA and c are frozen; float64 throughout.
/// </remarks>
public sealed class TutorialStringModel : nn.Module
{
    private readonly Parameter length;
    private readonly Parameter log_tension;
    private readonly Parameter d3;
    private readonly double _bending, _tension;

    /// <summary>Creates the model for <paramref name="modes"/> modes with frozen B̂ and c from <paramref name="reference"/>
    /// (c = 0: linear) and the given initial trainable values.</summary>
    public TutorialStringModel(StringParameters reference, int modes, bool tensionModulation, double initialLength,
        double initialTensionOverDensity, double initialD3OverDensity) : base("tutorial_string")
    {
        Modes = modes;
        _bending = reference.EI / reference.RhoA;
        _tension = tensionModulation ? PhysMod.Physics.Modal.ModalSystem.StringTensionCoefficient(reference) : 0;
        length = new Parameter(tensor(initialLength, float64));
        log_tension = new Parameter(tensor(Math.Log(initialTensionOverDensity), float64));
        d3 = new Parameter(tensor(initialD3OverDensity, float64));
        RegisterComponents();
    }

    /// <summary>Number of modes.</summary>
    public int Modes { get; }

    /// <summary>Current length L (m).</summary>
    public double Length => length.item<double>();

    /// <summary>Current T0/ρA (m²/s²).</summary>
    public double TensionOverDensity => Math.Exp(log_tension.item<double>());

    /// <summary>Current d3/ρA (m²/s).</summary>
    public double D3OverDensity => d3.item<double>();

    /// <summary>The trainable parameters by name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> Trainable => named_parameters();

    /// <summary>λ (N) for the current length.</summary>
    public Tensor Eigenvalues() => StringCoefficients.Eigenvalues(length, Modes);

    /// <summary>The coefficients for the current parameter values (differentiable).</summary>
    public ModalCoefficients Coefficients()
    {
        var lambda = Eigenvalues();   // (N)
        var omega2 = StringCoefficients.Omega2(lambda, tensor(_bending, float64), log_tension.exp());
        var gamma2 = StringCoefficients.Gamma2(lambda, tensor(0.0, float64), d3);
        return new ModalCoefficients(omega2, gamma2, lambda, _tension > 0 ? tensor(_tension, float64) : null);
    }

    /// <summary>Pluck coefficients for the current length (N).</summary>
    public Tensor Pluck(double height, double position) => StringCoefficients.Pluck(length, Modes, height, position);

    /// <summary>Mode shapes at x for the current length (N).</summary>
    public Tensor Shapes(double position) => StringCoefficients.Shapes(length, Modes, position);
}
