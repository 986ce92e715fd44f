using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>A point force given as samples (e.g. read from a WAV), linearly interpolated in time, zero outside.</summary>
public sealed class SampledForce(float[] samples, double sampleRate, double gain, Location position, string source) : Excitation
{
    /// <summary>Where the force acts (m).</summary>
    public Location Position { get; } = position;

    /// <inheritdoc />
    public override string Describe() => $"force:file={source},gain={gain:G6},x={Position.X:G6},y={Position.Y:G6}";

    /// <inheritdoc />
    public override void Validate(ModalBasis basis)
    {
        basis.ValidateInside("force position", Position);
        InvalidSettingException.RequirePositive("force sample rate", sampleRate, "Hz");
    }

    /// <inheritdoc />
    public override Location? ForceLocation => Position;

    /// <inheritdoc />
    public override double ForceEnd => samples.Length / sampleRate;

    /// <inheritdoc />
    public override double ForceAt(double time)
    {
        double x = time * sampleRate;
        if (x < 0 || x > samples.Length - 1) return 0;
        int i = (int)x;
        double frac = x - i;
        double next = i + 1 < samples.Length ? samples[i + 1] : 0;
        return gain * (samples[i] * (1 - frac) + next * frac);
    }
}
