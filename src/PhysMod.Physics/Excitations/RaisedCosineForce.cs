using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>A point force shaped as a raised cosine: a strike (full pulse) or the DAFx25 "pluck" (half pulse, then release).</summary>
/// <remarks>
/// Strike: f(t) = (a/2)(1 − cos(2π(t − t₀)/T)) on [t₀, t₀ + T] (jaxdiffmodal create_1d_raised_cosine).
/// Half: f(t) = (a/2)(1 − cos(π(t − t₀)/T)) on [t₀, t₀ + T], rising to a and then cut (Zheleznov et al. type 1).
/// </remarks>
public sealed class RaisedCosineForce(double amplitude, Location position, double start, double duration, bool half) : Excitation
{
    /// <summary>Peak force a (N).</summary>
    public double Amplitude { get; } = amplitude;

    /// <summary>Where the force acts (m).</summary>
    public Location Position { get; } = position;

    /// <summary>Start time t₀ (s).</summary>
    public double Start { get; } = start;

    /// <summary>Duration T (s).</summary>
    public double Duration { get; } = duration;

    /// <summary>True for the half pulse.</summary>
    public bool Half { get; } = half;

    /// <inheritdoc />
    public override string Describe() =>
        $"{(Half ? "push" : "strike")}:x={Position.X:G6},y={Position.Y:G6},a={Amplitude:G6},t={Start:G6},dur={Duration:G6}";

    /// <inheritdoc />
    public override void Validate(ModalBasis basis)
    {
        basis.ValidateInside("force position", Position);
        InvalidSettingException.RequirePositive("force duration dur", Duration, "s");
        InvalidSettingException.RequireNonNegative("force start t", Start, "s");
        if (!double.IsFinite(Amplitude)) throw new InvalidSettingException($"force amplitude a = {Amplitude}: must be finite");
    }

    /// <inheritdoc />
    public override Location? ForceLocation => Position;

    /// <inheritdoc />
    public override double ForceEnd => Start + Duration;

    /// <inheritdoc />
    public override double ForceAt(double time)
    {
        double u = (time - Start) / Duration;
        if (u < 0 || u > 1) return 0;
        return 0.5 * Amplitude * (1 - Math.Cos((Half ? Math.PI : 2 * Math.PI) * u));
    }
}
