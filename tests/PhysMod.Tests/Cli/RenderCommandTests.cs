using PhysMod.Audio;
using PhysMod.Cli.Commands;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Simulation;
using PhysMod.Realtime;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Cli;

/// <summary><c>physmod render</c> in-process: the WAV is the engine's output, run folders go to the factory given to
/// <see cref="RenderCommand.Create"/>, and bad input gives one clear line.</summary>
[Collection(CliCollection.Name)]
public sealed class RenderCommandTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void WritesTheVoiceOutputSampleForSample()
    {
        string path = folder.PathOf("string.wav");
        var result = CliHarness.Run("render", "string", "--duration", "0.25", "--modes", "40", "--no-normalise", "--excite", "pluck:h=0.004", "--out", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Path.GetFullPath(path)], result.StdoutLines);
        var audio = WavFile.Read(path);
        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(12000, audio.Samples.Length);

        var system = PhysicalSystem.Resolve("string", "", []).Build(40, tensionModulation: true);
        var voice = new ModalVoice(system, 48000, new Location(0.82 * 0.65), PickupSignal.Velocity,
            PhysMod.Physics.Excitations.ExcitationSpec.Parse("pluck:h=0.004", system.Basis, _ => throw new InvalidOperationException()));
        var expected = new float[12000];
        for (int start = 0; start < expected.Length; start += RenderCommand.DefaultBlock)
            voice.Process(expected.AsSpan(start, Math.Min(RenderCommand.DefaultBlock, expected.Length - start)));
        Assert.Equal(expected, audio.Samples);
    }

    [Fact]
    public void RunFolderWithoutAFactoryFailsWithOneLine()
    {
        string run = folder.PathOf("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.json"), "{}");
        string path = folder.PathOf("out.wav");
        CliHarness.AssertFailsWithOneLine(CliHarness.Run("render", run, "--out", path), "run folder", "RenderCommand.Create");
        CliHarness.AssertFailsWithOneLine(CliHarness.Run("render", run, "--modes", "5", "--out", path), "--modes", "run folder");
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void RunFolderGoesToTheFactoryWithTheSettings()
    {
        string run = folder.PathOf("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.json"), "{}");
        string path = folder.PathOf("run.wav");
        (string Folder, RenderSettings Settings)? seen = null;
        var system = PhysicalSystem.Resolve("string", "", []).Build(20, tensionModulation: false);
        IVoice Factory(string source, RenderSettings settings)
        {
            seen = (source, settings);
            return new ModalVoice(system, 16000, new Location(0.3), settings.Signal,
                new PhysMod.Physics.Excitations.TriangularPluck(0.003, 0.1));
        }
        var result = CliHarness.RunWith([RenderCommand.Create(Factory)], ["render", run, "--duration", "0.5", "--signal", "displacement", "--excite", "pluck", "--out", path]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(run, seen!.Value.Folder);
        Assert.Equal(new RenderSettings(null, 0.5, "pluck", PickupSignal.Displacement), seen.Value.Settings);
        var audio = WavFile.Read(path);
        Assert.Equal(16000, audio.SampleRate);          // the voice's own rate
        Assert.Equal(8000, audio.Samples.Length);
    }

    [Theory]
    [InlineData("render string --signal pressure", "signal 'pressure'", "velocity, displacement")]
    [InlineData("render strng", "'strng'", "run folder")]
    [InlineData("render string --integrator verlet", "verlet", "conservative")]
    [InlineData("render string --block 0", "block = 0", "between 1")]
    [InlineData("render string --set T0=-1", "T0", "must be")]
    public void BadInputGivesOneLineAndNoFile(string commandLine, string first, string second)
    {
        string path = folder.PathOf("bad.wav");
        var result = CliHarness.Run([.. CliHarness.Split(commandLine), "--out", path]);
        CliHarness.AssertFailsWithOneLine(result, first, second);
        Assert.False(File.Exists(path));
    }
}
