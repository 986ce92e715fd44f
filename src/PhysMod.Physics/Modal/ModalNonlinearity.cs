namespace PhysMod.Physics.Modal;

/// <summary>A conservative nonlinear modal force f_nl(q) = ∇V(q), subtracted in the modal equations.</summary>
public abstract class ModalNonlinearity
{
    /// <summary>Writes f_nl(q) into <paramref name="force"/>. Shapes: (modes).</summary>
    public abstract void Evaluate(ReadOnlySpan<double> q, Span<double> force);

    /// <summary>The potential V(q) whose gradient is the force (for energy checks).</summary>
    public abstract double Potential(ReadOnlySpan<double> q);
}
