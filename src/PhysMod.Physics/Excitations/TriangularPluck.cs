using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>A string released from rest in a triangle of height h peaking at x_e (closed-form modal coefficients).</summary>
/// <remarks>q_μ(0) = h L sin(k_μ x_e) / (k_μ² x_e (L − x_e)), k_μ = μπ/L; q̇(0) = 0 (spec §1.3).</remarks>
public sealed class TriangularPluck(double height, double position) : Excitation
{
    /// <summary>Peak displacement h (m).</summary>
    public double Height { get; } = height;

    /// <summary>Pluck position x_e (m).</summary>
    public double Position { get; } = position;

    /// <inheritdoc />
    public override string Describe() => $"pluck:x={Position:G6},h={Height:G6}";

    /// <inheritdoc />
    public override void Validate(ModalBasis basis)
    {
        if (basis is not StringBasis) throw new InvalidSettingException("excitation pluck is defined for strings only: use gaussian, random or strike");
        basis.ValidateInside("pluck position x", new Location(Position));
        if (!double.IsFinite(Height)) throw new InvalidSettingException($"pluck height h = {Height}: must be finite");
    }

    /// <inheritdoc />
    public override void InitialState(ModalSystem system, Span<double> q0, Span<double> v0)
    {
        var basis = (StringBasis)system.Basis;
        double l = basis.Length;
        for (int i = 0; i < system.Modes; i++)
        {
            double k = basis.Wavenumber(i + 1);
            q0[i] = Height * l * Math.Sin(k * Position) / (k * k * Position * (l - Position));
        }
        v0.Clear();
    }
}
