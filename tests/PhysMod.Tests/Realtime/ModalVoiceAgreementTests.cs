using PhysMod.Realtime;
using PhysMod.Tests.Physics;
using Xunit.Abstractions;

namespace PhysMod.Tests.Realtime;

/// <summary>Two implementations that must agree: the float32 real-time voice against the double-precision Physics simulator
/// (same conservative scheme, same start-up, same read-out), for strings, plates and membranes, linear and nonlinear.</summary>
/// <remarks>Tolerance: float32 rounds each coefficient and state to 6e-8 relative; the increment form keeps the tuning error
/// per step at that level relative to ω Δt, so the phase error after N steps is about N·6e-8·ω Δt ≲ 1e-4 rad for these
/// renders; the peak-relative error allowed is 1e-3 (observed: ≤ 1e-5 linear or weakly nonlinear, 1.5e-4 for the strongly
/// nonlinear thin steel plate, whose sensitivity to round-off is physical).</remarks>
public sealed class ModalVoiceAgreementTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("string", 50, true, "pluck:h=0.005", 24_000)]
    [InlineData("string", 50, false, "pluck", 24_000)]
    [InlineData("string", 30, true, "strike:x=0.1,a=2,dur=0.002", 12_000)]
    [InlineData("plate", 120, false, "strike", 12_000)]
    [InlineData("plate", 60, true, "gaussian:a=0.002,width=0.02", 12_000)]
    [InlineData("membrane", 80, true, "gaussian:a=0.001,width=0.03", 12_000)]
    public void OutputMatchesDoublePrecisionSimulator(string kind, int modes, bool tensionModulation, string excite, int frames)
    {
        var system = VoiceSetups.System(kind, modes, tensionModulation);
        var excitation = VoiceSetups.Excite(excite, system);
        var reference = VoiceSetups.Reference(system, excitation, frames);
        foreach (var signal in new[] { PickupSignal.Displacement, PickupSignal.Velocity })
        {
            var voice = new ModalVoice(system, VoiceSetups.Rate, VoiceSetups.Pickup(system), signal, excitation);
            var actual = VoiceSetups.Render(voice, frames, 256).Select(v => (double)v).ToArray();
            var expected = signal == PickupSignal.Displacement ? reference.PickupDisplacement : reference.PickupVelocity;
            double error = PhysicsAssert.RelativeMaxError(actual, expected);
            output.WriteLine($"{kind} {modes} modes tm={tensionModulation} {excite} {signal}: peak-relative error {error:E2}");
            PhysicsAssert.Within(error, 1e-3, $"{kind} {signal}");
        }
    }
}
