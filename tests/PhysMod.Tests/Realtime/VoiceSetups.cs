using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Simulation;
using PhysMod.Realtime;

namespace PhysMod.Tests.Realtime;

/// <summary>Systems, excitations and renders shared by the real-time voice tests.</summary>
internal static class VoiceSetups
{
    public const double Rate = 48_000;

    /// <summary>A resolved system (preset defaults plus overrides) with <paramref name="modes"/> modes.</summary>
    public static ModalSystem System(string kind, int modes, bool tensionModulation, params (string Name, double Value)[] overrides) =>
        PhysicalSystem.Resolve(kind, "", overrides.Select(o => KeyValuePair.Create(o.Name, o.Value))).Build(modes, tensionModulation);

    /// <summary>The excitation text parsed for a system, as the command line does.</summary>
    public static Excitation Excite(string text, ModalSystem system) =>
        ExcitationSpec.Parse(text, system.Basis, _ => throw new InvalidOperationException("no files in tests"));

    /// <summary>The default pickup: 0.82 L on a string, (0.82 l1, 0.37 l2) on a plate.</summary>
    public static Location Pickup(ModalSystem system) => system.Basis switch
    {
        StringBasis s => new Location(0.82 * s.Length),
        PlateBasis p => new Location(0.82 * p.L1, 0.37 * p.L2),
        _ => new Location(0),
    };

    /// <summary>Renders <paramref name="frames"/> samples in blocks of <paramref name="block"/>.</summary>
    public static float[] Render(IVoice voice, int frames, int block)
    {
        var output = new float[frames];
        for (int start = 0; start < frames; start += block) voice.Process(output.AsSpan(start, Math.Min(block, frames - start)));
        return output;
    }

    /// <summary>The double-precision reference: the Physics simulator with the conservative scheme.</summary>
    public static SimulationResult Reference(ModalSystem system, Excitation excitation, int frames) =>
        Simulator.Run(system, excitation, Integrator.Conservative, new SimulationSettings(Rate, frames / Rate, Pickup(system)));
}
