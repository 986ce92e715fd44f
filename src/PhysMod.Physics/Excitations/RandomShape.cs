using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>Released from rest in a random smooth shape: Gaussian modal coefficients with power-law decay.</summary>
/// <remarks>q_μ = a ‖K‖² z_μ μ^{−p} / sqrt(Σ ν^{−2p}), z ~ N(0, 1) from <see cref="Rng"/> seeded by <see cref="Seed"/>,
/// so the RMS of the shape over the domain is about a/√2 whatever the number of modes.</remarks>
public sealed class RandomShape(double amplitude, int seed, double decay = 2) : Excitation
{
    /// <summary>Amplitude scale a (m).</summary>
    public double Amplitude { get; } = amplitude;

    /// <summary>Random seed.</summary>
    public int Seed { get; } = seed;

    /// <summary>Spectral decay exponent p.</summary>
    public double Decay { get; } = decay;

    /// <inheritdoc />
    public override string Describe() => $"random:a={Amplitude:G6},seed={Seed},decay={Decay:G6}";

    /// <inheritdoc />
    public override void Validate(ModalBasis basis)
    {
        if (!double.IsFinite(Amplitude)) throw new InvalidSettingException($"random amplitude a = {Amplitude}: must be finite");
        InvalidSettingException.RequireNonNegative("random decay", Decay, "");
    }

    /// <inheritdoc />
    public override void InitialState(ModalSystem system, Span<double> q0, Span<double> v0)
    {
        var rng = new Rng((ulong)Seed);
        double norm = 0;
        for (int i = 0; i < system.Modes; i++) norm += Math.Pow(i + 1, -2 * Decay);
        double scale = Amplitude * system.Basis.NormSquared / Math.Sqrt(norm);
        for (int i = 0; i < system.Modes; i++) q0[i] = scale * rng.NextGaussian() * Math.Pow(i + 1, -Decay);
        v0.Clear();
    }
}
