using System.Globalization;
using System.Text;
using System.Text.Json;
using PhysMod.Audio;
using PhysMod.Learning.Models;
using PhysMod.Learning.Training;
using PhysMod.Physics.IO;

namespace PhysMod.Learning.Inspection;

/// <summary>The eigenvalues of a trained model as a table in Hz and seconds, written as JSON, CSV and two PNGs.</summary>
/// <remarks>Files: eigenvalues.json, eigenvalues.csv, eigenvalues_plane.png (λ in the complex plane with the unit circle) and
/// frequency_decay.png (decay time against frequency, log axis), all written atomically into one folder.</remarks>
public static class EigenvalueTable
{
    /// <summary>The rows of <paramref name="eigenvalues"/> for frames at <paramref name="frameRate"/> Hz, ordered by group and
    /// frequency; <paramref name="amplitudes"/> (per group, indexed like the eigenvalues) fills the amplitude column.</summary>
    public static IReadOnlyList<EigenvalueRow> Rows(IReadOnlyList<DiscreteEigenvalue> eigenvalues, double frameRate,
        IReadOnlyDictionary<string, double[]>? amplitudes = null)
    {
        if (!(frameRate > 0)) throw new ArgumentOutOfRangeException(nameof(frameRate), frameRate, "frame rate must be > 0 Hz");
        var groupOrder = eigenvalues.Select(e => e.Group).Distinct().ToList();
        return eigenvalues
            .Select(e => new EigenvalueRow(e.Group, e.Index, e.FrequencyHz(frameRate), e.DecayTimeSeconds(frameRate), e.Modulus, e.Argument,
                amplitudes is not null && amplitudes.TryGetValue(e.Group, out var a) && e.Index < a.Length ? a[e.Index] : null))
            .OrderBy(r => groupOrder.IndexOf(r.Group)).ThenBy(r => r.FrequencyHz).ThenBy(r => r.Index)
            .ToArray();
    }

    /// <summary>Writes the table files into <paramref name="folder"/> (created if needed); returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, string family, IReadOnlyList<EigenvalueRow> rows, double frameRate, string stem = "eigenvalues")
    {
        Directory.CreateDirectory(folder);
        string json = Path.Combine(folder, stem + ".json"), csv = Path.Combine(folder, stem + ".csv");
        string plane = Path.Combine(folder, stem + "_plane.png"), decay = Path.Combine(folder, stem + "_frequency_decay.png");
        var document = new
        {
            family,
            frame_rate_hz = frameRate,
            eigenvalues = rows.Select(r => new
            {
                group = r.Group,
                index = r.Index,
                frequency_hz = r.FrequencyHz,
                decay_time_s = double.IsFinite(r.DecayTimeSeconds) ? r.DecayTimeSeconds : (double?)null,
                modulus = r.Modulus,
                argument_rad = r.Argument,
                amplitude = r.Amplitude,
            }),
        };
        AtomicFile.WriteText(json, JsonSerializer.Serialize(document, TrainingJson.Options));
        AtomicFile.WriteText(csv, Csv(rows));
        var groups = rows.GroupBy(r => r.Group).ToArray();
        Plots.ComplexPlane(plane,
            groups.Select(g => (g.Key, g.Select(r => r.Modulus * Math.Cos(r.Argument)).ToArray(), g.Select(r => r.Modulus * Math.Sin(r.Argument)).ToArray())).ToArray(),
            $"{family}: eigenvalues per frame (fs = {frameRate.ToString("G6", CultureInfo.InvariantCulture)} Hz)");
        Plots.Scatter(decay,
            groups.Select(g => (g.Key, g.Select(r => r.FrequencyHz).ToArray(), g.Select(r => r.DecayTimeSeconds).ToArray())).ToArray(),
            $"{family}: modes as damped sinusoids", "frequency (Hz)", "decay time to 1/e (s)", logY: true);
        return [json, csv, plane, decay];
    }

    /// <summary>The table as text, one line per row (at most <paramref name="maxRows"/> per group; 0 = all).</summary>
    public static string Format(IReadOnlyList<EigenvalueRow> rows, int maxRows = 0)
    {
        string G(double v) => double.IsFinite(v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "inf";
        bool amplitude = rows.Any(r => r.Amplitude is not null);
        var text = new StringBuilder();
        text.AppendLine($"{"group",-12} {"index",5} {"freq (Hz)",11} {"decay (s)",11} {"|lambda|",12}{(amplitude ? $" {"amplitude",10}" : "")}");
        foreach (var group in rows.GroupBy(r => r.Group))
        {
            var shown = maxRows > 0 ? group.Take(maxRows).ToArray() : group.ToArray();
            foreach (var r in shown)
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{r.Group,-12} {r.Index,5} {G(r.FrequencyHz),11} {G(r.DecayTimeSeconds),11} {r.Modulus.ToString("F8", CultureInfo.InvariantCulture),12}{(amplitude ? $" {(r.Amplitude is { } a ? G(a) : "-"),10}" : "")}");
            if (shown.Length < group.Count()) text.AppendLine($"{group.Key,-12} … {group.Count() - shown.Length} more (see the CSV)");
        }
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<EigenvalueRow> rows)
    {
        var text = new StringBuilder("group,index,frequency_hz,decay_time_s,modulus,argument_rad,amplitude\n");
        foreach (var r in rows)
            text.AppendLine(string.Join(',', r.Group, r.Index.ToString(CultureInfo.InvariantCulture),
                r.FrequencyHz.ToString("R", CultureInfo.InvariantCulture), r.DecayTimeSeconds.ToString("R", CultureInfo.InvariantCulture),
                r.Modulus.ToString("R", CultureInfo.InvariantCulture), r.Argument.ToString("R", CultureInfo.InvariantCulture),
                r.Amplitude?.ToString("R", CultureInfo.InvariantCulture) ?? ""));
        return text.ToString();
    }
}
