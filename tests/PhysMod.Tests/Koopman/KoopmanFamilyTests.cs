using System.Text.Json;
using PhysMod.Learning.Koopman;
using PhysMod.Physics;
using PhysMod.Physics.Datasets;

namespace PhysMod.Tests.Koopman;

/// <summary>The koopman family: tutorial defaults, the JSON form of the model config, and the factory.</summary>
public sealed class KoopmanFamilyTests
{
    [Fact]
    public void TheDefaultConfigHasTheTutorialValuesPlusEnergyPhaseLinearSkipAndDmdStart()
    {
        var family = new KoopmanFamily();
        Assert.Equal("koopman", family.Name);
        var model = KoopmanModelConfig.FromJson(family.DefaultConfig.Model);
        // the tutorial's model + PhysMod's energy_phase, linear path and DMD start
        Assert.Equal(new KoopmanModelConfig { EnergyPhase = true, LinearSkip = true, Init = "dmd" }, model);
        Assert.Equal((false, false, "ring"), (new KoopmanModelConfig().EnergyPhase, new KoopmanModelConfig().LinearSkip, new KoopmanModelConfig().Init));
        Assert.Equal(new KoopmanModelConfig(), KoopmanModelConfig.FromJson(family.TutorialModel));
        Assert.Equal((128, 256, 3, 0.99, 1.0, Math.PI, false, false), (model.DLatent, model.Width, model.Depth, model.RMin, model.RMax, model.MaxPhase, model.ClipEigs, model.UseModulation));
        Assert.Equal((1.0, 1.0, 0.1), (model.PredictionWeight, model.ReconstructionWeight, model.ConsistencyWeight));
        var training = family.DefaultConfig.Training.Validate();
        Assert.Equal((25, 1e-3, "adamw", 1.0, 100, 200), (training.BatchSize, training.PeakLearningRate, training.Optimizer, training.ClipNorm, training.TrainFrames, training.EvalFrames));
        Assert.True(training.KeepBest && training.ValidateEvery > 0);
        family.QuickConfig.Training.Validate();
        Assert.True(family.QuickConfig.Training.Epochs < training.Epochs);
    }

    [Fact]
    public void TheModelConfigIsSnakeCaseJsonAndRejectsUnknownKeys()
    {
        var json = new KoopmanModelConfig().ToJson();
        var names = json.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("d_latent", names);
        Assert.Contains("r_min", names);
        Assert.Contains("max_phase", names);
        Assert.Contains("clip_eigs", names);
        Assert.Contains("consistency_weight", names);
        Assert.DoesNotContain("eigenvalue_count", names);
        var changed = KoopmanModelConfig.FromJson(JsonDocument.Parse("""{"d_latent": 64, "use_modulation": true}""").RootElement);
        Assert.Equal(new KoopmanModelConfig { DLatent = 64, UseModulation = true }, changed);
        Assert.Equal(changed, KoopmanModelConfig.FromJson(JsonSerializer.SerializeToElement(changed, DatasetConfig.Json)));
        Assert.Contains("latent_size", Assert.Throws<InvalidSettingException>(() =>
            KoopmanModelConfig.FromJson(JsonDocument.Parse("""{"latent_size": 64}""").RootElement)).Message);
    }

    [Theory]
    [InlineData("""{"d_latent": 7}""", "d_latent")]
    [InlineData("""{"r_min": 1.0}""", "r_min")]
    [InlineData("""{"max_phase": 0}""", "max_phase")]
    [InlineData("""{"consistency_weight": -0.1}""", "consistency_weight")]
    public void BadValuesAreNamed(string json, string name)
    {
        var error = Assert.Throws<InvalidSettingException>(() => KoopmanModelConfig.FromJson(JsonDocument.Parse(json).RootElement));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void TheFactoryBuildsAKoopmanModelFromJson()
    {
        var family = new KoopmanFamily();
        var json = new KoopmanModelConfig { DLatent = 8, Width = 16, Depth = 1 }.ToJson();
        using var model = family.Create(json, gridPoints: 5, channels: 2, trainFrames: 100, seed: 3);
        var koopman = Assert.IsType<KoopmanModel>(model);
        Assert.False(model.ClosedForm);
        Assert.Equal("koopman", model.Family);
        Assert.Same(koopman, model.Module);
        Assert.Equal(8, koopman.Config.DLatent);
    }
}
