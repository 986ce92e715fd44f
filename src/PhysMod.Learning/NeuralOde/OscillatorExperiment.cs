using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.IO;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Physics.Simulation;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The DAFx25 nonlinear oscillators (Zheleznov et al. 2025) as a neural ODE: the linear part (ω₀, σ₂) is known and an MLP
/// learns the restoring force, trained on short windows of the dafx25-cubic / dafx25-sinh trajectories and tested on held-out ones.</summary>
/// <remarks>
/// Truth: q̈ + σ₂ q̇ + ω₀² q + γ² nl(q) = f(t), nl = q³ or sinh q, ω₀ = 400 rad/s, σ₂ = 0, γ = 110, pushed from rest by a half
/// raised cosine (dataset presets dafx25-cubic / dafx25-sinh: the same draws as <c>physmod dataset … --seed S</c>).
/// Model: q̈ = −σ₂ q̇ − ω₀² q − ĝ(q) + f with ĝ(q) = ω₀² q_max · MLP(q / q_max) (q_max = max |q| of the training data; MLP 1 → W → W → 1,
/// leaky ReLU, Kaiming-normal weights, as the paper's 100×100), damped velocity Verlet. Loss: <see cref="WindowedRollout"/> on random
/// windows of <c>window</c> steps started from true states, normalised by the RMS of q and q̇ (the paper: MSE of the state over
/// 1 ms slices). Adam. Test: every held-out trajectory rolled out from rest over its whole length.
/// </remarks>
public static class OscillatorExperiment
{
    /// <summary>Ground truth of a dafx25 dataset: q, q̇ and the force per frame for every trajectory, and the system.</summary>
    public sealed record OscillatorData(ModalSystem System, OscillatorParameters Parameters, Tensor Q, Tensor V, Tensor F, int Train, int HeldOut, double Dt);

    /// <summary>Simulates trajectories 0 … K−1 of the dafx25 preset (float64, the same draws and integrator as the dataset generator).</summary>
    public static OscillatorData Simulate(string oscillator, int trajectories, int frames, double sampleRate, ulong seed)
    {
        var config = (oscillator == "sinh" ? DatasetPresets.Dafx25Sinh : DatasetPresets.Dafx25Cubic) with
        {
            SampleRate = sampleRate, Duration = frames / sampleRate, GridPoints = 0,
        };
        var physical = PhysicalSystem.Resolve(config.System, config.Preset, config.Overrides);
        var system = physical.Build(1, config.TensionModulation, config.TensionCoefficient);
        var integrator = Integrator.Parse(config.Integrator);
        var settings = new SimulationSettings(sampleRate, config.Duration, physical.FromFractions(config.PickupFractionX, config.PickupFractionY)).Validate();
        if (settings.Frames != frames) throw new InvalidOperationException($"{settings.Frames} frames simulated, {frames} asked");
        double dt = 1 / sampleRate;
        var q = new double[trajectories * frames];
        var v = new double[trajectories * frames];
        var f = new double[trajectories * frames];
        for (int k = 0; k < trajectories; k++)
        {
            var (excitation, _) = DatasetGenerator.Draw(config, physical, system, seed, k);
            var result = Simulator.Run(system, excitation, integrator, settings);
            result.PickupDisplacement.CopyTo(q, k * frames);
            result.PickupVelocity.CopyTo(v, k * frames);
            for (int n = 0; n < frames; n++) f[k * frames + n] = system.InputScale * excitation.ForceAt(n * dt);
        }
        var (train, heldOut, _) = config.Split(trajectories);
        if (train < 1 || heldOut < 1) throw new InvalidSettingException($"trajectories = {trajectories}: need at least one training and one held-out trajectory");
        long[] shape = [trajectories, frames];
        return new OscillatorData(system, (OscillatorParameters)physical.Parameters, tensor(q, shape, float64), tensor(v, shape, float64),
            tensor(f, shape, float64), train, heldOut, dt);
    }

