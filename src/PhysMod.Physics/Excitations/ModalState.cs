using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>An explicit initial modal state (q⁰, q̇⁰), e.g. random modal coefficients drawn by a dataset generator.</summary>
public sealed class ModalState(double[] displacement, double[] velocity, string description) : Excitation
{
    /// <summary>q⁰. Shape: (modes).</summary>
    public IReadOnlyList<double> Displacement { get; } = displacement;

    /// <summary>q̇⁰. Shape: (modes).</summary>
    public IReadOnlyList<double> Velocity { get; } = velocity;

    /// <inheritdoc />
    public override string Describe() => description;

    /// <inheritdoc />
    public override void Validate(ModalBasis basis)
    {
        if (Displacement.Count != basis.Modes || Velocity.Count != basis.Modes)
            throw new InvalidSettingException($"modal state has {Displacement.Count} entries but the system has {basis.Modes} modes");
    }

    /// <inheritdoc />
    public override void InitialState(ModalSystem system, Span<double> q0, Span<double> v0)
    {
        for (int i = 0; i < system.Modes; i++) { q0[i] = Displacement[i]; v0[i] = Velocity[i]; }
    }
}
