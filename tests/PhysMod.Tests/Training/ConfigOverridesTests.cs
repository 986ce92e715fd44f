using System.Text.Json;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Training;

/// <summary>Config resolution: preset → file → --set → --epochs/--seed; unknown keys and wrong types are one clear line.</summary>
public sealed class ConfigOverridesTests : IDisposable
{
    private static readonly FamilyConfig Start = new(
        new TrainingSettings { Epochs = 10, BatchSize = 4 },
        JsonSerializer.SerializeToElement(new { hidden = 8, activation = "gelu", encoder = new { width = 16, depth = 2 }, use_bias = true }));

    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SetChangesTrainingAndModelKeysOfEveryType()
    {
        var config = ConfigOverrides.Resolve(Start, assignments:
        [
            "training.epochs=3", "training.peak_learning_rate=2e-3", "training.optimizer=adam", "model.hidden=32",
            "model.activation=tanh", "model.encoder.width=64", "model.use_bias=false",
        ]);
        Assert.Equal(3, config.Training.Epochs);
        Assert.Equal(2e-3, config.Training.PeakLearningRate);
        Assert.Equal("adam", config.Training.Optimizer);
        Assert.Equal(4, config.Training.BatchSize);
        Assert.Equal(32, config.Model.GetProperty("hidden").GetInt32());
        Assert.Equal("tanh", config.Model.GetProperty("activation").GetString());
        Assert.Equal(64, config.Model.GetProperty("encoder").GetProperty("width").GetInt32());
        Assert.Equal(2, config.Model.GetProperty("encoder").GetProperty("depth").GetInt32());
        Assert.False(config.Model.GetProperty("use_bias").GetBoolean());
    }

    [Theory]
    [InlineData("training.epoch=3", "unknown key 'training.epoch'", "epochs")]
    [InlineData("model.hiden=3", "unknown key 'model.hiden'", "hidden")]
    [InlineData("model.encoder.widht=3", "unknown key 'model.encoder.widht'", "width")]
    [InlineData("epochs=3", "training.KEY or model.KEY")]
    [InlineData("training.epochs", "training.KEY=VALUE")]
    [InlineData("training.epochs=many", "training.epochs = 'many'", "a number")]
    [InlineData("training.epochs=1.5", "training.epochs")]
    [InlineData("training.epochs=0", "training.epochs = 0", "> 0")]
    [InlineData("model.use_bias=3", "model.use_bias = 3", "true or false")]
    [InlineData("model.encoder=3", "model.encoder is a group", "width")]
    [InlineData("training.optimizer=sgd", "training.optimizer = 'sgd'", "adamw, adam")]
    public void BadAssignmentsAreOneClearLine(string assignment, params string[] fragments)
    {
        var e = Assert.Throws<InvalidSettingException>(() => ConfigOverrides.Resolve(Start, assignments: [assignment]));
        Assert.DoesNotContain('\n', e.Message);
        foreach (var fragment in fragments) Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void FileMergesThenSetThenOptionsWin()
    {
        string path = _folder.PathOf("c.json");
        File.WriteAllText(path, """{ "training": { "epochs": 7, "batch_size": 2 }, "model": { "encoder": { "depth": 5 } } }""");
        var config = ConfigOverrides.Resolve(Start, path, ["training.batch_size=3"], epochs: 9, seed: 123);
        Assert.Equal(9, config.Training.Epochs);
        Assert.Equal(3, config.Training.BatchSize);
        Assert.Equal(123, config.Training.Seed);
        Assert.Equal(5, config.Model.GetProperty("encoder").GetProperty("depth").GetInt32());
        Assert.Equal(16, config.Model.GetProperty("encoder").GetProperty("width").GetInt32());
    }

    [Theory]
    [InlineData("""{ "trainign": { "epochs": 7 } }""", "unknown top-level key 'trainign'", "training, model")]
    [InlineData("""{ "training": { "epochz": 7 } }""", "unknown key 'training.epochz'")]
    [InlineData("""{ "model": { "hidden": "big" } }""", "model.hidden = \"big\"", "a number")]
    [InlineData("""{ "training": """, "not valid JSON")]
    [InlineData("""[1, 2]""", "must hold a JSON object")]
    public void BadFilesAreOneClearLineNamingTheFile(string json, params string[] fragments)
    {
        string path = _folder.PathOf("bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<InvalidSettingException>(() => ConfigOverrides.Resolve(Start, path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(path, e.Message);
        foreach (var fragment in fragments) Assert.Contains(fragment, e.Message);
    }
}
