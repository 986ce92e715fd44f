using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.NeuralOde;
using PhysMod.Physics;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.IO;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Parameters;
using PhysMod.Realtime.Models;

namespace PhysMod.Learning.Export;

/// <summary>Turns a hybrid neural-ODE run (RUN/<see cref="HybridModelFile.FileName"/>, from <c>physmod train node --config
/// hybrid</c>) into a playable <see cref="HybridStringVoice"/>, without loading libtorch.</summary>
/// <remarks>ω² and γ₂ come from <see cref="ModalSystem.ForString"/> (PhysMod.Physics) for the reference string with the learned
/// T0, EI, d1, d3, so the voice and the simulators share one source of coefficients; the readout weights are the mode shapes
/// at the stored pickup.</remarks>
public static class HybridVoices
{
    /// <summary>Whether <paramref name="runFolder"/> is a <c>physmod train node</c> run (its config.json is a NodeConfig, with
    /// an "experiment" entry) or holds a hybrid model file.</summary>
    public static bool IsNodeRun(string runFolder)
    {
        if (File.Exists(Path.Combine(runFolder, HybridModelFile.FileName))) return true;
        string config = Path.Combine(runFolder, "config.json");
        if (!File.Exists(config)) return false;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("experiment", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Loads the voice. <paramref name="excite"/>: null or "burst" replays the training excitation (the cosine burst
    /// at x_e, from rest); an initial shape (pluck, gaussian, random) starts the string from that shape with no force.</summary>
    /// <exception cref="InvalidSettingException">No hybrid model file.</exception>
    /// <exception cref="InvalidDataException">A corrupt file.</exception>
    /// <exception cref="InvalidSettingException">A force excitation other than the training burst.</exception>
    public static HybridStringVoice Load(string runFolder, string? excite = null)
    {
        string path = Path.Combine(runFolder, HybridModelFile.FileName);
        if (!File.Exists(path))
            throw new InvalidSettingException($"{runFolder}: this train node run has no {HybridModelFile.FileName}: only hybrid experiments (--config hybrid|hybrid-test) with the verlet integrator write a playable model");
        using var file = SafetensorsFile.Open(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{path}: the metadata has no '{key}'");
        double Number(string key) => double.TryParse(Meta(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw new InvalidDataException($"{path}: metadata '{key}' = '{Meta(key)}' is not a finite number");
        int Integer(string key) => int.TryParse(Meta(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new InvalidDataException($"{path}: metadata '{key}' = '{Meta(key)}' is not a count");
        if (Meta("format") != HybridModelFile.Format)
            throw new InvalidDataException($"{path}: format '{Meta("format")}', expected {HybridModelFile.Format}");
        int modes = Integer("modes");
        if (modes < 1) throw new InvalidDataException($"{path}: modes = {modes}");
        double sampleRate = Number("sample_rate");
        StringParameters reference;
        try { reference = JsonSerializer.Deserialize<StringParameters>(Meta("string")) ?? throw new InvalidDataException($"{path}: null string parameters"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable string parameters ({e.Message})"); }
        var physical = Read(file, path, "physical", 4);
        var learned = reference with { T0 = physical[0], I = physical[1] / reference.E, D1 = physical[2], D3 = physical[3] };
        var system = ModalSystem.ForString(learned, modes, tensionModulation: false);

        DenseWeights[]? residual = null;
        double inputScale = 1, outputScale = 1;
        if (file.Metadata.ContainsKey("residual_layers"))
        {
            int layers = Integer("residual_layers");
            residual = new DenseWeights[layers];
            for (int i = 0; i < layers; i++)
            {
                var info = file.Info($"residual.layers.{i}.weight");
                if (info.Shape.Length != 2) throw new InvalidDataException($"{path}: residual.layers.{i}.weight is not a matrix");
                int outputs = checked((int)info.Shape[0]), inputs = checked((int)info.Shape[1]);
                residual[i] = new DenseWeights(Array.ConvertAll(Read(file, path, $"residual.layers.{i}.weight", outputs, inputs), v => (float)v),
                    Array.ConvertAll(Read(file, path, $"residual.layers.{i}.bias", outputs), v => (float)v), outputs, inputs);
            }
            inputScale = Number("residual_input_scale");
            outputScale = Number("residual_output_scale");
        }
        var weights = new HybridStringWeights
        {
            Omega2 = system.Omega2.ToArray(), Gamma2 = system.Gamma2.ToArray(), SampleRate = sampleRate,
            Residual = residual, InputScale = inputScale, OutputScale = outputScale,
        };
        var pickup = new double[modes];
        system.Basis.ShapesAt(new Location(Number("pickup_fraction") * learned.L), pickup);
        var q0 = new double[modes];
        var v0 = new double[modes];
        string text = (excite ?? "burst").Trim();
        if (text == "burst")
        {
            var shape = new double[modes];
            system.Basis.ShapesAt(new Location(Number("force_fraction") * learned.L), shape);
            var signal = HybridExperiment.CosineBurst(Integer("burst_frames"), Integer("burst_centre"), Integer("burst_length"),
                Number("burst_frequency"), Number("burst_amplitude"), sampleRate);
            return new HybridStringVoice(weights, pickup, q0, v0, signal, shape);
        }
        var excitation = ExcitationSpec.Parse(text, system.Basis,
            _ => throw new InvalidSettingException("a hybrid voice plays the training burst or starts from an initial shape: sample-driven forces are not available"));
        if (excitation.ForceLocation is not null)
            throw new InvalidSettingException($"excitation '{excitation.Describe()}' is a force: a hybrid voice plays its training burst (--excite burst) or starts from an initial shape (pluck, gaussian, random)");
        excitation.Validate(system.Basis);
        excitation.InitialState(system, q0, v0);
        return new HybridStringVoice(weights, pickup, q0, v0);
    }

    private static double[] Read(SafetensorsFile file, string path, string name, params long[] shape)
    {
        if (!file.Contains(name)) throw new InvalidDataException($"{path}: no tensor '{name}'");
        var info = file.Info(name);
        if (!info.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"{path}: tensor '{name}' is [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}]");
        return info.Dtype switch
        {
            SafetensorsDtype.F64 => file.ReadDouble(name),
            SafetensorsDtype.F32 => Array.ConvertAll(file.ReadSingle(name), v => (double)v),
            _ => throw new InvalidDataException($"{path}: tensor '{name}' is {info.Dtype}; expected F64 or F32"),
        };
    }
}
