using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Evaluation;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Simulation;
using PhysMod.Realtime.Models;

namespace PhysMod.Learning.Export;

/// <summary>The one place that turns a run folder into a playable voice (used by <c>physmod render RUN</c>).</summary>
public static class RunVoices
{
    /// <summary>Loads the run's model as a streaming voice: one sample per model step at the dataset's frame rate, the
    /// displacement at the pickup in metres.</summary>
    /// <exception cref="InvalidSettingException">Bad options, or a family without a voice.</exception>
    /// <exception cref="FileNotFoundException">No run, checkpoint or dataset.</exception>
    /// <exception cref="InvalidDataException">A corrupt checkpoint or dataset, or one that does not match the run.</exception>
    public static ModelVoice Load(string runFolder, RunVoiceOptions? options = null)
    {
        options ??= new RunVoiceOptions();
        if (options.BlockFrames is < 1 or > 4096) throw new InvalidSettingException($"block frames = {options.BlockFrames}: must be in 1 … 4096");
        if (options.PickupMetres is not null && options.PickupGridPoint is not null)
            throw new InvalidSettingException("give a pickup position in metres or a grid point, not both");
        var (config, model) = VoiceExport.Load(runFolder, options.BlockFrames);
        string dataPath = options.DataPath ?? config.Data.Path;
        if (!File.Exists(dataPath))
            throw new FileNotFoundException($"{dataPath}: the run's dataset is not there; a model voice takes its initial state, pickup and string from it (give the dataset file)", dataPath);
        var metadata = DatasetFile.ReadMetadata(dataPath);
        string Meta(string key) => metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{dataPath}: the metadata has no '{key}'");
        DatasetConfig dataset;
        try { dataset = JsonSerializer.Deserialize<DatasetConfig>(Meta("config"), DatasetConfig.Json) ?? throw new InvalidDataException($"{dataPath}: null dataset config"); }
        catch (JsonException e) { throw new InvalidDataException($"{dataPath}: unreadable dataset config ({e.Message})"); }
        if (dataset.System != "string")
            throw new InvalidSettingException($"{dataPath}: a model voice reads a pickup along a string's grid; this dataset is a {dataset.System}");
        int gridPoints = ParseInt(dataPath, "grid_points", Meta("grid_points"));
        if (gridPoints != model.GridPoints || model.Channels != 2)
            throw new InvalidDataException($"{dataPath}: frames of {gridPoints} grid points × 2 channels; the run's model takes {model.GridPoints} × {model.Channels}");
        double length = ParseDouble(dataPath, "grid_extent_m", Meta("grid_extent_m").Split(',')[0]);
        double sampleRate = config.Data.SampleRate ?? ParseDouble(dataPath, "fs", Meta("fs"));

        float[] initial = InitialFrame(options.Excite ?? "test:0", dataPath, dataset, gridPoints, ParseInt(dataPath, "modes", Meta("modes")));
        double pickup = options switch
        {
            { PickupGridPoint: { } j } when j >= 0 && j < gridPoints => (double)j / (gridPoints - 1),
            { PickupGridPoint: { } j } => throw new InvalidSettingException($"pickup grid point = {j}: must be in 0 … {gridPoints - 1}"),
            { PickupMetres: { } x } when x >= 0 && x <= length => x / length,
            { PickupMetres: { } x } => throw new InvalidSettingException($"pickup = {InvalidSettingException.Format(x)} m: must be in [0, {InvalidSettingException.Format(length)}] m (the string)"),
            _ => dataset.PickupFractionX,
        };
        return new ModelVoice(model, initial, config.Normalisation.Scale, sampleRate, pickup);
    }

    private static float[] InitialFrame(string excite, string dataPath, DatasetConfig dataset, int gridPoints, int modes)
    {
        string text = excite.Trim();
        if (text == "test" || text.StartsWith("test:", StringComparison.OrdinalIgnoreCase))
        {
            var split = TestSplit.Load(dataPath);
            int index = 0;
            if (text.Length > 4 && !int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw new InvalidSettingException($"initial state '{excite}': test:N needs a trajectory number N");
            if (index < 0 || index >= split.Count)
                throw new InvalidSettingException($"initial state '{excite}': the test split has trajectories 0 … {split.Count - 1}");
            int frame = split.GridPoints * 2;
            return split.Fields.AsSpan(index * split.FieldFrames * frame, frame).ToArray();
        }
        var physical = PhysicalSystem.Resolve(dataset.System, dataset.Preset, dataset.Overrides);
        var system = physical.Build(modes, dataset.TensionModulation, dataset.TensionCoefficient);
        var excitation = ExcitationSpec.Parse(text, system.Basis,
            _ => throw new InvalidSettingException("a model voice starts from an initial shape: force excitations are not available"));
        return GridInitialState.Project(excitation, system, gridPoints);
    }

    private static int ParseInt(string path, string key, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value : throw new InvalidDataException($"{path}: metadata '{key}' = '{text}' is not an integer");

    private static double ParseDouble(string path, string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value : throw new InvalidDataException($"{path}: metadata '{key}' = '{text}' is not a number");
}
