using PhysMod.Physics.Modal;
using PhysMod.Realtime;

namespace PhysMod.Tests.Realtime;

/// <summary>The streaming contract of <see cref="ModalVoice"/>: block-size independence, no allocations in Process, and
/// changes taking effect exactly at block boundaries.</summary>
public sealed class ModalVoiceStreamingTests
{
    [Theory]
    [InlineData("string", 50, true, "pluck:h=0.005")]
    [InlineData("string", 40, true, "strike:x=0.2,a=3,dur=0.003")]
    [InlineData("plate", 70, true, "gaussian:a=0.001,width=0.03")]
    public void BlockSizeDoesNotChangeTheSamples(string kind, int modes, bool tensionModulation, string excite)
    {
        var system = VoiceSetups.System(kind, modes, tensionModulation);
        var excitation = VoiceSetups.Excite(excite, system);
        const int frames = 5_000;      // spans several flush intervals (1024 steps) and the whole strike
        float[] Render(int block) =>
            VoiceSetups.Render(new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, excitation), frames, block);
        var reference = Render(1);
        Assert.Contains(reference, v => v != 0);
        foreach (int block in new[] { 64, 1000, frames })
            Assert.Equal(reference, Render(block));      // bit for bit
    }

    [Fact]
    public void ProcessAllocatesNothingIncludingChangesForcesAndFlushes()
    {
        var system = VoiceSetups.System("string", 50, true);
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, VoiceSetups.Excite("pluck", system));
        var tighter = VoiceSetups.System("string", 50, true, ("T0", 75));
        var block = new float[128];
        void Exercise()
        {
            for (int i = 0; i < 20; i++) voice.Process(block);      // crosses flush intervals
        }
        // warm-up: every code path once (JIT), then prepare the changes off the "audio thread" (they may allocate)
        voice.Excite(VoiceSetups.Excite("strike:x=0.3,a=1,dur=0.002", system));
        Exercise();
        voice.SetSystem(tighter);
        voice.Excite(VoiceSetups.Excite("pluck:h=0.002", system));
        Exercise();
        voice.Excite(VoiceSetups.Excite("strike:x=0.1,a=2,dur=0.001", system));
        voice.SetPickup(new Location(0.4));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exercise();
        voice.Process(block.AsSpan(0, 1));
        voice.Process(Span<float>.Empty);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.All(block, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ExciteRestartsExactlyAtTheNextBlock()
    {
        var system = VoiceSetups.System("string", 50, true);
        var pickup = VoiceSetups.Pickup(system);
        var second = VoiceSetups.Excite("pluck:x=0.3,h=0.004", system);
        var voice = new ModalVoice(system, VoiceSetups.Rate, pickup, PickupSignal.Velocity, VoiceSetups.Excite("pluck", system));
        VoiceSetups.Render(voice, 1_000, 100);
        voice.Excite(second);
        var continued = VoiceSetups.Render(voice, 3_000, 100);
        var fresh = VoiceSetups.Render(new ModalVoice(system, VoiceSetups.Rate, pickup, PickupSignal.Velocity, second), 3_000, 100);
        Assert.Equal(fresh, continued);
    }

    [Fact]
    public void MovingThePickupChangesOnlyTheReadout()
    {
        var system = VoiceSetups.System("string", 50, true);
        var pluck = VoiceSetups.Excite("pluck", system);
        var moved = new Location(0.3);
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Displacement, pluck);
        var there = new ModalVoice(system, VoiceSetups.Rate, moved, PickupSignal.Displacement, pluck);
        VoiceSetups.Render(voice, 777, 777);
        VoiceSetups.Render(there, 777, 777);
        voice.SetPickup(moved);
        Assert.Equal(VoiceSetups.Render(there, 2_000, 50), VoiceSetups.Render(voice, 2_000, 50));
    }

    [Fact]
    public void RaisingTheTensionFourfoldDoublesThePitchFromTheNextBlock()
    {
        // lossless linear string without stiffness: f₁ = √(T0/ρA)/(2L), so f₁ ∝ √T0
        var system = VoiceSetups.System("string", 30, false, ("d1", 0), ("d3", 0), ("I", 0));
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Displacement, VoiceSetups.Excite("pluck:x=0.3", system));
        var before = VoiceSetups.Render(voice, 48_000, 480);
        voice.SetSystem(VoiceSetups.System("string", 30, false, ("d1", 0), ("d3", 0), ("I", 0), ("T0", 4 * 60.97)));
        var after = VoiceSetups.Render(voice, 48_000, 480);
        double ratio = (double)UpwardCrossings(after) / UpwardCrossings(before);
        Assert.InRange(ratio, 1.98, 2.02);
        Assert.Equal(system.Modes, voice.ActiveModes);
    }

    // Periods of a string plucked off-centre: one upward zero crossing of the displacement per fundamental period.
    private static int UpwardCrossings(float[] signal)
    {
        int count = 0;
        for (int i = 1; i < signal.Length; i++) if (signal[i - 1] < 0 && signal[i] >= 0) count++;
        return count;
    }

    [Fact]
    public void ResetReturnsToTheStateAfterConstruction()
    {
        var system = VoiceSetups.System("plate", 60, true);
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, VoiceSetups.Excite("strike", system));
        var first = VoiceSetups.Render(voice, 2_000, 256);
        voice.SetSystem(VoiceSetups.System("plate", 60, true, ("T0", 100)));
        voice.Excite(VoiceSetups.Excite("gaussian", system));
        VoiceSetups.Render(voice, 500, 256);
        voice.Reset();
        Assert.Equal(first, VoiceSetups.Render(voice, 2_000, 256));
    }
}
