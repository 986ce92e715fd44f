using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.IO;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The tutorial's "non-linear string" neural ODE (spec §5.1): learn L, T0/ρA and d3/ρA of a tension-modulated string
/// from one 20 ms trajectory by BPTT over random windows, then render audio and the intensity demo before and after.</summary>
/// <remarks>
/// Ground truth: the nylon B string with d1 = 0 (the model has no d1 term), 15 modes at 22.05 kHz, pluck h = 0.03 m at
/// x = 0.28 m, readout at 0.1 m, simulated by the plain-C# damped velocity Verlet. Model: <see cref="TutorialStringModel"/>.
/// Loss: <see cref="WindowedRollout"/> with unit scales. Adam, one-cycle cosine schedule, global-norm clip.
/// </remarks>
public static class TutorialExperiment
{
    /// <summary>Pluck height (m).</summary>
    public const double PluckHeight = 0.03;

    /// <summary>Pluck position (m).</summary>
    public const double PluckPosition = 0.28;

    /// <summary>Readout position (m).</summary>
    public const double ReadoutPosition = 0.1;

    /// <summary>Pluck-amplitude factors of the 8 intensity-demo notes.</summary>
    public static IReadOnlyList<double> IntensityFactors { get; } = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.2, 1.3];

    /// <summary>The ground-truth string: nylon B with d1 = 0.</summary>
    public static StringParameters Truth { get; } = StringParameters.NylonGuitarB with { D1 = 0 };

    /// <summary>Runs the experiment; <paramref name="file"/> maps an output name to its path (null: no files).</summary>
    public static TutorialReport Run(NodeConfig config, Func<string, string>? file, Action<string>? log = null)
    {
        config.Validate();
        if (config.Experiment != "tutorial") throw new InvalidSettingException($"experiment = '{config.Experiment}': this runner is for tutorial");
        set_num_threads(config.Threads);
        int modes = config.Modes;
        double dt = 1 / config.SampleRate;
        var truth = Truth;
        var system = ModalSystem.ForString(truth, modes, tensionModulation: true);
        Integrator.Verlet.CheckStable(system, config.SampleRate, 1);
        var integrator = RecurrentIntegrator.Parse(config.Integrator);
        var physicsIntegrator = integrator is DampedVerletBlock ? Integrator.Verlet : Integrator.RungeKutta4;
        double[] trueValues = [truth.L, truth.T0 / truth.RhoA, truth.D3 / truth.RhoA];

        var rng = new Rng((ulong)config.Seed);
        double[] initial = config.InitSpread > 0
            ? trueValues.Select(v => v * (1 + rng.Uniform(-config.InitSpread, config.InitSpread))).ToArray()
            : [rng.Uniform(0.6, 0.8), rng.LogUniform(1e4, 8e4), rng.Uniform(5, 7)];
        using var model = new TutorialStringModel(truth, modes, tensionModulation: true, initial[0], initial[1], initial[2]);

        var (q0, v0) = PluckedState(system, 1.0);
        var (gtQ, gtV) = GroundTruth.Run(system, physicsIntegrator, dt, q0, v0, config.TrainFrames);   // (T, N)
        var sampler = new WindowedRollout(gtQ, gtV, config.Window);

        int audioFrames = (int)Math.Round(config.AudioSeconds * config.SampleRate);
        var (targetQ, targetV) = GroundTruth.Run(system, physicsIntegrator, dt, q0, v0, audioFrames);
        var targetWeights = StringCoefficients.Shapes(tensor(truth.L, float64), modes, ReadoutPosition);
        double[] targetAudio = NodeOutputs.Readout(targetV, targetWeights);
        double[] targetDisplacement = NodeOutputs.Readout(targetQ, targetWeights / (truth.L / 2));

        var (initialAudio, initialDisplacement) = Render(model, integrator, dt, audioFrames, 1.0);
        if (file is not null) PlotComparison(file("before.png"), targetDisplacement, initialDisplacement, config, "before training");

        var generator = new TorchSharp.torch.Generator((ulong)config.Seed + 1);
        var history = new List<double[]>();
        var watch = Stopwatch.StartNew();
        var losses = NodeUpdates.Run(model.Trainable.ToList(), config.Updates, NodeUpdates.Schedule(config.OneCycle, config.Updates, config.LearningRate),
            config.Clip, _ => sampler.Loss(model.Coefficients(), integrator, dt, sampler.Starts(config.Windows, generator)), log,
            detail: () => string.Create(CultureInfo.InvariantCulture,
                $" L {model.Length:G6} T0/rhoA {model.TensionOverDensity:G6} d3/rhoA {model.D3OverDensity:G4}"),
            afterUpdate: () => history.Add([model.Length, model.TensionOverDensity, model.D3OverDensity]));
        int done = losses.Count;
        watch.Stop();

        double[] learned = [model.Length, model.TensionOverDensity, model.D3OverDensity];
        var (trainedAudio, trainedDisplacement) = Render(model, integrator, dt, audioFrames, 1.0);
        double intensityError = double.NaN;
        if (file is not null)
        {
            PlotComparison(file("after.png"), targetDisplacement, trainedDisplacement, config, "after training");
            var steps = Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray();
            Plots.LossCurves(file("loss.png"), [("window MSE", steps, losses.ToArray())], "tutorial neural ODE: training loss", "log10 loss");
            Plots.LossCurves(file("parameters.png"), Enumerable.Range(0, 3).Select(k =>
                    ($"|{new[] { "L", "T0/rhoA", "d3/rhoA" }[k]} error| (relative)", steps, history.Select(h => NodeOutputs.RelativeError(h[k], trueValues[k])).ToArray())).ToList(),
                "tutorial neural ODE: parameter relative errors", "log10 relative error");
            NodeOutputs.WriteWav(file("target_audio.wav"), targetAudio, config.SampleRate);
            NodeOutputs.WriteWav(file("initial_predicted_audio.wav"), initialAudio, config.SampleRate);
            NodeOutputs.WriteWav(file("trained_predicted_audio.wav"), trainedAudio, config.SampleRate);
        }
        if (config.IntensityNoteSeconds > 0)
        {
            var (target, predicted) = IntensityDemo(system, physicsIntegrator, model, integrator, dt, (int)Math.Round(config.IntensityNoteSeconds * config.SampleRate));
            intensityError = NodeOutputs.NormalisedError(predicted, target);
            if (file is not null)
            {
                NodeOutputs.WriteWav(file("intensity_target.wav"), target, config.SampleRate);
                NodeOutputs.WriteWav(file("intensity_model.wav"), predicted, config.SampleRate);
            }
        }
        var report = new TutorialReport
        {
            Truth = trueValues, Initial = initial, Learned = learned,
            RelativeErrors = learned.Select((v, k) => NodeOutputs.RelativeError(v, trueValues[k])).ToArray(),
            InitialLoss = losses.Count > 0 ? losses[0] : double.NaN, FinalLoss = losses.Count > 0 ? losses[^1] : double.NaN, Updates = done,
            InitialReadoutError = NodeOutputs.NormalisedError(initialAudio, targetAudio),
            TrainedReadoutError = NodeOutputs.NormalisedError(trainedAudio, targetAudio),
            IntensityReadoutError = intensityError,
            TrainingSeconds = watch.Elapsed.TotalSeconds, MillisecondsPerUpdate = done > 0 ? watch.Elapsed.TotalMilliseconds / done : double.NaN,
        };
        if (file is not null)
        {
            AtomicFile.WriteText(file("config.json"), JsonSerializer.Serialize(config, TrainingJson.Options) + "\n");
            AtomicFile.WriteText(file("report.json"), JsonSerializer.Serialize(report, TrainingJson.Options) + "\n");
            Comparison.OwnTaskResult.Write(file(Comparison.OwnTaskResult.FileName), "node",
                "modal string, learn L, T0/ρA, d3/ρA from one trajectory (tutorial)",
                [("L error (%)", 100 * report.RelativeErrors[0]), ("T0/ρA error (%)", 100 * report.RelativeErrors[1]),
                 ("d3/ρA error (%)", 100 * report.RelativeErrors[2]), ("readout error", report.TrainedReadoutError),
                 ("updates", report.Updates), ("train time (s)", report.TrainingSeconds)],
                command: SettingsDifference.Command("physmod train node --config tutorial", config, NodeConfig.Preset("tutorial")));
        }
        return report;
    }

    /// <summary>The ground-truth training trajectory of the tutorial: q, q̇ (frames, N) of <see cref="Truth"/> with tension
    /// modulation, plucked (h = 0.03 m at 0.28 m) and simulated by the plain-C# damped velocity Verlet.</summary>
    public static (Tensor Q, Tensor V) TrainingTrajectory(int modes, double sampleRate, int frames)
    {
        var system = ModalSystem.ForString(Truth, modes, tensionModulation: true);
        var (q0, v0) = PluckedState(system, 1.0);
        return GroundTruth.Run(system, Integrator.Verlet, 1 / sampleRate, q0, v0, frames);
    }

    // The pluck of height factor·h at the pluck position, released from rest.
    private static (double[] Q, double[] V) PluckedState(ModalSystem system, double factor)
    {
        var (q0, v0) = (new double[system.Modes], new double[system.Modes]);
        new TriangularPluck(PluckHeight * factor, PluckPosition).InitialState(system, q0, v0);
        return (q0, v0);
    }

    // The model plucked with the amplitude factor, rolled out with its own integrator: velocity readout and physical displacement.
    private static (double[] Velocity, double[] Displacement) Render(TutorialStringModel model, RecurrentIntegrator integrator, double dt, int frames, double factor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var q0 = model.Pluck(PluckHeight * factor, PluckPosition).unsqueeze(0);   // (1, N)
        var (q, v) = integrator.Rollout(model.Coefficients(), q0, zeros_like(q0), dt, frames - 1);
        var weights = model.Shapes(ReadoutPosition);
        return (NodeOutputs.Readout(v[0], weights), NodeOutputs.Readout(q[0], weights / (model.Length / 2)));
    }

    // Eight notes of rising pluck amplitude, target (Physics) and model (torch), concatenated.
    private static (double[] Target, double[] Model) IntensityDemo(ModalSystem system, Integrator physicsIntegrator, TutorialStringModel model,
        RecurrentIntegrator integrator, double dt, int noteFrames)
    {
        var target = new List<double>();
        var predicted = new List<double>();
        var weights = StringCoefficients.Shapes(tensor(system.Basis is StringBasis b ? b.Length : throw new InvalidOperationException(), float64), system.Modes, ReadoutPosition);
        foreach (double factor in IntensityFactors)
        {
            var (q0, v0) = PluckedState(system, factor);
            var (_, v) = GroundTruth.Run(system, physicsIntegrator, dt, q0, v0, noteFrames);
            target.AddRange(NodeOutputs.Readout(v, weights));
            predicted.AddRange(Render(model, integrator, dt, noteFrames, factor).Velocity);
        }
        return (target.ToArray(), predicted.ToArray());
    }

    private static void PlotComparison(string path, double[] target, double[] model, NodeConfig config, string when)
    {
        int frames = Math.Min(2000, target.Length);
        Plots.Waveform(path, [("target", target[..frames]), ("neural ODE", model[..frames])], config.SampleRate,
            $"displacement at x = {ReadoutPosition} m, {when}", "w (m)");
    }
}
