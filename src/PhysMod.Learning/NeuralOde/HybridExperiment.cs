using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.IO;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The course's staged hybrid fit (spec §5.3): a forced string with a hidden cubic modal force; stage 1 fits T0, EI, d1, d3
/// of a linear model, stage 2 learns an MLP residual force jointly with them.</summary>
/// <remarks>
/// Hidden force r_μ = β λ_μ q_μ Σ λ q², β = 3e9. Force: Hann-windowed 600 Hz cosine burst (centre 70, 49 samples, amplitude 2000)
/// times sin(μπx_e/L) at x_e = 0.18 L; readout y = q · sin(μπx_r/L) at x_r = 0.82 L (fractions of L, where the course passes
/// 0.18 and 0.82 as metres). Loss: <see cref="WindowedRollout"/> with RMS scales over the whole target, damped velocity Verlet.
/// With the verlet integrator the trained model is also written to <see cref="HybridModelFile.FileName"/>, which
/// <c>physmod render RUN</c> plays in real time.
/// </remarks>
public static class HybridExperiment
{
    /// <summary>Strength β of the hidden force.</summary>
    public const double HiddenStrength = 3e9;

    /// <summary>Where the force acts, as a fraction of L.</summary>
    public const double ForceFraction = 0.18;

    /// <summary>Where the readout is taken, as a fraction of L.</summary>
    public const double PickupFraction = 0.82;

    /// <summary>Centre sample of the cosine burst.</summary>
    public const int BurstCentre = 70;

    /// <summary>Window length of the cosine burst (samples).</summary>
    public const int BurstLength = 49;

    /// <summary>Carrier of the cosine burst (Hz).</summary>
    public const double BurstFrequency = 600;

    /// <summary>Amplitude of the cosine burst.</summary>
    public const double BurstAmplitude = 2000;

