using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.Ssm;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary>A 10-minute render of each model voice stays finite and bounded: stable eigenvalues (|λ| &lt; 1 by construction)
/// keep every latent bounded, so the output never grows beyond what the first seconds reach.</summary>
public sealed class ModelVoiceLongRenderTests
{
    public static TheoryData<string> Families => ["ssm", "koopman"];

    [Theory]
    [MemberData(nameof(Families))]
    public void TenMinutesStayFiniteAndBounded(string family)
    {
        IModelFamily modelFamily = family == "ssm" ? new SsmFamily() : new KoopmanFamily();
        object config = family == "ssm"
            ? new SsmModelConfig { NLayers = 1, DHidden = 8, RMin = 0.999, RMax = 1.0, MaxPhase = 0.5 }
            : new KoopmanModelConfig { DLatent = 8, Width = 8, Depth = 1 };
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, modelFamily, config, 5, 2, seed: 9);
        var voice = Voice(run.Folder, InitialFrame(5, 2, 1), 0.5, blockFrames: 256);
        var block = new float[16000];
        double early = 0, late = 0;
        int seconds = 600;
        for (int s = 0; s < seconds; s++)
        {
            voice.Process(block);
            foreach (float v in block)
            {
                Assert.True(float.IsFinite(v), $"non-finite sample after {s} s");
                if (s < 10) early = Math.Max(early, Math.Abs(v));
                else late = Math.Max(late, Math.Abs(v));
            }
        }
        Assert.Equal(600L * 16000, voice.Position);
        Assert.True(early > 0);
        Assert.True(late <= 1.5 * early, $"{family}: late peak {late:E3} grew beyond 1.5 × the first 10 s peak {early:E3}");
    }
}
