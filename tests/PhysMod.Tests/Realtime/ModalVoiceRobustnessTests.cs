using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Realtime;
using PhysMod.Tests.Physics;
using Xunit.Abstractions;

namespace PhysMod.Tests.Realtime;

/// <summary>Energy, the linear limit, long renders, decay to exact silence and extreme but valid parameters.</summary>
public sealed class ModalVoiceRobustnessTests(ITestOutputHelper output)
{
    [Fact]
    public void DiscreteEnergyOfTheLosslessNonlinearStringDoesNotGrow()
    {
        // no damping, a 1 cm pluck (strongly nonlinear): H^{n+½} of the conservative scheme is invariant up to float round-off
        var system = VoiceSetups.System("string", 50, true, ("d1", 0), ("d3", 0));
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, VoiceSetups.Excite("pluck:h=0.01", system));
        var block = new float[4_800];
        VoiceSetups.Render(voice, 1, 1);
        double h0 = voice.Energy(), drift = 0;
        for (int i = 0; i < 200; i++)      // 20 s
        {
            voice.Process(block);
            drift = Math.Max(drift, (voice.Energy() - h0) / h0);
        }
        output.WriteLine($"H0 = {h0:E4}, largest relative growth over 20 s = {drift:E2}");
        Assert.True(drift < 1e-4, $"energy grew by {drift:E2} relative");
        Assert.True(voice.Energy() > 0.999 * h0, "lossless energy must not decay either");
    }

    [Fact]
    public void EnergyMatchesTheDoublePrecisionConservativeStepper()
    {
        var system = VoiceSetups.System("string", 40, true);
        var excitation = VoiceSetups.Excite("pluck:h=0.008", system);
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, excitation);
        var stepper = new ConservativeStepper<double>(system, 1 / VoiceSetups.Rate, forced: false);
        var q0 = new double[40]; var v0 = new double[40];
        excitation.InitialState(system, q0, v0);
        stepper.Start(q0, v0);
        VoiceSetups.Render(voice, 1, 1);                       // voice: frames 0 and 1 stored, as the stepper after Start
        for (int n = 0; n < 3_000; n++)
        {
            if (n % 500 == 0)
                Assert.True(Math.Abs(voice.Energy() / stepper.DiscreteEnergy() - 1) < 1e-5, $"frame {n}: {voice.Energy():E6} vs {stepper.DiscreteEnergy():E6}");
            VoiceSetups.Render(voice, 1, 1);
            stepper.Advance();
        }
    }

    [Fact]
    public void NonlinearDeviationVanishesQuadraticallyInTheLinearLimit()
    {
        // Kirchhoff–Carrier force ∝ q³: the difference to the linear string scales with the square of the amplitude
        var nonlinear = VoiceSetups.System("string", 50, true);
        var linear = VoiceSetups.System("string", 50, false);
        double Deviation(double height)
        {
            var pluck = VoiceSetups.Excite($"pluck:h={height}", nonlinear);
            var a = VoiceSetups.Render(new ModalVoice(nonlinear, VoiceSetups.Rate, VoiceSetups.Pickup(nonlinear), PickupSignal.Displacement, pluck), 4_800, 480);
            var b = VoiceSetups.Render(new ModalVoice(linear, VoiceSetups.Rate, VoiceSetups.Pickup(linear), PickupSignal.Displacement, pluck), 4_800, 480);
            return PhysicsAssert.RelativeMaxError(a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray());
        }
        double large = Deviation(2e-3), small = Deviation(1e-3);
        output.WriteLine($"deviation at 2 mm {large:E3}, at 1 mm {small:E3}, ratio {large / small:F3}");
        Assert.InRange(large / small, 3.6, 4.4);
        Assert.True(Deviation(1e-6) < 1e-5, "a 1 µm pluck is linear to float precision");
    }

    [Fact]
    public void TenMinutesStayFiniteBoundedAndDecayToExactSilence()
    {
        var system = VoiceSetups.System("string", 50, true);
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, VoiceSetups.Excite("pluck:h=0.005", system));
        var block = new float[4_800];
        double first = 0, peakLater = 0, h = voice.Energy();
        int blocks = (int)(600 * VoiceSetups.Rate / block.Length);
        for (int b = 0; b < blocks; b++)
        {
            voice.Process(block);
            foreach (var v in block)
            {
                if (!float.IsFinite(v)) Assert.Fail($"sample {v} in block {b}");
                if (b < 10) first = Math.Max(first, Math.Abs(v)); else peakLater = Math.Max(peakLater, Math.Abs(v));
            }
            if (b % 100 == 0)
            {
                double now = voice.Energy();
                Assert.True(now <= h * (1 + 1e-6), $"energy grew at block {b}: {now:E4} > {h:E4}");
                h = now;
            }
        }
        Assert.True(peakLater <= first, $"later peak {peakLater:E3} above the first second's {first:E3}");
        Assert.All(block, v => Assert.Equal(0f, v));           // decayed modes were flushed to exact zeros, never denormal
        Assert.Equal(0, voice.Energy());
    }

    public static TheoryData<string, string, string> Extremes => new()
    {
        { "string", "T0=20000", "pluck:h=0.005" },              // most modes above Nyquist: silenced
        { "string", "d1=0,d3=0", "pluck:h=0.2" },               // lossless, 20 cm pluck: far into the nonlinear range
        { "string", "E=1e13", "pluck:h=0.05" },                 // extreme tension modulation
        { "string", "d1=50,d3=0.01", "pluck:h=0.005" },         // overdamped modes
        { "string", "T0=0.001,I=1e-18", "strike:a=100,dur=0.0001" },   // nearly slack string, hard strike
        { "plate", "h=0.0001", "gaussian:a=0.05,width=0.02" },  // thin plate, amplitude 500 × thickness
        { "membrane", "T0=100000", "strike:a=1000" },
    };

    [Theory]
    [MemberData(nameof(Extremes))]
    public void ExtremeButValidParametersStayFiniteWithNonIncreasingEnergy(string kind, string overrides, string excite)
    {
        var pairs = overrides.Split(',').Select(p => p.Split('=')).Select(p => (p[0], double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var system = VoiceSetups.System(kind, 60, true, pairs);
        var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), PickupSignal.Velocity, VoiceSetups.Excite(excite, system));
        var block = new float[480];
        voice.Process(block);
        double h = voice.Energy(), peak = 0;
        bool forced = excite.StartsWith("strike", StringComparison.Ordinal);
        for (int b = 1; b < 500; b++)      // 5 s
        {
            voice.Process(block);
            foreach (var v in block) { Assert.True(float.IsFinite(v), $"{kind} {overrides}: sample is {v}"); peak = Math.Max(peak, Math.Abs(v)); }
            double now = voice.Energy();
            Assert.True(double.IsFinite(now));
            if (!forced || b > 100) Assert.True(now <= h * (1 + 1e-4) + 1e-30, $"{kind} {overrides}: energy grew at block {b}: {now:E4} > {h:E4}");
            h = now;
        }
        output.WriteLine($"{kind} {overrides} {excite}: {voice.ActiveModes}/{voice.Modes} modes active, peak |v| = {peak:E3}, final H = {h:E3}");
        Assert.True(voice.ActiveModes >= 1);
    }
}
