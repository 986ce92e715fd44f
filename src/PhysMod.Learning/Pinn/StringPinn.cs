using System.Diagnostics;
using PhysMod.Learning.Training;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Pinn;

/// <summary>Trains a physics-informed network for the linear string PDE with initial, boundary and residual losses, and compares
/// it with the modal solution.</summary>
/// <remarks>Loss and scaling in <see cref="StringPinnConfig"/>; the reference is the exact modal solution
/// w(x, t) = Σ_μ q_μ(t) sin(k_μ x)/(L/2) with q_μ(0) the Gaussian's Sturm–Liouville projections (Physics
/// <see cref="GaussianShape"/>) and q_μ(t) the damped oscillator's analytic solution with the coefficients of
/// <see cref="ModalSystem.ForString"/>.</remarks>
public static class StringPinn
{
    /// <summary>Runs one training and evaluates it; <paramref name="progress"/> receives every log entry.</summary>
    public static StringPinnResult Train(StringPinnConfig config, Action<PinnLogEntry>? progress = null)
    {
        config.Validate();
        var dtype = config.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var p = config.String;
        var a = StringPdeCoefficients.From(p, config.Duration);
        double[] positions = Enumerable.Range(0, config.GridPoints).Select(j => p.L * j / (config.GridPoints - 1)).ToArray();
        double[] times = Enumerable.Range(0, config.Frames).Select(n => config.Duration * n / (config.Frames - 1)).ToArray();
        double[] reference = ModalField(config, positions, times);

        using var generator = new Generator(unchecked((ulong)config.Seed));
        using var network = new FourierFeatureMlp("string_pinn", 2, config.Features, config.FeatureScale, config.NetworkWidth, config.Depth, generator, dtype);
        Tensor Field(Tensor x, Tensor t) => network.forward(cat(new[] { x, t }, 1));   // (N, 1)
        var parameters = network.named_parameters().Select(q => (q.name, q.parameter)).ToList();
        using var optimiser = Training.AdamW.Adam(parameters);
        var schedule = new OneCycleCosineSchedule(config.Epochs, config.PeakLearningRate);
        var clip = new GlobalNormClip(config.ClipNorm);
        var gradients = parameters.Select(q => q.parameter).ToList();
        double centre = config.Centre, width = config.Width;

        Tensor Uniform(int count) => rand(new long[] { count, 1 }, dtype: ScalarType.Float64, generator: generator).to_type(dtype);
        var log = new List<PinnLogEntry>();
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < config.Epochs; step++)
        {
            using var scope = NewDisposeScope();
            foreach (var g in gradients) g.grad?.zero_();
            var x = Uniform(config.Collocation).requires_grad_(true);
            var t = Uniform(config.Collocation).requires_grad_(true);
            var (_, r) = StringResidual.Evaluate(Field, x, t, a);
            var residual = r.Squared().mean() * config.ResidualWeight;

            var xi = Uniform(config.InitialPoints);
            var ti = zeros_like(xi).requires_grad_(true);
            var ui = Field(xi, ti);
            var shape = (-(xi - centre).Squared() / (2 * width * width)).exp();   // w₀/a at x̂
            var initialDisplacement = (ui - shape).Squared().mean() * config.InitialDisplacementWeight;
            var initialVelocity = PointwiseDerivative.Of(ui, ti).Squared().mean() * config.InitialVelocityWeight;

            var tb = Uniform(config.BoundaryPoints);
            var ends = cat(new[] { zeros_like(tb), ones_like(tb) }, 0);   // (2B, 1)
            var boundary = Field(ends, cat(new[] { tb, tb }, 0)).Squared().mean() * config.BoundaryWeight;

            var loss = residual + initialDisplacement + initialVelocity + boundary;
            loss.backward();
            clip.Apply(gradients.Select(g => g.grad).ToList());
            optimiser.Update(schedule.At(step));

            if (step % config.LogEvery == 0 || step == config.Epochs - 1)
            {
                static double Value(Tensor v) => v.to_type(ScalarType.Float64).item<double>();
                var entry = new PinnLogEntry(step, Value(loss), new Dictionary<string, double>
                {
                    ["residual"] = Value(residual), ["initial_displacement"] = Value(initialDisplacement),
                    ["initial_velocity"] = Value(initialVelocity), ["boundary"] = Value(boundary),
                });
                log.Add(entry);
                progress?.Invoke(entry);
            }
        }
        clock.Stop();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        if (!double.IsFinite(log[^1].Total)) throw new Physics.InvalidSettingException(
            $"string PINN training diverged (loss {log[^1].Total} at step {log[^1].Step}): lower the peak learning rate or the residual weight");

        double[] prediction;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var xs = tensor(positions.Select(x => x / p.L).ToArray(), dtype: dtype);        // (P)
            var ts = tensor(times.Select(t => t / config.Duration).ToArray(), dtype: dtype); // (F)
            var grid = meshgrid(new[] { ts, xs }, indexing: "ij");                            // 2 × (F, P)
            var u = Field(grid[1].reshape(-1, 1), grid[0].reshape(-1, 1)) * config.Amplitude; // (F·P, 1)
            prediction = u.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        }
        int points = positions.Length;
        double[] perFrame = new double[times.Length];
        for (int f = 0; f < times.Length; f++)
            perFrame[f] = OscillatorPinn.RelativeRms(prediction.AsSpan(f * points, points), reference.AsSpan(f * points, points), points);
        return new StringPinnResult(config, positions, times, prediction, reference, log,
            OscillatorPinn.RelativeRms(prediction, reference, prediction.Length), perFrame, clock.Elapsed.TotalSeconds, cpu);
    }

    /// <summary>The exact modal solution w(x, t) (m) on a grid, row-major. Shape: (times, positions).</summary>
    public static double[] ModalField(StringPinnConfig config, IReadOnlyList<double> positions, IReadOnlyList<double> times)
    {
        config.Validate();
        var p = config.String;
        var system = ModalSystem.ForString(p, config.ReferenceModes, tensionModulation: false);
        int modes = system.Modes;
        var q0 = new double[modes];
        var v0 = new double[modes];
        var shape = new GaussianShape(config.Amplitude, new Location(config.Centre * p.L), config.Width * p.L);
        shape.Validate(system.Basis);
        shape.InitialState(system, q0, v0);
        double[] r = system.Basis.ReconstructionMatrix(positions.Select(x => new Location(x)).ToArray());   // (P, modes)
        var field = new double[times.Count * positions.Count];
        var q = new double[modes];
        for (int f = 0; f < times.Count; f++)
        {
            for (int m = 0; m < modes; m++)
                q[m] = DampedOscillator.Displacement(Math.Sqrt(system.Omega2[m]), system.Gamma2[m], q0[m], v0[m], times[f]);
            for (int j = 0; j < positions.Count; j++)
            {
                double w = 0;
                for (int m = 0; m < modes; m++) w += r[j * modes + m] * q[m];
                field[f * positions.Count + j] = w;
            }
        }
        return field;
    }
}
