using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>How a simulation is set in motion: an initial modal state, a point force over time, or both.</summary>
public abstract class Excitation
{
    /// <summary>A short human-readable description with the resolved values, for metadata.</summary>
    public abstract string Describe();

    /// <summary>Checks positions and amplitudes against a basis; throws <see cref="InvalidSettingException"/>.</summary>
    public virtual void Validate(ModalBasis basis) { }

    /// <summary>Writes the initial modal displacement and velocity. Shapes: (modes). Default: at rest.</summary>
    public virtual void InitialState(ModalSystem system, Span<double> q0, Span<double> v0)
    {
        q0.Clear(); v0.Clear();
    }

    /// <summary>Where the point force acts, or null when there is no force.</summary>
    public virtual Location? ForceLocation => null;

    /// <summary>Time (s) after which the force stays zero: 0 without a force, +∞ when not known.</summary>
    public virtual double ForceEnd => ForceLocation is null ? 0 : double.PositiveInfinity;

    /// <summary>The point force f(t) in newtons (or the oscillator's force units) at time t seconds.</summary>
    public virtual double ForceAt(double time) => 0;
}
