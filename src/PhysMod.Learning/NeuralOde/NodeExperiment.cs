using System.Globalization;

namespace PhysMod.Learning.NeuralOde;

/// <summary>Entry point of <c>physmod train node</c>: runs the experiment a <see cref="NodeConfig"/> names and summarises it in one line.</summary>
public static class NodeExperiment
{
    /// <summary>The family name on the command line.</summary>
    public const string FamilyName = "node";

    /// <summary>Runs the experiment the config names, writing its outputs through <paramref name="file"/>; returns a one-line summary.</summary>
    public static string Run(NodeConfig config, Func<string, string>? file, Action<string>? log)
    {
        switch (config.Experiment)
        {
            case "tutorial":
            {
                var r = TutorialExperiment.Run(config, file, log);
                return string.Create(CultureInfo.InvariantCulture,
                    $"L {r.Learned[0]:G6} m ({100 * r.RelativeErrors[0]:F3} %), T0/rhoA {r.Learned[1]:G6} ({100 * r.RelativeErrors[1]:F3} %), " +
                    $"d3/rhoA {r.Learned[2]:G4} ({100 * r.RelativeErrors[2]:F3} %); readout error {r.InitialReadoutError:G3} -> {r.TrainedReadoutError:G3}; " +
                    $"{r.Updates} updates in {r.TrainingSeconds:F1} s");
            }
            case "hybrid":
            {
                var r = HybridExperiment.Run(config, file, log);
                return string.Create(CultureInfo.InvariantCulture,
                    $"readout error linear {r.LinearReadoutError:G3}, stage 1 {r.Stage1ReadoutError:G3}, joint {r.JointReadoutError:G3}; " +
                    $"hidden-force relative error {r.HiddenForceError:G3} (r_eff = Δω² q + r̂: stage 1 {r.Stage1EffectiveForceError:G3}, joint {r.EffectiveHiddenForceError:G3}); {r.TrainingSeconds:F1} s");
            }
            case "forced-physical":
            {
                var r = ForcedPhysicalExperiment.Run(config, file, log);
                return string.Create(CultureInfo.InvariantCulture,
                    $"T0 {100 * r.RelativeErrors[0]:G3} %, EI {100 * r.RelativeErrors[1]:G3} %, d1 {100 * r.RelativeErrors[2]:G3} %, d3 {100 * r.RelativeErrors[3]:G3} %; " +
                    $"omega error {r.OmegaError:G3}, gamma2 error {r.Gamma2Error:G3}; loss {r.InitialLoss:G3} -> {r.FinalLoss:G3}; {r.Updates} updates in {r.TrainingSeconds:F1} s");
            }
            case "forced-neural":
            {
                var r = ForcedNeuralExperiment.Run(config, file, log);
                return string.Create(CultureInfo.InvariantCulture,
                    $"normalised readout MSE {r.InitialReadoutError:G3} -> {r.ReadoutError:G3} (over 2x the length {r.ExtrapolationReadoutError:G3}); " +
                    $"loss {r.InitialLoss:G3} -> {r.FinalLoss:G3}; {r.Updates} updates in {r.TrainingSeconds:F1} s");
            }
            case "dafx25":
            {
                var r = OscillatorExperiment.Run(config, file, log);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{r.Oscillator}: held-out output rel. error {r.OutputError:G3} (first 100 ms {r.OutputErrorFirst100Ms:G3}; linear part only {r.LinearOutputError:G3}); " +
                    $"force curve rel. error {r.ForceCurveError:G3}; {r.Updates} updates in {r.TrainingSeconds:F1} s");
            }
            default:
                throw new PhysMod.Physics.InvalidSettingException($"experiment = '{config.Experiment}': allowed are {string.Join(", ", NodeConfig.Experiments)}");
        }
    }
}
