using System.Diagnostics;
using PhysMod.Learning.Training;
using PhysMod.Physics.Modal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Pinn;

/// <summary>Trains a physics-informed network q(t) for the damped harmonic oscillator, forward or inverse (spec §4).</summary>
/// <remarks>
/// q̈ + σ₂ q̇ + ω₀² q = 0, q(0) = q₀, q̇(0) = v₀; loss and settings in <see cref="OscillatorPinnConfig"/>. Derivatives of the
/// network are exact (autograd, <see cref="PointwiseDerivative"/>); the reference is the analytic solution of
/// <see cref="DampedOscillator"/>.
/// </remarks>
public static class OscillatorPinn
{
    /// <summary>Runs one training and evaluates it; <paramref name="progress"/> receives every log entry.</summary>
    public static OscillatorPinnResult Train(OscillatorPinnConfig config, PinnProblem problem, Action<PinnLogEntry>? progress = null)
    {
        config.Validate();
        var dtype = config.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        int n = config.Samples;
        double[] times = Enumerable.Range(0, n).Select(i => i / config.SampleRate).ToArray();
        double[] truth = times.Select(t => DampedOscillator.Displacement(config.Omega0, config.Sigma2, config.Q0, config.V0, t)).ToArray();
        int[] dataIndex = problem == PinnProblem.Inverse
            ? Enumerable.Range(0, config.DataPoints).Select(i => i * config.DataStride).ToArray()
            : [];
        double[] dataTimes = dataIndex.Select(i => times[i]).ToArray(), dataValues = dataIndex.Select(i => truth[i]).ToArray();
        double tLast = times[^1];

        using var generator = new Generator(unchecked((ulong)config.Seed));
        using var network = new FourierFeatureMlp("pinn", 1, config.Features, config.FeatureScale, config.Width, config.Depth, generator, dtype);
        bool inverse = problem == PinnProblem.Inverse;
        using var logSigma2 = new Parameter(tensor(new[] { Math.Log(inverse ? config.Sigma2Initial : config.Sigma2) }, dtype: dtype), requires_grad: inverse);
        using var logOmega0 = new Parameter(tensor(new[] { Math.Log(inverse ? config.Omega0Initial : config.Omega0) }, dtype: dtype), requires_grad: inverse);
        var parameters = network.named_parameters().Select(p => ("network." + p.name, p.parameter)).ToList();
        if (inverse) parameters.AddRange([("log_sigma2", logSigma2), ("log_omega0", logOmega0)]);
        using var optimiser = Training.AdamW.Adam(parameters);
        var schedule = new OneCycleCosineSchedule(config.Epochs, config.PeakLearningRate);
        var clip = new GlobalNormClip(config.ClipNorm);
        var gradientList = new List<Parameter>(parameters.Select(p => p.Item2));

        using var dataT = tensor(dataTimes, dtype: dtype).reshape(-1, 1);   // (D, 1)
        using var dataQ = tensor(dataValues, dtype: dtype).reshape(-1, 1);  // (D, 1)
        double[] initial = Evaluate(network, times, dtype);

        var log = new List<PinnLogEntry>();
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < config.Epochs; step++)
        {
            using var scope = NewDisposeScope();
            foreach (var p in gradientList) p.grad?.zero_();
            var sigma2 = logSigma2.exp();
            var omega0 = logOmega0.exp();
            var t = (rand(new long[] { config.Collocation, 1 }, dtype: ScalarType.Float64, generator: generator) * tLast).to_type(dtype).requires_grad_(true);
            var (_, _, _, residual) = OscillatorResidual.Evaluate(network.forward, t, sigma2, omega0);
            var physics = residual.Squared().mean() * config.PhysicsWeight;

            var zero = zeros(new long[] { 1, 1 }, dtype: dtype).requires_grad_(true);
            var q0 = network.forward(zero);
            var v0 = PointwiseDerivative.Of(q0, zero);
            var icQ = (q0 - config.Q0).Squared().sum() * config.InitialDisplacementWeight;
            var icV = (v0 - config.V0).Squared().sum() * config.InitialVelocityWeight;
            var loss = physics + icQ + icV;
            Tensor? data = null;
            if (inverse)
            {
                data = (network.forward(dataT) - dataQ).Squared().mean() * config.DataWeight;
                loss = loss + data;
            }
            loss.backward();
            clip.Apply(gradientList.Select(p => p.grad).ToList());
            optimiser.Update(schedule.At(step));

            if (step % config.LogEvery == 0 || step == config.Epochs - 1)
            {
                var terms = new Dictionary<string, double>
                {
                    ["physics"] = physics.to_type(ScalarType.Float64).item<double>(),
                    ["initial_displacement"] = icQ.to_type(ScalarType.Float64).item<double>(),
                    ["initial_velocity"] = icV.to_type(ScalarType.Float64).item<double>(),
                    ["data"] = data?.to_type(ScalarType.Float64).item<double>() ?? 0,
                    ["sigma2"] = sigma2.to_type(ScalarType.Float64).item<double>(),
                    ["omega0"] = omega0.to_type(ScalarType.Float64).item<double>(),
                };
                var entry = new PinnLogEntry(step, loss.to_type(ScalarType.Float64).item<double>(), terms);
                log.Add(entry);
                progress?.Invoke(entry);
            }
        }
        clock.Stop();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        if (!double.IsFinite(log[^1].Total)) throw new Physics.InvalidSettingException(
            $"PINN training diverged (loss {log[^1].Total} at step {log[^1].Step}): lower the peak learning rate or the physics weight");

        double[] prediction = Evaluate(network, times, dtype);
        double finalSigma2, finalOmega0;
        using (no_grad())
        {
            finalSigma2 = logSigma2.exp().to_type(ScalarType.Float64).item<double>();
            finalOmega0 = logOmega0.exp().to_type(ScalarType.Float64).item<double>();
        }
        return new OscillatorPinnResult(config, problem, times, truth, initial, prediction, dataTimes, dataValues, log, finalSigma2, finalOmega0,
            RelativeRms(prediction, truth, n), RelativeRms(prediction, truth, n / 3), clock.Elapsed.TotalSeconds, cpu);
    }

    /// <summary>‖a − b‖_rms / ‖b‖_rms over the first <paramref name="count"/> samples.</summary>
    public static double RelativeRms(ReadOnlySpan<double> estimate, ReadOnlySpan<double> reference, int count)
    {
        double error = 0, norm = 0;
        for (int i = 0; i < count; i++)
        {
            error += (estimate[i] - reference[i]) * (estimate[i] - reference[i]);
            norm += reference[i] * reference[i];
        }
        return Math.Sqrt(error / norm);
    }

    private static double[] Evaluate(FourierFeatureMlp network, double[] times, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var t = tensor(times, dtype: dtype).reshape(-1, 1);   // (T, 1)
        return network.forward(t).to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
    }
}
