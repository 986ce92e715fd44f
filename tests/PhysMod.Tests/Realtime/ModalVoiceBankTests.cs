using PhysMod.Realtime;
using PhysMod.Tests.Physics;

namespace PhysMod.Tests.Realtime;

/// <summary>Two code paths that must agree: each lane of <see cref="ModalVoiceBank"/> against a single
/// <see cref="ModalVoice"/> with the same system and excitation (same operations per mode; the tension sum is added in
/// another order, so they agree to float round-off), and the bank's mix against the sum of its lanes.</summary>
public sealed class ModalVoiceBankTests
{
    [Theory]
    [InlineData(PickupSignal.Velocity)]
    [InlineData(PickupSignal.Displacement)]
    public void EveryLaneMatchesASingleVoiceAndTheMixIsTheirSum(PickupSignal signal)
    {
        const int frames = 6_000, modes = 40;
        var prototype = VoiceSetups.System("string", modes, true);
        var bank = new ModalVoiceBank(prototype, VoiceSetups.Rate, signal);
        var singles = new ModalVoice[ModalVoiceBank.Lanes];
        for (int lane = 0; lane < ModalVoiceBank.Lanes; lane++)
        {
            // different notes, damping, nonlinearity on/off, excitations (plucks and strikes) per lane
            var system = VoiceSetups.System("string", modes, lane % 3 != 0, ("T0", 40 + 3 * lane), ("d1", 1e-4 * (1 + lane)));
            var excitation = VoiceSetups.Excite(lane % 4 == 1 ? $"strike:x={0.1 + 0.02 * lane},a=2,dur=0.002" : $"pluck:x={0.1 + 0.02 * lane},h={0.001 * (1 + lane % 5)}", system);
            var pickup = new PhysMod.Physics.Modal.Location(0.5 + 0.005 * lane);
            bank.SetSystem(lane, system, pickup);
            bank.Excite(lane, excitation);
            singles[lane] = new ModalVoice(system, VoiceSetups.Rate, pickup, signal);
            singles[lane].Excite(excitation);
        }
        var mix = new float[frames]; var lanes = new float[frames * ModalVoiceBank.Lanes];
        for (int start = 0; start < frames; start += 300)
            bank.Process(mix.AsSpan(start, 300), lanes.AsSpan(start * ModalVoiceBank.Lanes, 300 * ModalVoiceBank.Lanes));
        for (int lane = 0; lane < ModalVoiceBank.Lanes; lane++)
        {
            var expected = VoiceSetups.Render(singles[lane], frames, 300).Select(v => (double)v).ToArray();
            var actual = Enumerable.Range(0, frames).Select(n => (double)lanes[n * ModalVoiceBank.Lanes + lane]).ToArray();
            PhysicsAssert.Within(PhysicsAssert.RelativeMaxError(actual, expected), 1e-4, $"lane {lane}");
        }
        for (int n = 0; n < frames; n++)
        {
            double sum = 0, magnitude = 0;
            for (int lane = 0; lane < ModalVoiceBank.Lanes; lane++)
            {
                sum += lanes[n * ModalVoiceBank.Lanes + lane];
                magnitude += Math.Abs(lanes[n * ModalVoiceBank.Lanes + lane]);
            }
            // a float32 sum of 16 terms: within a few ulps of the largest partial sums
            Assert.True(Math.Abs(mix[n] - sum) <= 1e-6 * magnitude, $"frame {n}: mix {mix[n]} vs Σ lanes {sum}");
        }
    }

    [Fact]
    public void BankProcessAllocatesNothing()
    {
        var prototype = VoiceSetups.System("string", 50, true);
        var bank = new ModalVoiceBank(prototype, VoiceSetups.Rate);
        for (int lane = 0; lane < ModalVoiceBank.Lanes; lane++)
        {
            bank.SetSystem(lane, prototype, VoiceSetups.Pickup(prototype));
            bank.Excite(lane, VoiceSetups.Excite(lane % 2 == 0 ? "pluck" : "strike", prototype));
        }
        var block = new float[256];
        for (int i = 0; i < 10; i++) bank.Process(block);
        bank.Excite(3, VoiceSetups.Excite("strike:a=3", prototype));
        bank.SetSystem(5, VoiceSetups.System("string", 50, true, ("T0", 50)), VoiceSetups.Pickup(prototype));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) bank.Process(block);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(block, v => Assert.True(float.IsFinite(v)));
    }
}
