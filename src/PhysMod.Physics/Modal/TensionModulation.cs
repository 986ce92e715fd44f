namespace PhysMod.Physics.Modal;

/// <summary>Kirchhoff–Carrier (string) or Berger (plate) tension modulation in modal form.</summary>
/// <remarks>
/// f_nl,μ = c λ_μ q_μ S(q), S(q) = Σ_ν λ_ν q_ν², potential V = (c/4) S².
/// This is the spec's τ-form with τ_ν = c λ_ν: for the string c = E A / (2 L ρA) / (L/2), for the plate
/// c = E h / (2 l1 l2 (1 − ν²)) / ρh / (l1 l2 / 4). With one mode and λ = 1 it is the cubic (Duffing) force c q³.
/// </remarks>
public sealed class TensionModulation : ModalNonlinearity
{
    private readonly double[] _lambda;

    /// <summary>Creates the force for eigenvalues λ (modes) and strength c.</summary>
    public TensionModulation(ReadOnlySpan<double> lambda, double coefficient)
    {
        _lambda = lambda.ToArray();
        Coefficient = coefficient;
    }

    /// <summary>The strength c (units of 1/(kg-normalised) so that f has units of acceleration per modal unit).</summary>
    public double Coefficient { get; }

    /// <summary>The eigenvalues λ_μ the stretch S is weighted by.</summary>
    public ReadOnlySpan<double> Lambda => _lambda;

    /// <summary>S(q) = Σ λ_ν q_ν².</summary>
    public double Stretch(ReadOnlySpan<double> q)
    {
        double s = 0;
        for (int i = 0; i < q.Length; i++) s += _lambda[i] * q[i] * q[i];
        return s;
    }

    /// <inheritdoc />
    public override void Evaluate(ReadOnlySpan<double> q, Span<double> force)
    {
        double cs = Coefficient * Stretch(q);
        for (int i = 0; i < q.Length; i++) force[i] = cs * _lambda[i] * q[i];
    }

    /// <inheritdoc />
    public override double Potential(ReadOnlySpan<double> q)
    {
        double s = Stretch(q);
        return 0.25 * Coefficient * s * s;
    }
}
