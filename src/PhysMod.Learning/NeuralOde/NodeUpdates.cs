using System.Globalization;
using PhysMod.Learning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.NeuralOde;

/// <summary>The update loop every neural-ODE experiment runs: Adam on the given parameters, global-norm clipping, a learning
/// rate schedule, one dispose scope per update, and an early stop on a non-finite or exploding loss.</summary>
public static class NodeUpdates
{
    /// <summary>Losses above this stop the loop (the model has blown up).</summary>
    public const double ExplodedLoss = 1e8;

    /// <summary>The config's schedule: one-cycle cosine to <paramref name="peak"/> over <paramref name="updates"/>, or constant.</summary>
    public static ILearningRateSchedule Schedule(bool oneCycle, int updates, double peak) =>
        oneCycle ? new OneCycleCosineSchedule(updates, peak) : new ConstantSchedule(peak);

    /// <summary>Runs up to <paramref name="updates"/> updates of <paramref name="loss"/>(step) and returns the loss of each one
    /// applied (fewer when it stopped early).</summary>
    /// <param name="parameters">The trained parameters (Adam state is created here and freed at the end).</param>
    /// <param name="updates">Updates to run.</param>
    /// <param name="schedule">Learning rate per update.</param>
    /// <param name="clipNorm">Global-norm clip (0 = none).</param>
    /// <param name="loss">The scalar loss of update <c>step</c> (called inside that update's dispose scope).</param>
    /// <param name="log">Progress lines, every <paramref name="logEvery"/> updates and at the last.</param>
    /// <param name="logEvery">Updates between progress lines.</param>
    /// <param name="prefix">Put before every line (e.g. a stage name).</param>
    /// <param name="detail">Appended to every progress line (e.g. the current physical parameters).</param>
    /// <param name="afterUpdate">Called after each applied update (e.g. to record parameter trajectories).</param>
    public static List<double> Run(IReadOnlyList<(string Name, Parameter Parameter)> parameters, int updates, ILearningRateSchedule schedule,
        double clipNorm, Func<int, Tensor> loss, Action<string>? log, int logEvery = 250, string prefix = "", Func<string>? detail = null,
        Action? afterUpdate = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(loss);
        using var optimiser = Training.AdamW.Adam(parameters);
        var clip = new GlobalNormClip(clipNorm);
        var losses = new List<double>();
        for (int step = 0; step < updates; step++)
        {
            double value;
            using (var scope = NewDisposeScope())
            {
                foreach (var (_, p) in parameters) p.grad?.zero_();
                var total = loss(step);
                value = total.item<double>();
                if (!double.IsFinite(value) || value > ExplodedLoss)
                {
                    log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{prefix}stopping at update {step}: loss {value:G4}"));
                    break;
                }
                total.backward();
                clip.Apply(parameters.Select(p => p.Parameter.grad).ToList());
                optimiser.Update(schedule.At(step));
            }
            losses.Add(value);
            afterUpdate?.Invoke();
            if (log is not null && (step % logEvery == 0 || step == updates - 1))
                log(string.Create(CultureInfo.InvariantCulture, $"{prefix}update {step + 1}/{updates} loss {value:G4}{detail?.Invoke()}"));
        }
        return losses;
    }
}
