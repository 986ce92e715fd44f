using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>Released from rest in a Gaussian bump w₀(x) = a exp(−|x − x₀|²/(2σ²)) (on a string or plate).</summary>
/// <remarks>q_μ(0) = ∫ w₀ K_μ (forward Sturm–Liouville transform), by composite Simpson quadrature; on the plate the
/// integral separates into x and y factors.</remarks>
public sealed class GaussianShape(double amplitude, Location centre, double width) : Excitation
{
    private const int Intervals = 4096;

    /// <summary>Peak displacement a (m).</summary>
    public double Amplitude { get; } = amplitude;

    /// <summary>Centre x₀ (m).</summary>
    public Location Centre { get; } = centre;

    /// <summary>Standard deviation σ (m).</summary>
    public double Width { get; } = width;

    /// <inheritdoc />
    public override string Describe() => $"gaussian:x={Centre.X:G6},y={Centre.Y:G6},width={Width:G6},a={Amplitude:G6}";

    /// <inheritdoc />
    public override void Validate(ModalBasis basis)
    {
        if (basis is PointBasis) throw new InvalidSettingException("excitation gaussian needs a string or plate");
        basis.ValidateInside("gaussian centre", Centre);
        InvalidSettingException.RequirePositive("gaussian width", Width, "m");
        if (!double.IsFinite(Amplitude)) throw new InvalidSettingException($"gaussian amplitude a = {Amplitude}: must be finite");
    }

    /// <inheritdoc />
    public override void InitialState(ModalSystem system, Span<double> q0, Span<double> v0)
    {
        v0.Clear();
        switch (system.Basis)
        {
            case StringBasis s:
                for (int i = 0; i < system.Modes; i++) q0[i] = Amplitude * Projection(s.Length, Centre.X, s.Wavenumber(i + 1));
                break;
            case PlateBasis p:
                for (int i = 0; i < system.Modes; i++)
                {
                    var (m, n) = p.Indices(i);
                    q0[i] = Amplitude * Projection(p.L1, Centre.X, m * Math.PI / p.L1) * Projection(p.L2, Centre.Y, n * Math.PI / p.L2);
                }
                break;
            default:
                throw new InvalidSettingException("excitation gaussian needs a string or plate");
        }
    }

    // ∫₀ᴸ exp(−(x − c)²/(2σ²)) sin(k x) dx, composite Simpson.
    private double Projection(double length, double centre, double k)
    {
        double h = length / Intervals, sum = 0;
        for (int j = 0; j <= Intervals; j++)
        {
            double x = j * h, d = (x - centre) / Width;
            double weight = j == 0 || j == Intervals ? 1 : j % 2 == 1 ? 4 : 2;
            sum += weight * Math.Exp(-0.5 * d * d) * Math.Sin(k * x);
        }
        return sum * h / 3;
    }
}
