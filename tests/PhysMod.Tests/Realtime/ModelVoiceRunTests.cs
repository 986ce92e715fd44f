using PhysMod.Learning.Evaluation;
using PhysMod.Learning.Export;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Ssm;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Simulation;
using PhysMod.Realtime.Models;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary><see cref="RunVoices.Load"/>: initial states from the dataset's test split or from an excitation projected onto the
/// grid, the pickup, and bad options.</summary>
public sealed class ModelVoiceRunTests
{
    private static readonly DatasetConfig Recipe = DatasetPresets.StringBenchmark with { Duration = 0.002, GridPoints = 21, FieldFrames = 4 };

    private static DatasetData WriteDataset(string path)
    {
        var data = DatasetGenerator.Generate(Recipe, 10, 5, DatasetShard.Whole, 1);
        DatasetFile.Write(path, data);
        return data;
    }

    [Fact]
    public void ProjectedGaussianEqualsTheDatasetsFirstFrame()
    {
        // the dataset's frame 0 is the modal initial state of its drawn gaussian, reconstructed on the grid
        var data = DatasetGenerator.Generate(Recipe, 3, 11, DatasetShard.Whole, 1);
        var physical = PhysicalSystem.Resolve(Recipe.System, Recipe.Preset, Recipe.Overrides);
        var system = physical.Build(data.Modes, Recipe.TensionModulation, Recipe.TensionCoefficient);
        int size = data.GridPoints * 2;
        for (int n = 0; n < data.Count; n++)
        {
            double a = data.Draws[n * 5], x = data.Draws[n * 5 + 1], width = data.Draws[n * 5 + 3];
            var frame = GridInitialState.Project(new GaussianShape(a, new Location(x), width), system, data.GridPoints);
            var expected = data.Fields.AsSpan(n * data.FieldFrames * size, size);
            double peak = 0;
            foreach (float v in expected) peak = Math.Max(peak, Math.Abs(v));
            for (int i = 0; i < size; i++) Assert.True(Math.Abs(frame[i] - expected[i]) <= 1e-6 * peak, $"trajectory {n}, value {i}: {frame[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void DefaultVoiceStartsFromTheFirstTestTrajectoryAtTheDatasetPickup()
    {
        using var run = new TempRun();
        string dataPath = Path.Combine(run.Folder, "data.safetensors");
        WriteDataset(dataPath);
        string runFolder = Path.Combine(run.Folder, "run");
        using var model = WriteRun(runFolder, new KoopmanFamily(), new KoopmanModelConfig { DLatent = 8, Width = 16, Depth = 1 }, 21, 2, seed: 3, dataPath);
        var voice = RunVoices.Load(runFolder);
        Assert.Equal(SampleRate, voice.SampleRate);
        Assert.Equal(Recipe.PickupFractionX, voice.Pickup, 12);

        var split = TestSplit.Load(dataPath);
        var (config, frameModel) = VoiceExport.Load(runFolder);
        var manual = new ModelVoice(frameModel, split.Fields.AsSpan(0, 42), config.Normalisation.Scale, SampleRate, Recipe.PickupFractionX);
        var expected = new float[700];
        manual.Process(expected);
        var actual = new float[700];
        voice.Process(actual);
        Assert.Equal(expected, actual);

        var byMetres = RunVoices.Load(runFolder, new RunVoiceOptions { PickupMetres = 0.82 * 0.65 });
        Assert.Equal(0.82, byMetres.Pickup, 9);
        var byPoint = RunVoices.Load(runFolder, new RunVoiceOptions { PickupGridPoint = 5 });
        Assert.Equal(0.25, byPoint.Pickup, 12);
    }

    [Fact]
    public void PluckVoiceStartsFromTheProjectedPluck()
    {
        using var run = new TempRun();
        string dataPath = Path.Combine(run.Folder, "data.safetensors");
        var data = WriteDataset(dataPath);
        string runFolder = Path.Combine(run.Folder, "run");
        using var model = WriteRun(runFolder, new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 8 }, 21, 2, seed: 3, dataPath);
        var voice = RunVoices.Load(runFolder, new RunVoiceOptions { Excite = "pluck:x=0.2,h=0.004" });
        var system = PhysicalSystem.Resolve(Recipe.System, Recipe.Preset, Recipe.Overrides).Build(data.Modes, Recipe.TensionModulation);
        var pluck = GridInitialState.Project(new TriangularPluck(0.004, 0.2), system, 21);
        var (config, frameModel) = VoiceExport.Load(runFolder);
        var manual = new ModelVoice(frameModel, pluck, config.Normalisation.Scale, SampleRate, Recipe.PickupFractionX);
        var expected = new float[300];
        manual.Process(expected);
        var actual = new float[300];
        voice.Process(actual);
        Assert.Equal(expected, actual);
        // the projected pluck peaks near h at x = 0.2 m (band-limited to the dataset's modes)
        int peak = Enumerable.Range(0, 21).MaxBy(j => pluck[2 * j]);
        Assert.Equal(Math.Round(0.2 / 0.65 * 20), peak);
        Assert.InRange(pluck[2 * peak], 0.0035, 0.0045);
    }

    [Theory]
    [InlineData("test:5", "test split has trajectories 0 … 0")]
    [InlineData("test:x", "test:N")]
    [InlineData("strike", "is a force")]
    [InlineData("bow", "unknown excitation 'bow'")]
    public void BadInitialStatesAreOneLine(string excite, string fragment)
    {
        using var run = new TempRun();
        string dataPath = Path.Combine(run.Folder, "data.safetensors");
        WriteDataset(dataPath);
        string runFolder = Path.Combine(run.Folder, "run");
        using var model = WriteRun(runFolder, new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 4 }, 21, 2, seed: 3, dataPath);
        var e = Assert.Throws<InvalidSettingException>(() => RunVoices.Load(runFolder, new RunVoiceOptions { Excite = excite }));
        Assert.Contains(fragment, e.Message);
        var pickup = Assert.Throws<InvalidSettingException>(() => RunVoices.Load(runFolder, new RunVoiceOptions { PickupMetres = 0.9 }));
        Assert.Contains("pickup = 0.9 m", pickup.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => RunVoices.Load(runFolder, new RunVoiceOptions { DataPath = dataPath + ".missing" }));
        Assert.Contains("dataset", missing.Message);
    }
}
