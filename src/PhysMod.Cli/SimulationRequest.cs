using System.CommandLine;
using PhysMod.Physics.Excitations;
using PhysMod.Physics.Integrators;
using PhysMod.Physics.Modal;
using PhysMod.Physics.Simulation;

namespace PhysMod.Cli;

/// <summary>A fully resolved single simulation: system, modal form, excitation, integrator and settings.</summary>
public sealed record SimulationRequest(PhysicalSystem System, ModalSystem Modal, Excitation Excitation, Integrator Integrator, SimulationSettings Settings)
{
    /// <summary>Resolves the shared options; every bad value throws one clear InvalidSettingException.</summary>
    public static SimulationRequest From(ParseResult parse, SystemOptions o)
    {
        string kind = parse.GetRequiredValue(o.System);
        var system = PhysicalSystem.Resolve(kind, parse.GetValue(o.Preset) ?? "", SystemOptions.ParseOverrides(parse.GetValue(o.Set)));
        double fs = parse.GetValue(o.SampleRate) ?? (kind == "oscillator" ? 44100 : 48000);
        int oversample = parse.GetValue(o.Oversample) ?? 1;
        int grid = parse.GetValue(o.Grid) ?? (kind == "string" ? 101 : kind == "oscillator" ? 0 : 33);
        PhysMod.Physics.InvalidSettingException.RequirePositive("fs", fs, "Hz");
        if (oversample < 1) throw new PhysMod.Physics.InvalidSettingException($"oversample = {oversample}: must be ≥ 1");
        int modes = parse.GetValue(o.Modes) ?? system.AutoModes(fs * oversample, grid);
        var modal = system.Build(modes, !parse.GetValue(o.Linear));
        var excitation = SystemOptions.ParseExcitation(parse.GetValue(o.Excite), system, modal.Basis);
        var integrator = Integrator.Parse(parse.GetValue(o.Integrator) ?? Integrator.Conservative.Name);
        var pickup = parse.GetValue(o.Pickup) is { } text ? SystemOptions.ParseLocation("pickup", text) : system.FromFractions(0.82, 0.37);
        var settings = new SimulationSettings(fs, parse.GetValue(o.Duration) ?? (kind == "oscillator" ? 1 : 2), pickup, oversample, grid,
            FieldFrames: (int)Math.Min(Math.Round(fs * 0.05), 4000)).Validate();
        return new SimulationRequest(system, modal, excitation, integrator, settings);
    }

    /// <summary>The resolved parameters as a JSON-friendly object.</summary>
    public object Describe() => new
    {
        system = System.Kind, preset = System.Preset,
        parameters = System.Parameters.Describe().Select(p => new { p.Name, p.Value, p.Unit, p.Meaning }),
        modes = Modal.Modes, tension_modulation = Modal.Nonlinearity is not null, excitation = Excitation.Describe(),
        integrator = Integrator.Name, integrator_order = Integrator.Order == int.MaxValue ? "exact" : Integrator.Order.ToString(),
        fs = Settings.SampleRate, duration = Settings.Duration, oversample = Settings.Oversample,
        pickup = new[] { Settings.Pickup.X, Settings.Pickup.Y }, grid = Settings.GridPoints, field_frames = Settings.StoredFieldFrames,
        highest_mode_hz = Modal.MaxOmega / (2 * Math.PI), program_version = typeof(SimulationRequest).Assembly.GetName().Version?.ToString(3),
    };
}