    /// <summary>The cosine burst: Hann window of <paramref name="length"/> samples centred at <paramref name="centre"/>, carrier f (Hz).</summary>
    public static double[] CosineBurst(int frames, int centre, int length, double frequency, double amplitude, double sampleRate)
    {
        var x = new double[frames];
        int start = centre - length / 2;
        for (int n = 0; n < length; n++)
        {
            int t = start + n;
            if (t < 0 || t >= frames) continue;
            double window = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / (length - 1));
            x[t] = amplitude * window * Math.Cos(2 * Math.PI * frequency * (n - (length - 1) / 2.0) / sampleRate);
        }
        return x;
    }

    /// <summary>Runs both stages; <paramref name="file"/> maps an output name to its path (null: no files).</summary>
    public static HybridReport Run(NodeConfig config, Func<string, string>? file, Action<string>? log = null)
    {
        config.Validate();
        if (config.Experiment != "hybrid") throw new InvalidSettingException($"experiment = '{config.Experiment}': this runner is for hybrid");
        set_num_threads(config.Threads);
        int modes = config.Modes, frames = config.TrainFrames;
        double dt = 1 / config.SampleRate;
        var truth = StringParameters.NylonGuitarB;
        var linear = ModalSystem.ForString(truth, modes, tensionModulation: false);
        var hidden = new TensionModulation(linear.Lambda, HiddenStrength);
        var target = new ModalSystem(linear.Basis, linear.Lambda.ToArray(), linear.Omega2.ToArray(), linear.Gamma2.ToArray(), hidden, linear.InputScale);
        Integrator.Verlet.CheckStable(target, config.SampleRate, 1);
        var integrator = RecurrentIntegrator.Parse(config.Integrator);
        var physicsIntegrator = integrator is DampedVerletBlock ? Integrator.Verlet : Integrator.RungeKutta4;

        var burst = CosineBurst(frames, BurstCentre, BurstLength, BurstFrequency, BurstAmplitude, config.SampleRate);
        var forceShape = new double[modes];
        linear.Basis.ShapesAt(new Location(ForceFraction * truth.L), forceShape);
        var modalForces = new double[frames * modes];
        for (int t = 0; t < frames; t++)
            for (int i = 0; i < modes; i++) modalForces[t * modes + i] = burst[t] * forceShape[i];
        var zeros = new double[modes];
        var (gtQ, gtV) = GroundTruth.Run(target, physicsIntegrator, dt, zeros, zeros, frames, modalForces);      // (T, N)
        var (linQ, _) = GroundTruth.Run(linear, physicsIntegrator, dt, zeros, zeros, frames, modalForces);
        var forces = tensor(modalForces, new long[] { frames, modes }, float64);
        var readout = StringCoefficients.Shapes(tensor(truth.L, float64), modes, PickupFraction * truth.L);
        double[] y = NodeOutputs.Readout(gtQ, readout), yLinear = NodeOutputs.Readout(linQ, readout);
        double qScale = gtQ.Squared().mean().sqrt().item<double>(), vScale = gtV.Squared().mean().sqrt().item<double>();
        var trueResidual = HiddenForce(gtQ, linear);   // (T, N)
        double residualScale = trueResidual.Squared().mean().sqrt().item<double>();
        var sampler = new WindowedRollout(gtQ, gtV, config.Window, qScale, vScale, forces);

        double[] trueValues = [truth.T0, truth.EI, truth.D1, truth.D3];
        var rng = new Rng((ulong)config.Seed);
        double spread = config.InitSpread > 0 ? config.InitSpread : 0.25;
        double[] initial = trueValues.Select(v => v * (1 + rng.Uniform(-spread, spread))).ToArray();
        using var model = new HybridStringModel(truth, modes, initial);
        var generator = new TorchSharp.torch.Generator((ulong)config.Seed + 1);
        var watch = Stopwatch.StartNew();

        var stage1Losses = Train(model, model.PhysicalParameters.ToList(), sampler, integrator, dt, config.Updates,
            NodeUpdates.Schedule(config.OneCycle, config.Updates, config.LearningRate),
            config, generator, "stage 1", log);
        double[] stage1 = model.Physical;
        double[] yStage1 = Render(model, integrator, dt, forces, readout);
        Tensor omega1, gamma1;
        double stage1ForceError;
        using (no_grad())
        {
            var c = model.Coefficients();
            omega1 = c.Omega2.sqrt(); gamma1 = c.Gamma2.clone();
            stage1ForceError = ((EffectiveForce(c, null, gtQ, linear) - trueResidual).norm() / trueResidual.norm()).item<double>();
        }

        model.Residual = new ResidualMlp(modes, config.MlpWidth, config.MlpDepth, qScale, residualScale, new TorchSharp.torch.Generator((ulong)config.Seed + 43),
            config.ResidualInitScale);
        var jointParameters = model.PhysicalParameters.Concat(model.Residual.named_parameters().Select(p => ("residual." + p.name, p.parameter))).ToList();
        var jointLosses = config.JointUpdates > 0
            ? Train(model, jointParameters, sampler, integrator, dt, config.JointUpdates, new OneCycleCosineSchedule(config.JointUpdates, config.JointLearningRate),
                config, generator, "joint", log)
            : [];
        watch.Stop();
        double[] joint = model.Physical;
        double[] yJoint = Render(model, integrator, dt, forces, readout);
        double forceError, effectiveError, omegaChange, gammaChange;
        using (no_grad())
        {
            var learned = model.Residual.forward(gtQ);
            forceError = ((learned - trueResidual).norm() / trueResidual.norm()).item<double>();
            var c = model.Coefficients();
            effectiveError = ((EffectiveForce(c, model.Residual, gtQ, linear) - trueResidual).norm() / trueResidual.norm()).item<double>();
            omegaChange = ((c.Omega2.sqrt() - omega1).norm() / omega1.norm()).item<double>();
            gammaChange = ((c.Gamma2 - gamma1).norm() / gamma1.norm()).item<double>();
        }
        var report = new HybridReport
        {
            Truth = trueValues, Initial = initial, Stage1 = stage1, Joint = joint,
            LinearReadoutError = NodeOutputs.NormalisedError(yLinear, y), Stage1ReadoutError = NodeOutputs.NormalisedError(yStage1, y),
            JointReadoutError = NodeOutputs.NormalisedError(yJoint, y), HiddenForceError = forceError,
            Stage1EffectiveForceError = stage1ForceError, EffectiveHiddenForceError = effectiveError,
            OmegaChange = omegaChange, Gamma2Change = gammaChange,
            FinalLosses = [stage1Losses.Count > 0 ? stage1Losses[^1] : double.NaN, jointLosses.Count > 0 ? jointLosses[^1] : double.NaN],
            TrainingSeconds = watch.Elapsed.TotalSeconds,
        };
        if (file is not null)
        {
            NodeOutputs.WriteWav(file("modal_nonlinearity_target.wav"), y, config.SampleRate);
            NodeOutputs.WriteWav(file("modal_nonlinearity_physical_linear.wav"), yLinear, config.SampleRate);
            NodeOutputs.WriteWav(file("modal_nonlinearity_linear_approx.wav"), yStage1, config.SampleRate);
            NodeOutputs.WriteWav(file("modal_nonlinearity_joint_model.wav"), yJoint, config.SampleRate);
            int shown = Math.Min(frames, (int)Math.Round(0.1 * config.SampleRate));
            Plots.Waveform(file("readout.png"), [("target", y[..shown]), ("linear", yLinear[..shown]), ("stage 1", yStage1[..shown]), ("joint", yJoint[..shown])],
                config.SampleRate, "hybrid fit: readout at 0.82 L (first 100 ms)", "q · K(x_r)");
            var series = new List<(string, double[], double[])> { ("stage 1", Steps(stage1Losses.Count, 0), stage1Losses.ToArray()) };
            if (jointLosses.Count > 0) series.Add(("joint", Steps(jointLosses.Count, stage1Losses.Count), jointLosses.ToArray()));
            Plots.LossCurves(file("loss.png"), series, "hybrid fit: window loss", "log10 loss");
            if (integrator is DampedVerletBlock)
                HybridModelFile.Save(file(HybridModelFile.FileName), model, truth, config.SampleRate, PickupFraction, ForceFraction,
                    new HybridBurst(BurstCentre, BurstLength, BurstFrequency, BurstAmplitude, frames));
            AtomicFile.WriteText(file("config.json"), JsonSerializer.Serialize(config, TrainingJson.Options) + "\n");
            AtomicFile.WriteText(file("report.json"), JsonSerializer.Serialize(report, TrainingJson.Options) + "\n");
        }
        return report;
    }

    private static double[] Steps(int count, int offset) => Enumerable.Range(offset + 1, count).Select(i => (double)i).ToArray();

    /// <summary>The hidden force β λ q Σ λ q² evaluated on a trajectory (T, N).</summary>
    private static Tensor HiddenForce(Tensor q, ModalSystem linear)
    {
        var lambda = tensor(linear.Lambda.ToArray(), float64);
        return HiddenStrength * lambda * q * (lambda * q * q).sum(-1, keepdim: true);
    }

    /// <summary>The position-dependent force the model adds to the true linear string: (ω²_model − ω²_true) q + r̂(q), on a
    /// trajectory (T, N). The MLP and the fitted ω² can trade a linear part of the force, so this, not r̂ alone, is what the
    /// model has learned of the hidden force.</summary>
    private static Tensor EffectiveForce(ModalCoefficients model, ResidualMlp? residual, Tensor q, ModalSystem linear)
    {
        var force = (model.Omega2 - tensor(linear.Omega2.ToArray(), float64)) * q;   // (T, N)
        return residual is null ? force : force + residual.forward(q);
    }

    private static List<double> Train(HybridStringModel model, List<(string Name, Parameter Parameter)> parameters, WindowedRollout sampler,
        RecurrentIntegrator integrator, double dt, int updates, ILearningRateSchedule schedule, NodeConfig config, TorchSharp.torch.Generator generator,
        string stage, Action<string>? log) =>
        NodeUpdates.Run(parameters, updates, schedule, config.Clip,
            _ => sampler.Loss(model.Coefficients(), integrator, dt, sampler.Starts(config.Windows, generator)), log, logEvery: 50, prefix: $"{stage} ");

    // The model driven by the forces from rest over the whole trajectory; readout q · K(x_r).
    private static double[] Render(HybridStringModel model, RecurrentIntegrator integrator, double dt, Tensor forces, Tensor readout)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int frames = (int)forces.shape[0], modes = (int)forces.shape[1];
        var start = zeros(1, modes, dtype: float64);
        var (q, _) = integrator.Rollout(model.Coefficients(), start, start, dt, frames - 1, forces.unsqueeze(0));
        return NodeOutputs.Readout(q[0], readout);
    }
}
