using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Physics.IO;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Cli;

/// <summary><c>physmod simulate</c> in-process: the full set of outputs, and one clear line and no files on bad input.</summary>
[Collection(CliCollection.Name)]
public sealed class SimulateCommandTests : IDisposable
{
    private static readonly string[] Outputs =
        ["field.png", "field.safetensors", "parameters.json", "spectrogram.png", "string-displacement.wav", "string.wav", "waveform.png"];

    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void SimulatesAStringAndPrintsEveryOutputPath()
    {
        string output = folder.PathOf("sim");
        var result = CliHarness.Run("simulate", "string", "--duration", "0.05", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Outputs, CliHarness.Entries(output)); // and no leftover staging folder
        Assert.Equal(Outputs.Select(name => Path.Combine(Path.GetFullPath(output), name)), result.StdoutLines);
        Assert.DoesNotContain("error", result.Stderr);

        const int frames = 2400; // 0.05 s at the default 48 kHz
        foreach (string wav in new[] { "string.wav", "string-displacement.wav" })
        {
            var audio = WavFile.Read(Path.Combine(output, wav));
            Assert.Equal(48000, audio.SampleRate);
            Assert.Equal(frames, audio.Samples.Length);
            Assert.All(audio.Samples, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1f));
            Assert.True(audio.Samples.Max(Math.Abs) > 0.5f, $"{wav} is peak-normalised");
        }
        foreach (string png in new[] { "waveform.png", "spectrogram.png", "field.png" })
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(output, png))[..4]);

        using (var field = SafetensorsFile.Open(Path.Combine(output, "field.safetensors")))
        {
            Assert.Equal("physmod-simulation/1", field.Metadata["format"]);
            Assert.Equal("displacement,velocity", field.Metadata["channels"]);
            Assert.Equal([frames, 2L], field.Info("pickup").Shape);
            Assert.Equal([frames, 101L, 2L], field.Info("field").Shape); // 0.05 s of field at 101 grid points
            Assert.All(field.ReadSingle("field"), v => Assert.True(float.IsFinite(v)));
        }

        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "parameters.json")));
        var root = parameters.RootElement;
        Assert.Equal("string", root.GetProperty("system").GetString());
        Assert.Equal(48000, root.GetProperty("fs").GetDouble());
        Assert.Equal(0.05, root.GetProperty("duration").GetDouble());
        Assert.Equal("conservative", root.GetProperty("integrator").GetString());
        Assert.True(root.GetProperty("tension_modulation").GetBoolean());
        Assert.Contains(root.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "T0");
    }

    [Fact]
    public void RerunIntoTheSameFolderReplacesTheOutputs()
    {
        string output = folder.PathOf("again");
        Assert.Equal(0, CliHarness.Run("simulate", "string", "--duration", "0.02", "--out", output).ExitCode);
        var second = CliHarness.Run("simulate", "string", "--duration", "0.02", "--linear", "--out", output);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(Outputs, CliHarness.Entries(output));
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "parameters.json")));
        Assert.False(parameters.RootElement.GetProperty("tension_modulation").GetBoolean());
    }

    public static TheoryData<string, string[]> BadInputs => new()
    {
        { "simulate violin", ["'violin'", "string"] },
        { "simulate string --preset nope", ["'nope'", "nylon-b"] },
        { "simulate string --set T0=-1", ["T0", "-1"] },
        { "simulate string --set T0=abc", ["T0=abc"] },
        { "simulate string --set Q=1", ["'Q'", "T0"] },
        { "simulate string --pickup 0.9", ["0.9", "0.65"] },
        { "simulate string --fs 0", ["fs = 0"] },
        { "simulate string --integrator bogus", ["'bogus'", "conservative"] },
        { "simulate string --integrator verlet --modes 50 --fs 48000", ["verlet", "--oversample"] },
        { "simulate string --excite pluck:x=2", ["x = 2", "0.65"] },
        { "simulate string --oversample 0", ["oversample = 0"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesOneLineAndNoFiles(string commandLine, string[] fragments)
    {
        string output = folder.PathOf("out");
        Directory.CreateDirectory(output);
        var result = CliHarness.Run([.. CliHarness.Split(commandLine), "--duration", "0.02", "--out", output]);
        CliHarness.AssertFailsWithOneLine(result, fragments);
        Assert.Empty(CliHarness.Entries(output)); // no files, no ".staging-*" folder
    }

    [Fact]
    public void UnwritableOutputFolderGivesOneLineAndNoFiles()
    {
        string blocker = folder.PathOf("blocker");
        File.WriteAllText(blocker, "a file, not a folder");
        string output = Path.Combine(blocker, "sub");
        var result = CliHarness.Run("simulate", "string", "--duration", "0.02", "--out", output);
        CliHarness.AssertFailsWithOneLine(result, output);
        Assert.Equal(["blocker"], CliHarness.Entries(folder.Root));
        Assert.Equal("a file, not a folder", File.ReadAllText(blocker));
    }
}
