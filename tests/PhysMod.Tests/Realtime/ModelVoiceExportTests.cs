using System.Text.Json.Nodes;
using PhysMod.Learning.Export;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Ssm;
using PhysMod.Learning.Training;
using PhysMod.Physics;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary>Export from a run folder: one clear line for every way a run can fail to become a voice.</summary>
public sealed class ModelVoiceExportTests
{
    private static void EditConfig(string folder, Action<JsonObject> edit)
    {
        string path = new RunDirectory(folder).ConfigPath;
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static void AssertOneLine(Exception e, params string[] fragments)
    {
        Assert.DoesNotContain('\n', e.Message);
        foreach (string fragment in fragments) Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' not in: {e.Message}");
    }

    [Fact]
    public void ExportedModelsReportTheTorchParameterCount()
    {
        using var ssmRun = new TempRun();
        using var ssm = (StackedSsm)WriteRun(ssmRun.Folder, new SsmFamily(), new SsmModelConfig { NLayers = 3, DHidden = 8, Activation = "half_glu1" }, 5, 2, seed: 1);
        Assert.Equal(ssm.ParameterCount, VoiceExport.Load(ssmRun.Folder).Model.ParameterCount);
        using var koopmanRun = new TempRun();
        using var koopman = (KoopmanModel)WriteRun(koopmanRun.Folder, new KoopmanFamily(), new KoopmanModelConfig { DLatent = 8, Width = 12, Depth = 3, UseModulation = true, ModulationWidth = 6, ModulationDepth = 1 }, 5, 2, seed: 1);
        Assert.Equal(koopman.ParameterCount, VoiceExport.Load(koopmanRun.Folder).Model.ParameterCount);
    }

    [Fact]
    public void UnknownFamilyIsOneLine()
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 4 }, 5, 2, seed: 1);
        EditConfig(run.Folder, json => json["family"] = "dmd");
        var e = Assert.Throws<InvalidSettingException>(() => VoiceExport.Load(run.Folder));
        AssertOneLine(e, "'dmd'", "ssm, koopman");
    }

    [Fact]
    public void MissingCheckpointIsOneLine()
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, new KoopmanFamily(), new KoopmanModelConfig { DLatent = 4, Width = 8, Depth = 1 }, 5, 2, seed: 1);
        File.Delete(new RunDirectory(run.Folder).CheckpointPath);
        var e = Assert.Throws<FileNotFoundException>(() => VoiceExport.Load(run.Folder));
        AssertOneLine(e, RunDirectory.CheckpointFileName);
        var missing = Assert.Throws<DirectoryNotFoundException>(() => VoiceExport.Load(Path.Combine(run.Folder, "nope")));
        AssertOneLine(missing, "does not exist");
    }

    [Fact]
    public void TruncatedCheckpointIsOneLine()
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 4 }, 5, 2, seed: 1);
        string path = new RunDirectory(run.Folder).CheckpointPath;
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => VoiceExport.Load(run.Folder));
        AssertOneLine(e, path);
    }

    [Fact]
    public void ShapeMismatchNamesTheTensorAndBothShapes()
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 6 }, 5, 2, seed: 1);
        EditConfig(run.Folder, json => json["model"]!["d_hidden"] = 4);
        var e = Assert.Throws<InvalidDataException>(() => VoiceExport.Load(run.Folder));
        AssertOneLine(e, "'model.first.nu_log'", "[6]", "[4]", "d_hidden = 4");

        EditConfig(run.Folder, json => { json["model"]!["d_hidden"] = 6; json["model"]!["n_layers"] = 0; });
        var extra = Assert.Throws<InvalidDataException>(() => VoiceExport.Load(run.Folder));
        AssertOneLine(extra, "model.layers.0.");

        EditConfig(run.Folder, json => json["model"]!["n_layers"] = 2);
        var missing = Assert.Throws<InvalidDataException>(() => VoiceExport.Load(run.Folder));
        AssertOneLine(missing, "no tensor 'model.layers.1.");
    }

    [Fact]
    public void CheckpointOfAnotherFamilyIsOneLine()
    {
        using var ssmRun = new TempRun();
        using var koopmanRun = new TempRun();
        using var ssm = WriteRun(ssmRun.Folder, new SsmFamily(), new SsmModelConfig { NLayers = 1, DHidden = 4 }, 5, 2, seed: 1);
        using var koopman = WriteRun(koopmanRun.Folder, new KoopmanFamily(), new KoopmanModelConfig { DLatent = 4, Width = 8, Depth = 1 }, 5, 2, seed: 1);
        File.Copy(new RunDirectory(koopmanRun.Folder).CheckpointPath, new RunDirectory(ssmRun.Folder).CheckpointPath, overwrite: true);
        var e = Assert.Throws<InvalidDataException>(() => VoiceExport.Load(ssmRun.Folder));
        AssertOneLine(e, "koopman", "ssm");
    }
}
