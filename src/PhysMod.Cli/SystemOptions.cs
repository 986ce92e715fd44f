using System.CommandLine;
using System.Globalization;
using PhysMod.Audio;
using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Simulation;

namespace PhysMod.Cli;

/// <summary>The options shared by <c>simulate</c> and <c>dataset</c>: system, preset, parameter overrides and simulation settings.</summary>
public sealed class SystemOptions
{
    /// <summary>The system argument.</summary>
    public Argument<string> System { get; } = new("system") { Description = "string, plate, membrane or oscillator (dataset also takes a dataset preset name)" };

    /// <summary>--preset.</summary>
    public Option<string> Preset { get; } = new("--preset") { Description = "physical preset: string nylon-b|guitar-d|bass|piano, plate steel, membrane mylar, oscillator damped|cubic|sinh" };

    /// <summary>--set name=value (repeatable).</summary>
    public Option<string[]> Set { get; } = new("--set") { Description = "override a physical parameter by its spec name, e.g. --set T0=70 --set d1=1e-3", AllowMultipleArgumentsPerToken = false };

    /// <summary>--excite SPEC.</summary>
    public Option<string> Excite { get; } = new("--excite") { Description = "kind[:key=value,...]: pluck, gaussian, random, strike, push, state, force (positions in metres)" };

    /// <summary>--integrator NAME.</summary>
    public Option<string> Integrator { get; } = new("--integrator") { Description = "conservative (default), impulse-invariant, exact, verlet, stormer, rk4" };

    /// <summary>--fs HZ.</summary>
    public Option<double?> SampleRate { get; } = new("--fs") { Description = "output sample rate in Hz" };

    /// <summary>--duration S.</summary>
    public Option<double?> Duration { get; } = new("--duration") { Description = "duration in seconds" };

    /// <summary>--modes N.</summary>
    public Option<int?> Modes { get; } = new("--modes") { Description = "number of modes (default: all below 0.45·fs·oversample)" };

    /// <summary>--pickup X[,Y].</summary>
    public Option<string> Pickup { get; } = new("--pickup") { Description = "pickup position in metres: X for a string, X,Y for a plate (default 0.82·L)" };

    /// <summary>--grid N.</summary>
    public Option<int?> Grid { get; } = new("--grid") { Description = "field grid points (per side) including the boundary; 0 = no field" };

    /// <summary>--oversample M.</summary>
    public Option<int?> Oversample { get; } = new("--oversample") { Description = "internal steps per output sample" };

    /// <summary>--linear: no tension modulation.</summary>
    public Option<bool> Linear { get; } = new("--linear") { Description = "switch tension modulation (the nonlinearity) off" };

    /// <summary>Adds the shared options (and optionally the system argument) to a command.</summary>
    public void AddTo(Command command, bool withSystemArgument = true)
    {
        if (withSystemArgument) command.Arguments.Add(System);
        foreach (Option option in new Option[] { Preset, Set, Excite, Integrator, SampleRate, Duration, Modes, Pickup, Grid, Oversample, Linear })
            command.Options.Add(option);
    }

    /// <summary>Parses the repeated --set name=value pairs.</summary>
    public static SortedDictionary<string, double> ParseOverrides(IEnumerable<string>? pairs)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || !double.TryParse(pair[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new InvalidSettingException($"--set '{pair}': expected name=number, e.g. T0=70");
            result[pair[..eq].Trim()] = value;
        }
        return result;
    }

    /// <summary>Parses a pickup "X" or "X,Y" in metres.</summary>
    public static PhysMod.Physics.Modal.Location ParseLocation(string name, string text)
    {
        var parts = text.Split(',');
        var numbers = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                throw new InvalidSettingException($"{name} = '{text}': expected X or X,Y in metres");
        return parts.Length switch
        {
            1 => new(numbers[0]),
            2 => new(numbers[0], numbers[1]),
            _ => throw new InvalidSettingException($"{name} = '{text}': expected X or X,Y in metres"),
        };
    }

    /// <summary>Reads a mono WAV as a force signal.</summary>
    public static (float[] Samples, double SampleRate) LoadForce(string path)
    {
        var audio = WavFile.Read(path);
        return (audio.Samples, audio.SampleRate);
    }

    /// <summary>Parses an excitation for a system.</summary>
    public static Excitation ParseExcitation(string? text, PhysicalSystem system, PhysMod.Physics.Modal.ModalBasis basis) =>
        ExcitationSpec.Parse(text ?? ExcitationSpec.DefaultFor(system.Kind, system.Preset), basis, LoadForce);
}
