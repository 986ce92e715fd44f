using PhysMod.Physics;
using PhysMod.Physics.Parameters;

namespace PhysMod.Learning.Pinn;

/// <summary>Settings of the linear-string PINN (beyond the tutorial, whose slides give only the loss, spec §4).</summary>
/// <remarks>
/// The string starts at rest in a Gaussian w₀(x) = a exp(−(x − x₀)²/(2s²)) and is fixed at both ends. The network u(x̂, t̂)
/// (x̂ = x/L, t̂ = t/T, u = w/a) minimises
/// λ_r mean(r²) + λ_ic1 mean((u(x̂, 0) − w₀/a)²) + λ_ic2 mean(u_t̂(x̂, 0)²) + λ_bc mean(u(0, t̂)² + u(1, t̂)²)
/// with r from <see cref="StringResidual"/> and fresh uniform points every step. The default string is the nylon B string
/// without stiffness and d3 (I = 0, d3 = 0): the slides' operator ρA ∂t² + d1 ∂t − T0 ∂x². The network and loss weights
/// are the better of two measured settings (raw coordinates with λ_ic1 = 1, λ_r = 1e-2 learned the initial shape worse:
/// 61 % error at t = 0 against 6 %); the slides give no settings.
/// </remarks>
public sealed record StringPinnConfig
{
    /// <summary>The string (the modal reference uses the same parameters).</summary>
    public StringParameters String { get; init; } = StringParameters.NylonGuitarB with { I = 0, D3 = 0 };

    /// <summary>Simulated window T (s).</summary>
    public double Duration { get; init; } = 0.005;

    /// <summary>Gaussian peak a (m).</summary>
    public double Amplitude { get; init; } = 1e-3;

    /// <summary>Gaussian centre x₀ as a fraction of L.</summary>
    public double Centre { get; init; } = 0.3;

    /// <summary>Gaussian standard deviation s as a fraction of L.</summary>
    public double Width { get; init; } = 0.08;

    /// <summary>Modes of the modal reference solution.</summary>
    public int ReferenceModes { get; init; } = 200;

    /// <summary>Fourier frequencies on (x̂, t̂) (0 = raw coordinates).</summary>
    public int Features { get; init; } = 32;

    /// <summary>Standard deviation of the Fourier frequencies.</summary>
    public double FeatureScale { get; init; } = 2;

    /// <summary>Hidden width.</summary>
    public int NetworkWidth { get; init; } = 64;

    /// <summary>Depth (depth + 1 Linear layers).</summary>
    public int Depth { get; init; } = 4;

    /// <summary>Residual points per step.</summary>
    public int Collocation { get; init; } = 1024;

    /// <summary>Initial-condition points per step.</summary>
    public int InitialPoints { get; init; } = 256;

    /// <summary>Boundary points per step (per end).</summary>
    public int BoundaryPoints { get; init; } = 128;

    /// <summary>Training steps.</summary>
    public int Epochs { get; init; } = 5000;

    /// <summary>Peak learning rate of the one-cycle schedule.</summary>
    public double PeakLearningRate { get; init; } = 2e-3;

    /// <summary>Global gradient-norm clip (0 = none).</summary>
    public double ClipNorm { get; init; } = 1;

    /// <summary>λ_r.</summary>
    public double ResidualWeight { get; init; } = 1e-3;

    /// <summary>λ_ic1.</summary>
    public double InitialDisplacementWeight { get; init; } = 10;

    /// <summary>λ_ic2.</summary>
    public double InitialVelocityWeight { get; init; } = 1;

    /// <summary>λ_bc.</summary>
    public double BoundaryWeight { get; init; } = 1;

    /// <summary>Evaluation grid points along x (ends included).</summary>
    public int GridPoints { get; init; } = 101;

    /// <summary>Evaluation frames over [0, T] (ends included).</summary>
    public int Frames { get; init; } = 201;

    /// <summary>Seed of the initial weights, features and point draws.</summary>
    public long Seed { get; init; } = 3407;

    /// <summary>Train in float64 instead of float32.</summary>
    public bool Float64 { get; init; }

    /// <summary>Every how many steps the losses are logged.</summary>
    public int LogEvery { get; init; } = 50;

    /// <summary>Checks every setting; throws <see cref="InvalidSettingException"/> naming the first bad one.</summary>
    public StringPinnConfig Validate()
    {
        ArgumentNullException.ThrowIfNull(String);
        String.Validate();
        InvalidSettingException.RequirePositive("duration", Duration, "s");
        InvalidSettingException.RequirePositive("amplitude", Amplitude, "m");
        if (!(Centre > 0 && Centre < 1)) throw new InvalidSettingException($"centre = {Centre}: must be a fraction of L strictly between 0 and 1");
        if (!(Width > 0 && Width < 0.5)) throw new InvalidSettingException($"width = {Width}: must be a fraction of L between 0 and 0.5");
        OscillatorPinnConfig.RequireRange("reference modes", ReferenceModes, 1, 4096);
        OscillatorPinnConfig.RequireRange("features", Features, 0, 4096);
        InvalidSettingException.RequirePositive("feature scale", FeatureScale, "");
        OscillatorPinnConfig.RequireRange("width", NetworkWidth, 1, 4096);
        OscillatorPinnConfig.RequireRange("depth", Depth, 1, 64);
        OscillatorPinnConfig.RequireRange("collocation", Collocation, 1, 1_000_000);
        OscillatorPinnConfig.RequireRange("initial points", InitialPoints, 1, 1_000_000);
        OscillatorPinnConfig.RequireRange("boundary points", BoundaryPoints, 1, 1_000_000);
        OscillatorPinnConfig.RequireRange("epochs", Epochs, 1, 10_000_000);
        InvalidSettingException.RequirePositive("peak learning rate", PeakLearningRate, "");
        InvalidSettingException.RequireNonNegative("clip norm", ClipNorm, "");
        InvalidSettingException.RequireNonNegative("residual weight", ResidualWeight, "");
        InvalidSettingException.RequireNonNegative("initial displacement weight", InitialDisplacementWeight, "");
        InvalidSettingException.RequireNonNegative("initial velocity weight", InitialVelocityWeight, "");
        InvalidSettingException.RequireNonNegative("boundary weight", BoundaryWeight, "");
        OscillatorPinnConfig.RequireRange("grid points", GridPoints, 2, 100_000);
        OscillatorPinnConfig.RequireRange("frames", Frames, 2, 100_000);
        OscillatorPinnConfig.RequireRange("log every", LogEvery, 1, int.MaxValue);
        return this;
    }
}