    /// <summary>Runs training and the held-out test; <paramref name="file"/> maps an output name to its path (null: no files).</summary>
    public static OscillatorReport Run(NodeConfig config, Func<string, string>? file, Action<string>? log = null)
    {
        config.Validate();
        if (config.Experiment != "dafx25") throw new InvalidSettingException($"experiment = '{config.Experiment}': this runner is for dafx25");
        set_num_threads(config.Threads);
        int frames = config.TrainFrames;
        if (config.Window >= frames - 1) throw new InvalidSettingException($"window = {config.Window}: must be shorter than train_frames − 1 = {frames - 1}");
        var data = Simulate(config.Oscillator, config.Trajectories, frames, config.SampleRate, (ulong)config.Seed);
        var p = data.Parameters;
        int train = data.Train, heldOut = data.HeldOut;
        var trainQ = data.Q[..train].reshape(-1, 1);   // (K·T, 1)
        var trainV = data.V[..train].reshape(-1, 1);
        var trainF = data.F[..train].reshape(-1, 1);
        double qMax = trainQ.abs().max().item<double>();
        double qRms = trainQ.Squared().mean().sqrt().item<double>(), vRms = trainV.Squared().mean().sqrt().item<double>();
        var mlp = new FeedForwardMlp(1, 1, config.MlpWidth, config.MlpDepth, "leaky_relu", "kaiming", 1.0, new TorchSharp.torch.Generator((ulong)config.Seed));
        double forceScale = p.Omega0 * p.Omega0 * qMax;
        Tensor Force(Tensor q) => forceScale * mlp.forward(q / qMax);   // (B, 1) → (B, 1)
        var omega2 = tensor(new[] { p.Omega0 * p.Omega0 }, float64);
        var gamma2 = tensor(new[] { p.Sigma2 }, float64);
        var one = tensor(new[] { 1.0 }, float64);
        var learned = new ModalCoefficients(omega2, gamma2, one, null, Force);
        var linear = new ModalCoefficients(omega2, gamma2, one);
        var integrator = RecurrentIntegrator.Verlet;
        var sampler = new WindowedRollout(trainQ, trainV, config.Window, qRms, vRms, trainF);

        var heldQ = data.Q[train..(train + heldOut)];   // (H, T)
        var heldV = data.V[train..(train + heldOut)];
        var heldF = data.F[train..(train + heldOut)];
        var (initialQ, _) = Rollout(learned, heldF, data.Dt);
        double initialError = MeanRelative(initialQ, heldQ, frames);

        var parameters = mlp.named_parameters().ToList();
        var generator = new TorchSharp.torch.Generator((ulong)config.Seed + 1);
        var watch = Stopwatch.StartNew();
        var losses = NodeUpdates.Run(parameters, config.Updates, NodeUpdates.Schedule(config.OneCycle, config.Updates, config.LearningRate), config.Clip,
            _ =>
            {
                var which = randint(0, train, new long[] { config.Windows }, dtype: int64, generator: generator);
                var offset = randint(0, frames - config.Window, new long[] { config.Windows }, dtype: int64, generator: generator);
                return sampler.Loss(learned, integrator, data.Dt, which * frames + offset);
            }, log);
        watch.Stop();

        var (modelQ, modelV) = Rollout(learned, heldF, data.Dt);
        var (linearQ, _) = Rollout(linear, heldF, data.Dt);
        int first = Math.Min(frames, (int)Math.Round(0.1 * config.SampleRate));
        var grid = linspace(-qMax, qMax, 401, dtype: float64);
        double[] trueCurve = TrueForce(data.System, grid.data<double>().ToArray());
        double[] learnedCurve;
        double stateForceError;
        using (no_grad())
        {
            learnedCurve = Force(grid.unsqueeze(1)).squeeze(1).data<double>().ToArray();
            var states = heldQ.reshape(-1, 1);
            var trueAtStates = tensor(TrueForce(data.System, states.squeeze(1).data<double>().ToArray()), float64);
            stateForceError = ((Force(states).squeeze(1) - trueAtStates).norm() / trueAtStates.norm()).item<double>();
        }
        var perTrajectory = Enumerable.Range(0, heldOut).Select(k => Relative(modelQ[k], heldQ[k])).ToArray();
        var report = new OscillatorReport
        {
            Oscillator = config.Oscillator, TrainTrajectories = train, HeldOutTrajectories = heldOut, Frames = frames, QMax = qMax,
            OutputError = perTrajectory.Average(), VelocityError = MeanRelative(modelV, heldV, frames),
            OutputErrorFirst100Ms = MeanRelative(modelQ, heldQ, first), LinearOutputError = MeanRelative(linearQ, heldQ, frames),
            InitialOutputError = initialError,
            ForceCurveError = Math.Sqrt(NodeOutputs.NormalisedError(learnedCurve, trueCurve)),
            ForceErrorOnHeldOutStates = stateForceError, HeldOutOutputErrors = perTrajectory,
            InitialLoss = losses.Count > 0 ? losses[0] : double.NaN, FinalLoss = losses.Count > 0 ? losses.TakeLast(50).Average() : double.NaN,
            Updates = losses.Count, TrainingSeconds = watch.Elapsed.TotalSeconds,
        };
        if (file is not null)
        {
            double[] qs = grid.data<double>().ToArray();
            string name = config.Oscillator == "sinh" ? "γ² sinh(q)" : "γ² q³";
            Plots.Curves(file("force_curve.png"), [($"true {name}", qs, trueCurve), ("learned ĝ(q)", qs, learnedCurve)],
                $"DAFx25 {config.Oscillator} oscillator: restoring force (training range)", "q", "force (1/s²)");
            int shown = Math.Min(frames, (int)Math.Round(0.05 * config.SampleRate));
            double[] target = heldQ[0].data<double>().ToArray(), model = modelQ[0].data<double>().ToArray(), lin = linearQ[0].data<double>().ToArray();
            Plots.Waveform(file("heldout.png"), [("target", target[..shown]), ("neural ODE", model[..shown]), ("linear part only", lin[..shown])],
                config.SampleRate, $"held-out trajectory {train} (first 50 ms)", "q");
            var steps = Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray();
            Plots.LossCurves(file("loss.png"), [("window loss", steps, losses.ToArray())], $"DAFx25 {config.Oscillator}: training loss", "log10 loss");
            int audio = Math.Min(frames, (int)Math.Round(config.AudioSeconds * config.SampleRate));
            NodeOutputs.WriteWav(file("heldout_target.wav"), target[..audio], config.SampleRate);
            NodeOutputs.WriteWav(file("heldout_model.wav"), model[..audio], config.SampleRate);
            NodeOutputs.WriteWav(file("heldout_linear.wav"), lin[..audio], config.SampleRate);
            AtomicFile.WriteText(file("config.json"), JsonSerializer.Serialize(config, TrainingJson.Options) + "\n");
            AtomicFile.WriteText(file("report.json"), JsonSerializer.Serialize(report, TrainingJson.Options) + "\n");
            string preset = "dafx25-" + config.Oscillator;
            Comparison.OwnTaskResult.Write(file(Comparison.OwnTaskResult.FileName), "node",
                $"DAFx25 {config.Oscillator} oscillator, learn the restoring force (known ω₀, σ₂); {heldOut} held-out trajectories",
                [("output rel. error", report.OutputError), ("output rel. error (first 100 ms)", report.OutputErrorFirst100Ms),
                 ("linear-only rel. error", report.LinearOutputError), ("force curve rel. error", report.ForceCurveError),
                 ("updates", report.Updates), ("train time (s)", report.TrainingSeconds)],
                command: SettingsDifference.Command($"physmod train node --config {preset}", config, NodeConfig.Preset(preset)));
        }
        return report;
    }

