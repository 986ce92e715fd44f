using System.Text.Json.Serialization;

namespace PhysMod.Physics.Datasets;

/// <summary>Everything that defines a dataset except its size and seed: the system, its physics, the simulation settings
/// and the ranges the random excitations are drawn from.</summary>
/// <remarks>Positions and widths in ranges are fractions of the length (l1 and l2 on a plate) so that a preset stays valid
/// when the length is changed; amplitudes are metres (initial shapes) or newtons (forces).</remarks>
public sealed record DatasetConfig
{
    /// <summary>Preset name or "custom".</summary>
    public string Name { get; init; } = "custom";

    /// <summary>string, plate, membrane or oscillator.</summary>
    public string System { get; init; } = "string";

    /// <summary>Physical preset of the system (see <c>physmod simulate --help</c>).</summary>
    public string Preset { get; init; } = "";

    /// <summary>Parameter overrides by spec name (e.g. T0, d1).</summary>
    public SortedDictionary<string, double> Overrides { get; init; } = new();

    /// <summary>Whether tension modulation (Kirchhoff–Carrier / Berger) is on.</summary>
    public bool TensionModulation { get; init; } = true;

    /// <summary>Replaces the physical tension-modulation strength c (the course notebooks' β), or null for the physical one.</summary>
    public double? TensionCoefficient { get; init; }

    /// <summary>Output sample rate (Hz).</summary>
    public double SampleRate { get; init; } = 16000;

    /// <summary>Duration (s) of the pickup signals.</summary>
    public double Duration { get; init; } = 1.0;

    /// <summary>Number of modes; 0 picks every mode below 0.45·fs·oversample (at most grid − 1 for a string).</summary>
    public int Modes { get; init; }

    /// <summary>Field grid points per side, including the boundary.</summary>
    public int GridPoints { get; init; } = 101;

    /// <summary>Leading frames of the field stored per trajectory.</summary>
    public int FieldFrames { get; init; } = 200;

    /// <summary>Integrator name.</summary>
    public string Integrator { get; init; } = "conservative";

    /// <summary>Internal steps per output frame.</summary>
    public int Oversample { get; init; } = 1;

    /// <summary>Pickup position as fractions of (l1, l2).</summary>
    public double PickupFractionX { get; init; } = 0.82;

    /// <summary>Pickup y position as a fraction of l2 (plates).</summary>
    public double PickupFractionY { get; init; } = 0.37;

    /// <summary>gaussian, pluck, random, push or strike.</summary>
    public string Excitation { get; init; } = "gaussian";

    /// <summary>Amplitude range: m for shapes, N for forces.</summary>
    public UniformRange Amplitude { get; init; } = new(0.002, 0.01);

    /// <summary>Excitation position range along x, fraction of the length.</summary>
    public UniformRange PositionX { get; init; } = new(0.2, 0.8);

    /// <summary>Excitation position range along y, fraction of l2 (plates).</summary>
    public UniformRange PositionY { get; init; } = new(0.2, 0.8);

    /// <summary>Gaussian width σ range, fraction of the length.</summary>
    public UniformRange Width { get; init; } = new(0.03, 0.08);

    /// <summary>Force duration range (s) for push/strike.</summary>
    public UniformRange ForceDuration { get; init; } = new(0.5e-3, 1.5e-3);

    /// <summary>Spectral decay exponent for random shapes.</summary>
    public double RandomDecay { get; init; } = 2;

    /// <summary>Fraction of trajectories (in stored order) used for training.</summary>
    public double TrainFraction { get; init; } = 0.8;

    /// <summary>Fraction used for validation; the rest is the test split.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Split sizes (train, validation, test) for <paramref name="count"/> trajectories.</summary>
    public (int Train, int Validation, int Test) Split(int count)
    {
        int train = (int)Math.Round(count * TrainFraction), validation = (int)Math.Round(count * ValidationFraction);
        validation = Math.Min(validation, count - train);
        return (train, validation, count - train - validation);
    }

    /// <summary>JSON options used for configs and metadata (snake_case, unknown keys rejected).</summary>
    [JsonIgnore]
    public static global::System.Text.Json.JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = global::System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
