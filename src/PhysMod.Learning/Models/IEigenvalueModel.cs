namespace PhysMod.Learning.Models;

/// <summary>A trajectory model whose dynamics are (partly) linear per frame, so its eigenvalues read as damped sinusoids
/// that <c>physmod inspect</c> can list in Hz and seconds.</summary>
public interface IEigenvalueModel
{
    /// <summary>Every eigenvalue, grouped by the part of the model it belongs to (see <see cref="DiscreteEigenvalue.Group"/>).</summary>
    IReadOnlyList<DiscreteEigenvalue> Eigenvalues();
}