    /// <summary>γ² nl(q) from the Physics system's nonlinearity, per value.</summary>
    private static double[] TrueForce(ModalSystem system, double[] q)
    {
        var result = new double[q.Length];
        var force = new double[1];
        for (int i = 0; i < q.Length; i++)
        {
            system.Nonlinearity!.Evaluate([q[i]], force);
            result[i] = force[0];
        }
        return result;
    }

    // Every trajectory from rest under its force (H, T): q and q̇ (H, T).
    private static (Tensor Q, Tensor V) Rollout(ModalCoefficients coefficients, Tensor forces, double dt)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long count = forces.shape[0];
        int frames = (int)forces.shape[1];
        var start = zeros(count, 1, dtype: float64);
        var (q, v) = RecurrentIntegrator.Verlet.Rollout(coefficients, start, start, dt, frames - 1, forces.unsqueeze(-1));   // (H, T, 1)
        return (q.squeeze(-1).MoveToOuterDisposeScope(), v.squeeze(-1).MoveToOuterDisposeScope());
    }

    private static double Relative(Tensor estimate, Tensor target) => ((estimate - target).norm() / target.norm()).item<double>();

    private static double MeanRelative(Tensor estimate, Tensor target, int frames) =>
        Enumerable.Range(0, (int)target.shape[0]).Select(k => Relative(estimate[k, ..frames], target[k, ..frames])).Average();
}
