using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Simulation;

/// <summary>How to run a simulation: output rate, length, oversampling, pickup and field grid.</summary>
/// <param name="SampleRate">Output sample rate (Hz).</param>
/// <param name="Duration">Length (s); frame 0 is the initial state, round(Duration·SampleRate) frames in all.</param>
/// <param name="Pickup">Where displacement and velocity are read out (m).</param>
/// <param name="Oversample">Internal steps per output frame (Δt = 1/(SampleRate·Oversample)).</param>
/// <param name="GridPoints">Points per side of the uniform field grid including the boundary (0: no field).</param>
/// <param name="FieldFrames">How many leading frames of the field to keep (−1: all).</param>
public sealed record SimulationSettings(double SampleRate, double Duration, Location Pickup, int Oversample = 1, int GridPoints = 0, int FieldFrames = -1)
{
    /// <summary>Number of output frames.</summary>
    public int Frames => (int)Math.Round(Duration * SampleRate);

    /// <summary>Number of field frames actually kept.</summary>
    public int StoredFieldFrames => GridPoints == 0 ? 0 : FieldFrames < 0 ? Frames : Math.Min(FieldFrames, Frames);

    /// <summary>Checks rates, lengths and counts.</summary>
    public SimulationSettings Validate()
    {
        InvalidSettingException.RequirePositive("fs", SampleRate, "Hz");
        InvalidSettingException.RequirePositive("duration", Duration, "s");
        if (Frames < 2) throw new InvalidSettingException($"duration = {Duration:G6} s at fs = {SampleRate:G6} Hz gives {Frames} frames: need at least 2");
        if (Frames > 100_000_000) throw new InvalidSettingException($"duration·fs = {Frames} frames: at most 1e8 allowed");
        if (Oversample < 1 || Oversample > 1024) throw new InvalidSettingException($"oversample = {Oversample}: must be between 1 and 1024");
        if (GridPoints < 0 || GridPoints > 4096) throw new InvalidSettingException($"grid = {GridPoints}: must be between 0 (no field) and 4096");
        return this;
    }
}
