using PhysMod.Physics;

namespace PhysMod.Learning.Pinn;

/// <summary>Settings of the damped-oscillator PINN; the defaults are the tutorial's (TUT PINNs.ipynb, spec §4).</summary>
/// <remarks>
/// Loss = w_phys·mean(r²) + w_q·(q(0) − q₀)² + w_v·(q̇(0) − v₀)² + w_data·mean((q(tᵢ) − yᵢ)²) with r = q̈ + σ₂ q̇ + ω₀² q at
/// <see cref="Collocation"/> times t ~ U(0, t_last) drawn afresh every step, and data yᵢ = q(tᵢ) at every
/// <see cref="DataStride"/>-th sample of the first third of the grid. σ₂ = exp(s), ω₀ = exp(o) with s, o trained (the course
/// notebook's log parameterisation; the tutorial trains σ₂ and ω₀ directly). Adam with one-cycle cosine learning rate and
/// global-norm clipping.
/// </remarks>
public sealed record OscillatorPinnConfig
{
    /// <summary>True natural angular frequency ω₀ (rad/s).</summary>
    public double Omega0 { get; init; } = 30;

    /// <summary>True damping σ₂ = 2σ (1/s).</summary>
    public double Sigma2 { get; init; } = 3.5;

    /// <summary>Initial displacement q₀.</summary>
    public double Q0 { get; init; } = 0.75;

    /// <summary>Initial velocity v₀.</summary>
    public double V0 { get; init; }

    /// <summary>Sample rate of the evaluation grid (Hz).</summary>
    public double SampleRate { get; init; } = 1000;

    /// <summary>Samples of the evaluation grid, t = n / sample rate.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Every how many samples of the first third a data point is taken (10 → 34 points).</summary>
    public int DataStride { get; init; } = 10;

    /// <summary>Fourier frequencies n_f.</summary>
    public int Features { get; init; } = 64;

    /// <summary>Standard deviation of the Fourier frequencies (1/s).</summary>
    public double FeatureScale { get; init; } = 5;

    /// <summary>Hidden width.</summary>
    public int Width { get; init; } = 128;

    /// <summary>Depth (depth + 1 Linear layers).</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Collocation points per step.</summary>
    public int Collocation { get; init; } = 256;

    /// <summary>Training steps.</summary>
    public int Epochs { get; init; } = 10000;

    /// <summary>Peak learning rate of the one-cycle schedule.</summary>
    public double PeakLearningRate { get; init; } = 2e-3;

    /// <summary>Global gradient-norm clip (0 = none).</summary>
    public double ClipNorm { get; init; } = 1;

    /// <summary>Weight of the mean squared residual.</summary>
    public double PhysicsWeight { get; init; } = 1e-4;

    /// <summary>Weight of the squared initial-displacement error.</summary>
    public double InitialDisplacementWeight { get; init; } = 1;

    /// <summary>Weight of the squared initial-velocity error.</summary>
    public double InitialVelocityWeight { get; init; } = 1;

    /// <summary>Weight of the data MSE (used by the inverse problem only).</summary>
    public double DataWeight { get; init; } = 0.1;

    /// <summary>Initial guess of σ₂ (inverse problem).</summary>
    public double Sigma2Initial { get; init; } = 5;

    /// <summary>Initial guess of ω₀ (inverse problem).</summary>
    public double Omega0Initial { get; init; } = 20;

    /// <summary>Seed of the features, the initial weights and the collocation draws.</summary>
    public long Seed { get; init; } = 3407;

    /// <summary>Train in float64 instead of float32.</summary>
    public bool Float64 { get; init; }

    /// <summary>Every how many steps the losses and parameters are logged.</summary>
    public int LogEvery { get; init; } = 100;

    /// <summary>Number of data points: every stride-th sample of the first ⌊samples/3⌋.</summary>
    public int DataPoints => (Samples / 3 + DataStride - 1) / DataStride;

    /// <summary>Checks every setting; throws <see cref="InvalidSettingException"/> naming the first bad one.</summary>
    public OscillatorPinnConfig Validate()
    {
        InvalidSettingException.RequirePositive("omega0", Omega0, "rad/s");
        InvalidSettingException.RequirePositive("sigma2", Sigma2, "1/s");
        if (Sigma2 / 2 >= Omega0) throw new InvalidSettingException($"sigma2 = {Sigma2}: must be below 2·omega0 = {2 * Omega0} (underdamped)");
        if (!double.IsFinite(Q0) || !double.IsFinite(V0) || (Q0 == 0 && V0 == 0))
            throw new InvalidSettingException($"initial state q0 = {Q0}, v0 = {V0}: must be finite and not both zero");
        InvalidSettingException.RequirePositive("sample rate", SampleRate, "Hz");
        RequireRange("samples", Samples, 6, 1_000_000);
        RequireRange("data stride", DataStride, 1, Samples / 3);
        RequireRange("features", Features, 0, 4096);
        InvalidSettingException.RequirePositive("feature scale", FeatureScale, "1/s");
        RequireRange("width", Width, 1, 4096);
        RequireRange("depth", Depth, 1, 64);
        RequireRange("collocation", Collocation, 1, 1_000_000);
        RequireRange("epochs", Epochs, 1, 10_000_000);
        InvalidSettingException.RequirePositive("peak learning rate", PeakLearningRate, "");
        InvalidSettingException.RequireNonNegative("clip norm", ClipNorm, "");
        InvalidSettingException.RequireNonNegative("physics weight", PhysicsWeight, "");
        InvalidSettingException.RequireNonNegative("initial displacement weight", InitialDisplacementWeight, "");
        InvalidSettingException.RequireNonNegative("initial velocity weight", InitialVelocityWeight, "");
        InvalidSettingException.RequireNonNegative("data weight", DataWeight, "");
        InvalidSettingException.RequirePositive("sigma2 initial guess", Sigma2Initial, "1/s");
        InvalidSettingException.RequirePositive("omega0 initial guess", Omega0Initial, "rad/s");
        RequireRange("log every", LogEvery, 1, int.MaxValue);
        return this;
    }

    internal static void RequireRange(string name, long value, long min, long max)
    {
        if (value < min || value > max) throw new InvalidSettingException($"{name} = {value}: must be between {min} and {max}");
    }
}
