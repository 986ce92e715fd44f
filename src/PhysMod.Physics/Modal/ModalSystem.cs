using PhysMod.Physics.Parameters;

namespace PhysMod.Physics.Modal;

/// <summary>A set of damped modal oscillators with an optional conservative nonlinear coupling: the one place
/// where physical parameters become per-mode coefficients.</summary>
/// <remarks>
/// q̈_μ + γ₂,μ q̇_μ + ω_μ² q_μ + f_nl,μ(q) = s · K_μ(x_e) f(t), with ω² = (B λ² + T λ)/ρ, γ₂ = (d1 + d3 λ)/ρ
/// (B = EI or D, ρ = ρA or ρh, T = tension) and input scale s = 1/ρ. Modal energy (per unit modal mass):
/// H = Σ ½ q̇² + ½ ω² q² + V(q).
/// </remarks>
public sealed class ModalSystem
{
    private readonly double[] _lambda, _omega2, _gamma2;

    /// <summary>Creates a system from per-mode coefficients. Shapes: (modes).</summary>
    public ModalSystem(ModalBasis basis, double[] lambda, double[] omega2, double[] gamma2, ModalNonlinearity? nonlinearity, double inputScale)
    {
        if (lambda.Length != basis.Modes || omega2.Length != basis.Modes || gamma2.Length != basis.Modes)
            throw new ArgumentException("coefficient arrays must have one entry per mode");
        Basis = basis; _lambda = lambda; _omega2 = omega2; _gamma2 = gamma2;
        Nonlinearity = nonlinearity; InputScale = inputScale;
    }

    /// <summary>The mode shapes.</summary>
    public ModalBasis Basis { get; }

    /// <summary>Number of modes.</summary>
    public int Modes => _lambda.Length;

    /// <summary>Eigenvalues λ_μ (squared wavenumbers, 1/m²).</summary>
    public ReadOnlySpan<double> Lambda => _lambda;

    /// <summary>ω_μ² (1/s²).</summary>
    public ReadOnlySpan<double> Omega2 => _omega2;

    /// <summary>γ₂,μ = 2γ_μ (1/s).</summary>
    public ReadOnlySpan<double> Gamma2 => _gamma2;

    /// <summary>The nonlinear force, or null for a linear system.</summary>
    public ModalNonlinearity? Nonlinearity { get; }

    /// <summary>Factor from a point force (N) to modal acceleration per unit mode shape: 1/ρA or 1/ρh.</summary>
    public double InputScale { get; }

    /// <summary>Largest undamped angular frequency max_μ ω_μ (rad/s).</summary>
    public double MaxOmega => Math.Sqrt(_omega2.Max());

    /// <summary>The same system without its nonlinearity.</summary>
    public ModalSystem Linearised() => new(Basis, _lambda, _omega2, _gamma2, null, InputScale);

    /// <summary>Builds the modal string; tension modulation adds the Kirchhoff–Carrier force with c = EA/(2L ρA)/(L/2).</summary>
    public static ModalSystem ForString(StringParameters p, int modes, bool tensionModulation)
    {
        p.Validate();
        RequireModes(modes);
        var basis = new StringBasis(modes, p.L);
        double[] lambda = basis.Eigenvalues();
        double[] omega2 = lambda.Select(l => (p.EI * l * l + p.T0 * l) / p.RhoA).ToArray();
        double[] gamma2 = lambda.Select(l => (p.D1 + p.D3 * l) / p.RhoA).ToArray();
        ModalNonlinearity? nl = tensionModulation ? new TensionModulation(lambda, StringTensionCoefficient(p)) : null;
        return new ModalSystem(basis, lambda, omega2, gamma2, nl, 1 / p.RhoA);
    }

    /// <summary>c = E A / (2 L ρA) / (L/2): the string's tension-modulation strength (τ_ν = c λ_ν).</summary>
    public static double StringTensionCoefficient(StringParameters p) => p.E * p.A / (2 * p.L * p.RhoA) / (p.L / 2);

    /// <summary>Builds the simply supported plate or membrane; tension modulation adds the Berger-type force.</summary>
    public static ModalSystem ForPlate(PlateParameters p, int modes, bool tensionModulation)
    {
        p.Validate();
        RequireModes(modes);
        var basis = new PlateBasis(modes, p.L1, p.L2);
        double[] lambda = basis.Eigenvalues();
        double d = p.BendingStiffness;
        double[] omega2 = lambda.Select(l => (d * l * l + p.T0 * l) / p.RhoH).ToArray();
        double[] gamma2 = lambda.Select(l => (p.D1 + p.D3 * l) / p.RhoH).ToArray();
        ModalNonlinearity? nl = tensionModulation ? new TensionModulation(lambda, PlateTensionCoefficient(p)) : null;
        return new ModalSystem(basis, lambda, omega2, gamma2, nl, 1 / p.RhoH);
    }

    /// <summary>c = E h / (2 l1 l2 (1 − ν²)) / ρh / (l1 l2 / 4): the plate's tension-modulation strength.</summary>
    public static double PlateTensionCoefficient(PlateParameters p) =>
        p.E * p.H / (2 * p.L1 * p.L2 * (1 - p.Nu * p.Nu)) / p.RhoH / (p.L1 * p.L2 / 4);

    /// <summary>Builds a single oscillator q̈ + σ₂ q̇ + ω₀² q + γ² nl(q) = f.</summary>
    public static ModalSystem ForOscillator(OscillatorParameters p)
    {
        p.Validate();
        double g = p.Gamma * p.Gamma;
        ModalNonlinearity? nl = p.Nonlinearity switch
        {
            OscillatorNonlinearity.Cubic when g > 0 => new TensionModulation([1.0], g),
            OscillatorNonlinearity.Sinh when g > 0 => new SinhForce(g),
            _ => null,
        };
        return new ModalSystem(new PointBasis(), [1.0], [p.Omega0 * p.Omega0], [p.Sigma2], nl, 1);
    }

    /// <summary>H = Σ ½ v² + ½ ω² q² + V(q) (per unit modal mass).</summary>
    public double Energy(ReadOnlySpan<double> q, ReadOnlySpan<double> v)
    {
        double h = 0;
        for (int i = 0; i < Modes; i++) h += 0.5 * v[i] * v[i] + 0.5 * _omega2[i] * q[i] * q[i];
        return h + (Nonlinearity?.Potential(q) ?? 0);
    }

    private static void RequireModes(int modes)
    {
        if (modes < 1 || modes > 4096) throw new InvalidSettingException($"modes = {modes}: must be between 1 and 4096");
    }
}
