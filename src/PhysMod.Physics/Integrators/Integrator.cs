using System.Numerics;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Integrators;

/// <summary>A time-integration scheme for modal systems: its name, declared order, stability limit and stepper factory.</summary>
public sealed class Integrator
{
    private readonly Func<ModalSystem, double, bool, object> _doubleFactory, _singleFactory;

    private Integrator(string name, string description, int order, bool exactForLinear, double stabilityLimit,
        Func<ModalSystem, double, bool, ModalStepper<double>> doubleFactory,
        Func<ModalSystem, double, bool, ModalStepper<float>> singleFactory)
    {
        Name = name; Description = description; Order = order; ExactForLinear = exactForLinear; StabilityLimit = stabilityLimit;
        _doubleFactory = doubleFactory; _singleFactory = singleFactory;
    }

    /// <summary>Exact recursion, linear systems only.</summary>
    public static Integrator Exact { get; } = new("exact", "exact modal recursion (linear systems only)", int.MaxValue, true, Math.PI,
        (s, dt, f) => new ExactStepper<double>(s, dt, f), (s, dt, f) => new ExactStepper<float>(s, dt, f));

    /// <summary>Damped velocity Verlet, order 2, stable for ω·Δt &lt; 2.</summary>
    public static Integrator Verlet { get; } = new("verlet", "damped velocity Verlet (the neural-ODE step)", 2, false, 2,
        (s, dt, f) => new VelocityVerletStepper<double>(s, dt, f), (s, dt, f) => new VelocityVerletStepper<float>(s, dt, f));

    /// <summary>Two-step Störmer–Verlet, order 2, stable for ω·Δt &lt; 2.</summary>
    public static Integrator Stormer { get; } = new("stormer", "two-step Störmer–Verlet finite differences", 2, false, 2,
        (s, dt, f) => new StormerVerletStepper<double>(s, dt, f), (s, dt, f) => new StormerVerletStepper<float>(s, dt, f));

    /// <summary>Impulse-invariant two-step recursion, order 2 (exact when linear), for modes below Nyquist.</summary>
    public static Integrator ImpulseInvariant { get; } = new("impulse-invariant", "impulse-invariant two-step recursion (jaxdiffmodal solve_tf)", 2, true, Math.PI,
        (s, dt, f) => new ImpulseInvariantStepper<double>(s, dt, f), (s, dt, f) => new ImpulseInvariantStepper<float>(s, dt, f));

    /// <summary>Classical RK4, order 4, stable for ω·Δt &lt; 2√2.</summary>
    public static Integrator RungeKutta4 { get; } = new("rk4", "classical fourth-order Runge–Kutta", 4, false, 2 * Math.Sqrt(2),
        (s, dt, f) => new RungeKutta4Stepper<double>(s, dt, f), (s, dt, f) => new RungeKutta4Stepper<float>(s, dt, f));

    /// <summary>Energy-conserving tension-modulation scheme, order 2 (exact when linear), stable at any amplitude.</summary>
    public static Integrator Conservative { get; } = new("conservative", "energy-conserving scheme, exact when linear, stable at any amplitude (default)", 2, true, Math.PI,
        (s, dt, f) => new ConservativeStepper<double>(s, dt, f), (s, dt, f) => new ConservativeStepper<float>(s, dt, f));

    /// <summary>Every integrator, the default first.</summary>
    public static IReadOnlyList<Integrator> All { get; } = [Conservative, ImpulseInvariant, Exact, Verlet, Stormer, RungeKutta4];

    /// <summary>Command-line name.</summary>
    public string Name { get; }

    /// <summary>One-line description.</summary>
    public string Description { get; }

    /// <summary>Declared global order of convergence on nonlinear problems (int.MaxValue: exact, linear only).</summary>
    public int Order { get; }

    /// <summary>True when the scheme reproduces the linear system's sampled solution exactly.</summary>
    public bool ExactForLinear { get; }

    /// <summary>Largest ω_max·Δt the scheme accepts: its stability limit, or π (Nyquist) for the exact-linear schemes.</summary>
    public double StabilityLimit { get; }

    /// <summary>Looks an integrator up by name (aliases: tf for impulse-invariant, ec for conservative).</summary>
    public static Integrator Parse(string name)
    {
        string key = name.Trim().ToLowerInvariant() switch { "tf" => "impulse-invariant", "ec" => "conservative", var k => k };
        return All.FirstOrDefault(i => i.Name == key)
               ?? throw new InvalidSettingException($"unknown integrator '{name}': allowed are {string.Join(", ", All.Select(i => i.Name))}");
    }

    /// <summary>Refuses a step beyond the stability (or Nyquist) limit, suggesting the oversampling factor that fixes it.</summary>
    public void CheckStable(ModalSystem system, double sampleRate, int oversample)
    {
        double dt = 1 / (sampleRate * oversample);
        double x = system.MaxOmega * dt;
        if (x < StabilityLimit) return;
        int needed = (int)Math.Ceiling(system.MaxOmega / (sampleRate * StabilityLimit) * 1.0001);
        string limit = ExactForLinear ? "π (the highest mode must lie below the simulation's Nyquist frequency)" : $"{StabilityLimit:G4} (its stability limit)";
        throw new InvalidSettingException(
            $"integrator {Name}: ω_max·Δt = {x:G4} ≥ {limit} for {system.Modes} modes at {sampleRate * oversample:G6} Hz; " +
            $"use --oversample {Math.Max(needed, oversample + 1)} or more, or fewer modes");
    }

    /// <summary>Creates a stepper in precision T (double or float).</summary>
    public ModalStepper<T> CreateStepper<T>(ModalSystem system, double dt, bool forced) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (ModalStepper<T>)_doubleFactory(system, dt, forced);
        if (typeof(T) == typeof(float)) return (ModalStepper<T>)_singleFactory(system, dt, forced);
        throw new NotSupportedException($"precision {typeof(T).Name} is not supported: use double or float");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
