using PhysMod.Physics;

namespace PhysMod.Realtime;

/// <summary>What <c>physmod render</c> asks of a voice source: rate, length, excitation and output signal.</summary>
/// <param name="SampleRate">Requested output rate in Hz, or null for the voice's own (a trained model's data rate).</param>
/// <param name="Duration">Length to render in seconds.</param>
/// <param name="Excitation">The <c>--excite</c> text (<c>kind[:key=value,...]</c>), or null for the source's default.</param>
/// <param name="Signal">Pickup displacement or velocity, for sources that offer both.</param>
public sealed record RenderSettings(double? SampleRate, double Duration, string? Excitation, PickupSignal Signal)
{
    /// <summary>Checks the rate and duration; throws <see cref="InvalidSettingException"/>.</summary>
    public RenderSettings Validate()
    {
        if (SampleRate is { } rate) InvalidSettingException.RequirePositive("fs", rate, "Hz");
        InvalidSettingException.RequirePositive("duration", Duration, "s");
        return this;
    }
}
