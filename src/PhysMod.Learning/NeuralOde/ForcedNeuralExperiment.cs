using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Physics.IO;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The course's pure neural case on the forced modal string (spec §5.2): learn the whole acceleration a_θ(q, v, f) with
/// an MLP from one 10 ms trajectory by backpropagation through the Verlet rollout.</summary>
/// <remarks>
/// Model: <see cref="NeuralAccelerationModel"/> with s_q, s_v = RMS of the target q, q̇, s_f = RMS of the modal force and
/// s_a = RMS of the target's finite-difference acceleration (q̇ⁿ⁺¹ − q̇ⁿ)/Δt. Loss: <see cref="ForcedString.StateLoss"/> over
/// all frames. Adam (constant rate), global-norm clip. Metric: normalised readout MSE.
/// </remarks>
public static class ForcedNeuralExperiment
{
    /// <summary>Runs the fit; <paramref name="file"/> maps an output name to its path (null: no files).</summary>
    public static ForcedNeuralReport Run(NodeConfig config, Func<string, string>? file, Action<string>? log = null)
    {
        config.Validate();
        if (config.Experiment != "forced-neural") throw new InvalidSettingException($"experiment = '{config.Experiment}': this runner is for forced-neural");
        set_num_threads(config.Threads);
        var data = ForcedString.Create(config.Modes, config.SampleRate, config.TrainFrames);
        double fScale = data.Forces.Squared().mean().sqrt().item<double>();
        double aScale = ((data.V[1..] - data.V[..^1]) / data.Dt).Squared().mean().sqrt().item<double>();
        using var model = new NeuralAccelerationModel(config.Modes, config.MlpWidth, config.MlpDepth, data.QScale, data.VScale, fScale, aScale,
            new TorchSharp.torch.Generator((ulong)config.Seed));
        var parameters = model.named_parameters().ToList();
        long count = parameters.Sum(p => p.parameter.numel());
        double[] yInitial = Render(model, data, data.Frames);

        var watch = Stopwatch.StartNew();
        var losses = NodeUpdates.Run(parameters, config.Updates, NodeUpdates.Schedule(config.OneCycle, config.Updates, config.LearningRate), config.Clip,
            _ => Loss(model, data), log);
        watch.Stop();
        double finalLoss;
        using (no_grad()) finalLoss = Loss(model, data).item<double>();
        double[] yFit = Render(model, data, data.Frames);
        var twice = ForcedString.Create(config.Modes, config.SampleRate, 2 * config.TrainFrames);
        double[] yLong = Render(model, twice, twice.Frames);
        var report = new ForcedNeuralReport
        {
            InitialReadoutError = NodeOutputs.NormalisedError(yInitial, data.Y), ReadoutError = NodeOutputs.NormalisedError(yFit, data.Y),
            ExtrapolationReadoutError = NodeOutputs.NormalisedError(yLong, twice.Y),
            UnseenHalfReadoutError = NodeOutputs.NormalisedError(yLong[data.Frames..], twice.Y[data.Frames..]),
            InitialLoss = losses.Count > 0 ? losses[0] : double.NaN, FinalLoss = finalLoss, Parameters = count,
            Updates = losses.Count, TrainingSeconds = watch.Elapsed.TotalSeconds,
        };
        if (file is not null)
        {
            var time = Enumerable.Range(0, data.Frames).Select(n => 1e3 * n * data.Dt).ToArray();
            var (qFit, _) = RolloutNoGrad(model, data, data.Frames);
            var modePanel = new List<PlotSeries>();
            for (int mode = 0; mode < Math.Min(4, config.Modes); mode++)
            {
                modePanel.Add(new PlotSeries($"q{mode + 1} target", time, data.Q[.., mode].data<double>().ToArray()));
                modePanel.Add(new PlotSeries($"q{mode + 1} neural", time, qFit[.., mode].data<double>().ToArray(), PlotSeriesStyle.Dashed));
            }
            PanelFigure.Save(file("neural_fit.png"),
            [
                new PlotPanel("rollout loss", "update", "loss", [new PlotSeries("state loss", Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray(), losses.ToArray())], LogY: true),
                new PlotPanel("readout at 0.82 L", "time (ms)", "y",
                    [new PlotSeries("target", time, data.Y), new PlotSeries("initial", time, yInitial, PlotSeriesStyle.Dashed), new PlotSeries("neural", time, yFit, PlotSeriesStyle.Dashed)]),
                new PlotPanel("first modes", "time (ms)", "q", modePanel),
            ]);
            var longTime = Enumerable.Range(0, twice.Frames).Select(n => 1e3 * n * data.Dt).ToArray();
            PanelFigure.Save(file("extrapolation.png"),
            [
                new PlotPanel("readout over twice the training length (training ends at the dotted line)", "time (ms)", "y",
                    [new PlotSeries("target", longTime, twice.Y), new PlotSeries("neural", longTime, yLong, PlotSeriesStyle.Dashed)], VerticalLines: [time[^1]]),
            ]);
            NodeOutputs.WriteWav(file("target.wav"), twice.Y, config.SampleRate);
            NodeOutputs.WriteWav(file("neural.wav"), yLong, config.SampleRate);
            AtomicFile.WriteText(file("config.json"), JsonSerializer.Serialize(config, TrainingJson.Options) + "\n");
            AtomicFile.WriteText(file("report.json"), JsonSerializer.Serialize(report, TrainingJson.Options) + "\n");
            Comparison.OwnTaskResult.Write(file(Comparison.OwnTaskResult.FileName), "node",
                "forced modal string, learn the whole acceleration with an MLP from one 10 ms trajectory (course §5.2 neural case)",
                [("readout error", report.ReadoutError), ("readout error 2x length", report.ExtrapolationReadoutError), ("final loss", report.FinalLoss),
                 ("parameters", report.Parameters), ("updates", report.Updates), ("train time (s)", report.TrainingSeconds)],
                command: SettingsDifference.Command("physmod train node --config forced-neural", config, NodeConfig.Preset("forced-neural")));
        }
        return report;
    }

    private static Tensor Loss(NeuralAccelerationModel model, ForcedString data)
    {
        var start = zeros(1, data.Modes, dtype: float64);
        var (q, v) = model.Rollout(start, start, data.Dt, data.Frames - 1, data.Forces.unsqueeze(0));
        return data.StateLoss(q, v);
    }

    private static (Tensor Q, Tensor V) RolloutNoGrad(NeuralAccelerationModel model, ForcedString data, int frames)
    {
        using var noGrad = no_grad();
        var start = zeros(1, data.Modes, dtype: float64);
        var (q, v) = model.Rollout(start, start, data.Dt, frames - 1, data.Forces[..frames].unsqueeze(0));
        return (q[0], v[0]);   // (T, N)
    }

    private static double[] Render(NeuralAccelerationModel model, ForcedString data, int frames)
    {
        using var scope = NewDisposeScope();
        var (q, _) = RolloutNoGrad(model, data, frames);
        return NodeOutputs.Readout(q, data.ReadoutWeights);
    }
}
