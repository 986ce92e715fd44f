using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;

namespace PhysMod.Physics.Simulation;

/// <summary>Resolves a system name (string, plate, membrane, oscillator), a preset and parameter overrides into parameters
/// and a <see cref="ModalSystem"/>: the single entry point the command line and the dataset generator share.</summary>
public sealed class PhysicalSystem
{
    private PhysicalSystem(string kind, string preset, IPhysicalParameters parameters)
    {
        Kind = kind; Preset = preset; Parameters = parameters;
    }

    /// <summary>The system names.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["string", "plate", "membrane", "oscillator"];

    /// <summary>string, plate, membrane or oscillator.</summary>
    public string Kind { get; }

    /// <summary>The preset the parameters started from.</summary>
    public string Preset { get; }

    /// <summary>The resolved, validated parameters.</summary>
    public IPhysicalParameters Parameters { get; }

    /// <summary>Preset names of a system, default first.</summary>
    public static IReadOnlyList<string> PresetNames(string kind) => kind switch
    {
        "string" => StringParameters.Presets.Select(p => p.Name).ToArray(),
        "plate" => PlateParameters.PlatePresets.Select(p => p.Name).ToArray(),
        "membrane" => PlateParameters.MembranePresets.Select(p => p.Name).ToArray(),
        "oscillator" => ["damped", "cubic", "sinh"],
        _ => throw UnknownKind(kind),
    };

    /// <summary>Resolves a system, preset ("" for the default) and overrides; validates everything.</summary>
    public static PhysicalSystem Resolve(string kind, string preset, IEnumerable<KeyValuePair<string, double>> overrides)
    {
        var names = PresetNames(kind);
        string chosen = string.IsNullOrEmpty(preset) ? names[0] : preset;
        if (!names.Contains(chosen))
            throw new InvalidSettingException($"unknown {kind} preset '{preset}': allowed are {string.Join(", ", names)}");
        IPhysicalParameters p = kind switch
        {
            "string" => Apply(StringParameters.Presets.First(x => x.Name == chosen).Value, overrides, (s, k, v) => s.With(k, v)).Validate(),
            "plate" => Apply(PlateParameters.PlatePresets.First(x => x.Name == chosen).Value, overrides, (s, k, v) => s.With(k, v)).Validate(),
            "membrane" => Apply(PlateParameters.MembranePresets.First(x => x.Name == chosen).Value, overrides, (s, k, v) => s.With(k, v)).Validate(),
            _ => Apply(chosen switch
            {
                "cubic" => OscillatorParameters.Dafx25Cubic,
                "sinh" => OscillatorParameters.Dafx25Sinh,
                _ => OscillatorParameters.TutorialDamped,
            }, overrides, (s, k, v) => s.With(k, v)).Validate(),
        };
        return new PhysicalSystem(kind, chosen, p);
    }

    /// <summary>Builds the modal system; <paramref name="tensionCoefficient"/> replaces the physical strength c when given.</summary>
    public ModalSystem Build(int modes, bool tensionModulation, double? tensionCoefficient = null)
    {
        var system = Parameters switch
        {
            StringParameters s => ModalSystem.ForString(s, modes, tensionModulation),
            PlateParameters p => ModalSystem.ForPlate(p, modes, tensionModulation),
            OscillatorParameters o => tensionModulation ? ModalSystem.ForOscillator(o) : ModalSystem.ForOscillator(o with { Gamma = 0 }),
            _ => throw new InvalidOperationException("unknown parameter set"),
        };
        if (tensionCoefficient is { } c && system.Nonlinearity is TensionModulation)
            system = new ModalSystem(system.Basis, system.Lambda.ToArray(), system.Omega2.ToArray(), system.Gamma2.ToArray(),
                new TensionModulation(system.Lambda, c), system.InputScale);
        return system;
    }

    /// <summary>The number of modes whose frequency lies below 0.45 × the internal rate (all a string grid of N points can show: N − 1).</summary>
    public int AutoModes(double internalRate, int gridPoints)
    {
        if (Parameters is OscillatorParameters) return 1;
        int cap = Parameters is StringParameters && gridPoints > 1 ? Math.Min(gridPoints - 1, 512) : 512;
        var probe = Build(cap, tensionModulation: false);
        int count = 0;
        for (int i = 0; i < probe.Modes; i++)
            if (Math.Sqrt(probe.Omega2[i]) / (2 * Math.PI) < 0.45 * internalRate) count++;
        return Math.Max(1, count);
    }

    /// <summary>A location from fractions of the domain's sides (ignored for an oscillator).</summary>
    public Location FromFractions(double fx, double fy) => Parameters switch
    {
        StringParameters s => new Location(fx * s.L),
        PlateParameters p => new Location(fx * p.L1, fy * p.L2),
        _ => new Location(0),
    };

    private static T Apply<T>(T start, IEnumerable<KeyValuePair<string, double>> overrides, Func<T, string, double, T> with)
    {
        foreach (var (k, v) in overrides) start = with(start, k, v);
        return start;
    }

    private static InvalidSettingException UnknownKind(string kind) =>
        new($"unknown system '{kind}': allowed are {string.Join(", ", Kinds)}");
}
