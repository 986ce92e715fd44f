using System.CommandLine;
using System.Globalization;
using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Inspection;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod inspect</c>: lists and plots a trained run's eigenvalues as frequencies and decay times, and renders the
/// sound of a Koopman run with chosen eigenvalues edited.</summary>
public static class InspectCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "run folder from physmod train (koopman, ssm or dmd)" };
        var data = new Option<string>("--data") { Description = "dataset whose frame rate and test initial states are used (default: the run's dataset)" };
        var output = new Option<string>("--out") { Description = "output folder (default RUN/inspect)" };
        var top = new Option<int>("--rows") { Description = "eigenvalues printed per group (0 = all; the CSV always has all)", DefaultValueFactory = _ => 40 };
        var edit = new Option<string[]>("--edit") { Description = "koopman only: INDICES:freq=F,decay=D scales the frequency and/or decay time of eigenvalues INDICES (all, 3,7 or 3-9); repeatable; renders the sound before and after", AllowMultipleArgumentsPerToken = false };
        var trajectory = new Option<int>("--trajectory") { Description = "test trajectory whose initial state starts the rendered sound", DefaultValueFactory = _ => 0 };
        var duration = new Option<double>("--duration") { Description = "seconds of sound rendered with --edit", DefaultValueFactory = _ => 0.5 };
        var command = new Command("inspect", "List and plot a trained run's eigenvalues in Hz and seconds (koopman latent, ssm LRU layers, dmd operator); with --edit, scale chosen Koopman eigenvalues and render the altered sound.");
        command.Arguments.Add(run);
        foreach (Option option in new Option[] { data, output, top, edit, trajectory, duration }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string runFolder = parse.GetRequiredValue(run);
            var config = new RunDirectory(runFolder).ReadConfig();
            int rowsShown = parse.GetValue(top);
            if (rowsShown < 0) throw new InvalidSettingException($"--rows {rowsShown}: must be ≥ 0");
            double seconds = parse.GetValue(duration);
            if (!(seconds > 0) || seconds > 600) throw new InvalidSettingException($"--duration {seconds}: must be in (0, 600] s");
            string[] edits = parse.GetValue(edit) ?? [];
            if (edits.Length > 0 && config.Family != KoopmanFamily.FamilyName)
                throw new InvalidSettingException($"--edit: only koopman runs have editable eigenvalues; {runFolder} is a {config.Family} run");
            var test = TestSplit.Load(parse.GetValue(data) ?? config.Data.Path);
            using var trained = TrainedRun.Load(runFolder);
            if (trained.Model is not IEigenvalueModel spectral)
                throw new InvalidSettingException($"{runFolder}: the {config.Family} family has no per-frame linear dynamics to read eigenvalues from (inspect takes koopman, ssm, dmd)");
            var amplitudes = new Dictionary<string, double[]>();
            if (trained.Model is KoopmanModel koopman)
            {
                using var scope = NewDisposeScope();
                var scale = trained.Normalisation.Scale;
                var x0 = tensor(Rollouts.InitialStates(test, 0, test.Count, scale.Count, scale), [test.Count, test.GridPoints, scale.Count]);
                amplitudes["latent"] = koopman.LatentAmplitudes(x0);
            }
            var rows = EigenvalueTable.Rows(spectral.Eigenvalues(), test.SampleRate, amplitudes);
            var parsedEdits = trained.Model is KoopmanModel k ? edits.Select(e => EigenvalueEdit.Parse(e, k.Config.EigenvalueCount)).ToArray() : [];
            string folder = parse.GetValue(output) ?? Path.Combine(runFolder, "inspect");
            using var staging = new OutputStaging(folder);
            EigenvalueTable.Write(staging.Staging, config.Family, rows, test.SampleRate);
            EditRenderResult? render = null;
            if (parsedEdits.Length > 0)
            {
                int frames = checked((int)Math.Round(seconds * test.SampleRate));
                render = EigenvalueEditRender.Render(trained, (KoopmanModel)trained.Model, parsedEdits, test, parse.GetValue(trajectory), frames, staging.Staging);
            }
            var written = staging.Commit();
            Console.WriteLine(FormattableString.Invariant($"{config.Family} run {runFolder}: {rows.Count} eigenvalues at frame rate {test.SampleRate:G6} Hz{(amplitudes.Count > 0 ? "; amplitude = RMS |z0| over the test initial states" : "")}"));
            Console.Write(EigenvalueTable.Format(rows, rowsShown));
            if (render is not null)
                Console.WriteLine(FormattableString.Invariant(
                    $"rendered {render.Seconds:G4} s from test trajectory {parse.GetValue(trajectory)} before and after {string.Join(" then ", edits)}: peak {render.OriginalPeak:G4} m → {render.EditedPeak:G4} m (WAVs peak-normalised)"));
            foreach (string file in written) Console.WriteLine(file);
            return 0;
        });
        return command;
    }
}
