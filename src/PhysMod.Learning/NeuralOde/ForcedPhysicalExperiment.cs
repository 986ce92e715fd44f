using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The course's pure physical fit of the forced modal string (spec §5.2): learn log T0, log EI, log d1, log d3 from one
/// 10 ms trajectory driven from rest, by backpropagation through the whole damped-Verlet rollout.</summary>
/// <remarks>
/// Model: <see cref="HybridStringModel"/> without residual (ω² = (EI λ² + T0 λ)/ρA, γ₂ = (d1 + d3 λ)/ρA, known L and ρA).
/// Initial values: truth × U(1 − s, 1 + s), s = 0.25. Loss: <see cref="ForcedString.StateLoss"/> over all frames.
/// Adam (constant rate), global-norm clip.
/// </remarks>
public static class ForcedPhysicalExperiment
{
    /// <summary>Runs the fit; <paramref name="file"/> maps an output name to its path (null: no files).</summary>
    public static ForcedPhysicalReport Run(NodeConfig config, Func<string, string>? file, Action<string>? log = null)
    {
        config.Validate();
        if (config.Experiment != "forced-physical") throw new InvalidSettingException($"experiment = '{config.Experiment}': this runner is for forced-physical");
        set_num_threads(config.Threads);
        var data = ForcedString.Create(config.Modes, config.SampleRate, config.TrainFrames);
        var truth = ForcedString.Truth;
        double[] trueValues = [truth.T0, truth.EI, truth.D1, truth.D3];
        var rng = new Rng((ulong)config.Seed);
        double spread = config.InitSpread > 0 ? config.InitSpread : 0.25;
        double[] initial = trueValues.Select(v => v * (1 + rng.Uniform(-spread, spread))).ToArray();
        using var model = new HybridStringModel(truth, config.Modes, initial);
        var parameters = model.PhysicalParameters.ToList();
        Tensor trueOmega, trueGamma2;
        using (no_grad())
        {
            using var reference = new HybridStringModel(truth, config.Modes, trueValues);
            var c = reference.Coefficients();
            trueOmega = c.Omega2.sqrt().detach();
            trueGamma2 = c.Gamma2.detach();
        }
        var (omega0, gamma0) = Modal(model);
        double[] yInitial = Render(model, data);

        var watch = Stopwatch.StartNew();
        var losses = NodeUpdates.Run(parameters, config.Updates, NodeUpdates.Schedule(config.OneCycle, config.Updates, config.LearningRate), config.Clip,
            _ => Loss(model, data), log, detail: () =>
            {
                double[] now = model.Physical;
                return string.Create(CultureInfo.InvariantCulture, $" T0 {now[0]:G5} EI {now[1]:G5} d1 {now[2]:G5} d3 {now[3]:G5}");
            });
        watch.Stop();
        double finalLoss;
        using (no_grad()) finalLoss = Loss(model, data).item<double>();
        double[] learned = model.Physical;
        var (omega1, gamma1) = Modal(model);
        double[] yFit = Render(model, data);
        double RelativeNorm(Tensor a, Tensor b) => ((a - b).norm() / b.norm()).item<double>();
        var report = new ForcedPhysicalReport
        {
            Truth = trueValues, Initial = initial, Learned = learned,
            RelativeErrors = learned.Select((v, k) => NodeOutputs.RelativeError(v, trueValues[k])).ToArray(),
            InitialOmegaError = RelativeNorm(omega0, trueOmega), OmegaError = RelativeNorm(omega1, trueOmega),
            InitialGamma2Error = RelativeNorm(gamma0, trueGamma2), Gamma2Error = RelativeNorm(gamma1, trueGamma2),
            InitialLoss = losses.Count > 0 ? losses[0] : double.NaN, FinalLoss = finalLoss,
            InitialReadoutError = NodeOutputs.NormalisedError(yInitial, data.Y), ReadoutError = NodeOutputs.NormalisedError(yFit, data.Y),
            Updates = losses.Count, TrainingSeconds = watch.Elapsed.TotalSeconds,
        };
        if (file is not null)
        {
            var modesAxis = Enumerable.Range(1, config.Modes).Select(i => (double)i).ToArray();
            double[] Hz(Tensor omega) => omega.data<double>().Select(w => w / (2 * Math.PI)).ToArray();
            var time = Enumerable.Range(0, data.Frames).Select(n => 1e3 * n * data.Dt).ToArray();
            PanelFigure.Save(file("physical_fit.png"),
            [
                new PlotPanel("rollout loss", "update", "loss", [new PlotSeries("state loss", Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray(), losses.ToArray())], LogY: true),
                new PlotPanel("modal frequencies", "mode", "f (Hz)",
                    [new PlotSeries("target", modesAxis, Hz(trueOmega)), new PlotSeries("initial", modesAxis, Hz(omega0), PlotSeriesStyle.Dashed),
                     new PlotSeries("fit", modesAxis, Hz(omega1), PlotSeriesStyle.Markers)]),
                new PlotPanel("modal damping", "mode", "γ₂ (1/s)",
                    [new PlotSeries("target", modesAxis, trueGamma2.data<double>().ToArray()), new PlotSeries("initial", modesAxis, gamma0.data<double>().ToArray(), PlotSeriesStyle.Dashed),
                     new PlotSeries("fit", modesAxis, gamma1.data<double>().ToArray(), PlotSeriesStyle.Markers)]),
                new PlotPanel("readout at 0.82 L", "time (ms)", "y",
                    [new PlotSeries("target", time, data.Y), new PlotSeries("initial", time, yInitial, PlotSeriesStyle.Dashed), new PlotSeries("fit", time, yFit, PlotSeriesStyle.Dashed)]),
            ]);
            int audioFrames = (int)Math.Round(config.AudioSeconds * config.SampleRate);
            NodeOutputs.WriteWav(file("target.wav"), data.RenderPhysical(trueValues, audioFrames), config.SampleRate);
            NodeOutputs.WriteWav(file("initial.wav"), data.RenderPhysical(initial, audioFrames), config.SampleRate);
            NodeOutputs.WriteWav(file("fit.wav"), data.RenderPhysical(learned, audioFrames), config.SampleRate);
            AtomicFile.WriteText(file("config.json"), JsonSerializer.Serialize(config, TrainingJson.Options) + "\n");
            AtomicFile.WriteText(file("report.json"), JsonSerializer.Serialize(report, TrainingJson.Options) + "\n");
            Comparison.OwnTaskResult.Write(file(Comparison.OwnTaskResult.FileName), "node",
                "forced modal string, learn T0, EI, d1, d3 from one 10 ms trajectory (course §5.2 physical fit)",
                [("T0 error (%)", 100 * report.RelativeErrors[0]), ("EI error (%)", 100 * report.RelativeErrors[1]),
                 ("d1 error (%)", 100 * report.RelativeErrors[2]), ("d3 error (%)", 100 * report.RelativeErrors[3]),
                 ("omega rel. error", report.OmegaError), ("gamma2 rel. error", report.Gamma2Error), ("final loss", report.FinalLoss),
                 ("updates", report.Updates), ("train time (s)", report.TrainingSeconds)],
                command: SettingsDifference.Command("physmod train node --config forced-physical", config, NodeConfig.Preset("forced-physical")));
        }
        return report;
    }

    private static Tensor Loss(HybridStringModel model, ForcedString data)
    {
        var start = zeros(1, data.Modes, dtype: float64);
        var (q, v) = RecurrentIntegrator.Verlet.Rollout(model.Coefficients(), start, start, data.Dt, data.Frames - 1, data.Forces.unsqueeze(0));
        return data.StateLoss(q, v);
    }

    private static (Tensor Omega, Tensor Gamma2) Modal(HybridStringModel model)
    {
        using var noGrad = no_grad();
        var c = model.Coefficients();
        return (c.Omega2.sqrt().detach(), c.Gamma2.detach());
    }

    private static double[] Render(HybridStringModel model, ForcedString data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var start = zeros(1, data.Modes, dtype: float64);
        var (q, _) = RecurrentIntegrator.Verlet.Rollout(model.Coefficients(), start, start, data.Dt, data.Frames - 1, data.Forces.unsqueeze(0));
        return NodeOutputs.Readout(q[0], data.ReadoutWeights);
    }
}
