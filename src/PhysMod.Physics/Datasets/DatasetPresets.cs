namespace PhysMod.Physics.Datasets;

/// <summary>Named dataset recipes: the tutorial's string benchmark, the course's small FNO set and the DAFx25 oscillators.</summary>
public static class DatasetPresets
{
    /// <summary>The tutorial's string dataset (spec §6.1), regenerated: tension-modulated nylon string, Gaussian initial
    /// displacements of 2–10 mm, 16 kHz, 1 s, 101 grid points, field stored for 200 frames, pickup for the whole second.</summary>
    public static DatasetConfig StringBenchmark { get; } = new() { Name = "string-benchmark" };

    /// <summary>The course's 12-mode FNO generator (spec §6.4): β = 3e9, 44.1 kHz, 64 steps, 64 grid points, velocity Verlet,
    /// q₀ = U(8e-5, 3e-4)·e^{−0.35 m}·N(0, 1).</summary>
    public static DatasetConfig StringSmall { get; } = new()
    {
        Name = "string-small", Modes = 12, TensionCoefficient = 3e9, SampleRate = 44100, Duration = 64 / 44100.0,
        GridPoints = 64, FieldFrames = 64, Integrator = "verlet", Excitation = "course-random", Amplitude = new(8e-5, 3e-4),
    };

    /// <summary>Zheleznov et al. DAFx25 cubic oscillator: driven from rest by a half raised-cosine push, A ∈ [4e6, 5e6],
    /// T ∈ [0.5, 1.5] ms, 44.1 kHz, 1 s, velocity Verlet; the field is the state (q, q̇).</summary>
    public static DatasetConfig Dafx25Cubic { get; } = new()
    {
        Name = "dafx25-cubic", System = "oscillator", Preset = "cubic", SampleRate = 44100, Duration = 1, GridPoints = 1,
        FieldFrames = -1, Integrator = "verlet", Excitation = "push", Amplitude = new(4e6, 5e6), ForceDuration = new(0.5e-3, 1.5e-3),
        TrainFraction = 0.8, ValidationFraction = 0.2,
    };

    /// <summary>As <see cref="Dafx25Cubic"/> with the sinh restoring force.</summary>
    public static DatasetConfig Dafx25Sinh { get; } = Dafx25Cubic with { Name = "dafx25-sinh", Preset = "sinh" };

    /// <summary>All presets by name.</summary>
    public static IReadOnlyList<DatasetConfig> All { get; } = [StringBenchmark, StringSmall, Dafx25Cubic, Dafx25Sinh];

    /// <summary>The preset of that name, or null.</summary>
    public static DatasetConfig? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
