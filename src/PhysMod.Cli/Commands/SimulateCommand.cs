using System.CommandLine;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.IO;
using PhysMod.Physics.Simulation;

namespace PhysMod.Cli.Commands;

/// <summary><c>physmod simulate</c>: one simulation to WAV, plots, the field (safetensors) and the resolved parameters (JSON).</summary>
public static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var options = new SystemOptions();
        var output = new Option<string>("--out") { Description = "output folder (default out/simulate-<system>)" };
        var pcm16 = new Option<bool>("--pcm16") { Description = "write 16-bit PCM WAV instead of 32-bit float" };
        var command = new Command("simulate", "Simulate a string, plate, membrane or oscillator; write WAV, PNG plots, the field and parameters.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(pcm16);
        command.SetAction(parse =>
        {
            var request = SimulationRequest.From(parse, options);
            string folder = parse.GetValue(output) ?? Path.Combine("out", $"simulate-{request.System.Kind}");
            // Fail on an unwritable output folder before the (possibly long) simulation, not after it.
            new OutputStaging(folder).Dispose();
            var progress = new ConsoleProgress("simulate");
            var result = Simulator.Run(request.Modal, request.Excitation, request.Integrator, request.Settings, f => progress.Report(f));
            var written = Write(folder, request, result, parse.GetValue(pcm16) ? WavSampleFormat.Pcm16 : WavSampleFormat.Float32);
            foreach (var file in written) Console.WriteLine(file);
            return 0;
        });
        return command;
    }

    /// <summary>Writes the outputs of one simulation (all or nothing) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, SimulationRequest request, SimulationResult result, WavSampleFormat format)
    {
        using var staging = new OutputStaging(folder);
        string name = request.System.Kind;
        int rate = (int)Math.Round(result.SampleRate);
        var velocity = result.PickupVelocity.Select(x => (float)x).ToArray();
        var displacement = result.PickupDisplacement.Select(x => (float)x).ToArray();
        WavFile.Write(staging.File($"{name}.wav"), velocity, rate, format, peakNormalise: 0.95);
        WavFile.Write(staging.File($"{name}-displacement.wav"), displacement, rate, format, peakNormalise: 0.95);
        string title = $"{name} ({request.System.Preset}, {request.Excitation.Describe()}, {request.Integrator.Name})";
        Plots.Waveform(staging.File("waveform.png"), result.PickupDisplacement, result.SampleRate, $"pickup displacement: {title}", "w (m)");
        Plots.Spectrogram(staging.File("spectrogram.png"), result.PickupVelocity, result.SampleRate, $"pickup velocity spectrogram: {title}");
        var writer = new SafetensorsWriter();
        writer.Add("pickup", Interleave(displacement, velocity), result.Frames, 2);
        if (result.FieldFrames > 0)
        {
            int points = result.Grid.Length;
            writer.Add("field", result.Field, result.FieldFrames, points, 2);
            if (request.Modal.Basis.Dimensions == 1)
            {
                var channel0 = new float[result.FieldFrames * points];
                for (int i = 0; i < channel0.Length; i++) channel0[i] = result.Field[2 * i];
                Plots.SpaceTimeHeatmap(staging.File("field.png"), channel0, result.FieldFrames, points, result.SampleRate,
                    result.Grid[^1].X, $"displacement field: {title}", valueLabel: "w (m)");
            }
        }
        string parameters = JsonSerializer.Serialize(request.Describe(), PhysMod.Physics.Datasets.DatasetConfig.Json);
        writer.Metadata["format"] = "physmod-simulation/1";
        writer.Metadata["parameters"] = parameters;
        writer.Metadata["channels"] = "displacement,velocity";
        writer.Save(staging.File("field.safetensors"));
        AtomicFile.WriteText(staging.File("parameters.json"), parameters + "\n");
        return staging.Commit();
    }

    private static float[] Interleave(float[] a, float[] b)
    {
        var result = new float[a.Length * 2];
        for (int i = 0; i < a.Length; i++) { result[2 * i] = a[i]; result[2 * i + 1] = b[i]; }
        return result;
    }
}
