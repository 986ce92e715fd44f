using PhysMod.Learning.Koopman;
using PhysMod.Learning.Models;
using PhysMod.Learning.Operators;
using PhysMod.Learning.Ssm;
using static PhysMod.Tests.Realtime.ModelVoiceTestKit;

namespace PhysMod.Tests.Realtime;

/// <summary>A 10-minute render of each model voice stays finite and bounded: stable eigenvalues (|λ| &lt; 1 by construction)
/// keep every latent bounded, so the output never grows beyond what the first seconds reach. The FGRU's hidden field is a
/// convex combination of itself and tanh(·) ∈ [−1, 1] at every step, so it is bounded by max(|h_0|, 1) by construction too
/// (2 minutes: its voice costs ~4 µs per frame even at this size).</summary>
public sealed class ModelVoiceLongRenderTests
{
    public static TheoryData<string, int> Families => new() { { "ssm", 600 }, { "koopman", 600 }, { "fgru", 120 } };

    [Theory]
    [MemberData(nameof(Families))]
    public void TenMinutesStayFiniteAndBounded(string family, int seconds)
    {
        IModelFamily modelFamily = family switch { "ssm" => new SsmFamily(), "koopman" => new KoopmanFamily(), _ => new FgruFamily() };
        object config = family switch
        {
            "ssm" => new SsmModelConfig { NLayers = 1, DHidden = 8, RMin = 0.999, RMax = 1.0, MaxPhase = 0.5 },
            "koopman" => new KoopmanModelConfig { DLatent = 8, Width = 8, Depth = 1 },
            _ => new FgruModelConfig { Width = 4, NModes = 3 },
        };
        using var run = new TempRun();
        using var model = WriteRun(run.Folder, modelFamily, config, 5, 2, seed: 9);
        var voice = Voice(run.Folder, InitialFrame(5, 2, 1), 0.5, blockFrames: 256);
        var block = new float[16000];
        double early = 0, late = 0;
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
        Assert.Equal(seconds * 16000L, voice.Position);
        Assert.True(early > 0);
        Assert.True(late <= 1.5 * early, $"{family}: late peak {late:E3} grew beyond 1.5 × the first 10 s peak {early:E3}");
    }
}
