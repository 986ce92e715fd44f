using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Ssm;
using PhysMod.Realtime.Models;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary>The streaming contract of model voices: no allocations in Process, Reset restarts exactly, the output does not
/// depend on how it is split into blocks, and changes take effect at block boundaries.</summary>
public sealed class ModelVoiceStreamingTests
{
    private const int GridPoints = 11;
    private const int Channels = 2;

    public static TheoryData<string> Families => ["ssm", "koopman", "frnn", "fgru"];

    private static IModelFamily Family(string name) => name switch
    {
        "ssm" => new SsmFamily(),
        "koopman" => new KoopmanFamily(),
        "frnn" => new FrnnFamily(),
        _ => new FgruFamily(),
    };

    private static object Config(string name) => name switch
    {
        "ssm" => new SsmModelConfig { NLayers = 2, DHidden = 16, Activation = "half_glu1" },
        "koopman" => new KoopmanModelConfig { DLatent = 16, Width = 40, Depth = 2, UseModulation = true, ModulationWidth = 8, ModulationDepth = 1 },
        "frnn" => new FrnnModelConfig { Width = 8, Depth = 2, NModes = 6, Activation = "gelu", GridChannel = true },
        _ => new FgruModelConfig { Width = 8, NModes = 7 },
    };

    private static float[] Render(ModelVoice voice, int samples, params int[] blocks)
    {
        var output = new float[samples];
        int position = 0, i = 0;
        while (position < samples)
        {
            int size = Math.Min(blocks[i++ % blocks.Length], samples - position);
            voice.Process(output.AsSpan(position, size));
            position += size;
        }
        return output;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ProcessAllocatesNothing(string family)
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, Family(family), Config(family), GridPoints, Channels, seed: 1);
        var voice = Voice(run.Folder, InitialFrame(GridPoints, Channels, 2), 0.3);
        var block = new float[256];
        var frames = new float[3 * voice.FrameSize];
        var other = Physical(InitialFrame(GridPoints, Channels, 5), Channels);
        for (int i = 0; i < 4; i++)
        {
            voice.Process(block);
            voice.ProcessFrames(frames);
            voice.SetPickup(0.5);
            voice.SetInitialState(other);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 40; i++)
        {
            voice.Process(block);
            if (i % 5 == 0) voice.SetPickup(0.1 * (i % 10));
            if (i % 7 == 0) voice.SetInitialState(other);
            if (i % 3 == 0) voice.ProcessFrames(frames);
            if (i % 11 == 0) voice.Reset();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.All(block, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ResetReproducesTheSameOutput(string family)
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, Family(family), Config(family), GridPoints, Channels, seed: 2);
        var voice = Voice(run.Folder, InitialFrame(GridPoints, Channels, 3), 0.7);
        var first = Render(voice, 3000, 512);
        voice.SetPickup(0.2);
        voice.SetInitialState(Physical(InitialFrame(GridPoints, Channels, 9), Channels));
        _ = Render(voice, 777, 100);
        voice.Reset();
        var second = Render(voice, 3000, 512);
        Assert.Equal(first, second);
        Assert.Contains(first, v => v != 0);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void OutputDoesNotDependOnBlockSizes(string family)
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, Family(family), Config(family), GridPoints, Channels, seed: 3);
        var x0 = InitialFrame(GridPoints, Channels, 4);
        var whole = Render(Voice(run.Folder, x0, 0.43), 5000, 5000);
        var ragged = Render(Voice(run.Folder, x0, 0.43), 5000, 1, 17, 64, 100, 333, 2, 4096);
        var otherModelBlocks = Render(Voice(run.Folder, x0, 0.43, blockFrames: 5), 5000, 128);
        Assert.Equal(whole, ragged);
        Assert.Equal(whole, otherModelBlocks);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ChangesTakeEffectAtTheNextBlock(string family)
    {
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, Family(family), Config(family), GridPoints, Channels, seed: 4);
        var x0 = InitialFrame(GridPoints, Channels, 5);
        var moved = Voice(run.Folder, x0, 0.25);
        var before = Render(moved, 150, 150);
        moved.SetPickup(0.9);
        Assert.Equal(0.25, moved.Pickup);                                                             // pending until the next block
        var after = Render(moved, 150, 150);
        var reference = Render(Voice(run.Folder, x0, 0.9), 300, 300);
        Assert.Equal(reference[150..], after);
        Assert.NotEqual(reference[..150], before);

        var second = InitialFrame(GridPoints, Channels, 6);
        var restarted = Voice(run.Folder, x0, 0.6);
        _ = Render(restarted, 99, 99);
        restarted.SetInitialState(Physical(second, Channels));
        var fresh = Render(Voice(run.Folder, second, 0.6), 500, 500);
        Assert.Equal(fresh, Render(restarted, 500, 500));
        Assert.Equal(500, restarted.Position);
    }
}
