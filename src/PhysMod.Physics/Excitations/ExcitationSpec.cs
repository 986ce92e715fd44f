using System.Globalization;
using PhysMod.Physics.Modal;

namespace PhysMod.Physics.Excitations;

/// <summary>Parses the command line's excitation text <c>kind[:key=value,...]</c> into an <see cref="Excitation"/>.</summary>
/// <remarks>
/// Kinds and keys (positions in metres, defaults in brackets; L = length or l1, l2):
/// pluck x [0.18 L] h [0.003 m]; gaussian x [0.5 L] y [0.5 l2] width [0.05 L] a [0.003 m]; random a [0.003 m] seed [0]
/// decay [2]; strike | push x y [0.25 l1, 0.25 l2] a [1 N] t [0 s] dur [0.001 s]; state q [0.75] v [0] (oscillator);
/// force file (mono WAV) gain [1] x y.
/// </remarks>
public static class ExcitationSpec
{
    /// <summary>Kinds accepted.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["pluck", "gaussian", "random", "strike", "push", "state", "force"];

    /// <summary>The default excitation text for a system kind.</summary>
    public static string DefaultFor(string systemKind, string preset) => systemKind switch
    {
        "string" => "pluck",
        "oscillator" => preset == "damped" ? "state" : "push:a=4.5e6,dur=0.001",
        _ => "strike",
    };

    /// <summary>Parses <paramref name="text"/> for <paramref name="basis"/>; <paramref name="loadSamples"/> reads a WAV for <c>force</c>.</summary>
    public static Excitation Parse(string text, ModalBasis basis, Func<string, (float[] Samples, double SampleRate)> loadSamples)
    {
        string kind = text, rest = "";
        int colon = text.IndexOf(':');
        if (colon >= 0) { kind = text[..colon]; rest = text[(colon + 1)..]; }
        kind = kind.Trim().ToLowerInvariant();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new InvalidSettingException($"excitation '{text}': '{pair}' is not key=value");
            values[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        var (l1, l2) = basis switch { StringBasis s => (s.Length, 0.0), PlateBasis p => (p.L1, p.L2), _ => (1.0, 0.0) };
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        double Number(string key, double fallback)
        {
            used.Add(key);
            if (!values.TryGetValue(key, out var raw)) return fallback;
            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
            throw new InvalidSettingException($"excitation {kind}: {key} = '{raw}' is not a finite number");
        }
        Excitation result = kind switch
        {
            "pluck" => new TriangularPluck(Number("h", 0.003), Number("x", 0.18 * l1)),
            "gaussian" => new GaussianShape(Number("a", 0.003), new Location(Number("x", 0.5 * l1), Number("y", 0.5 * l2)), Number("width", 0.05 * l1)),
            "random" => new RandomShape(Number("a", 0.003), (int)Number("seed", 0), Number("decay", 2)),
            "strike" or "push" => new RaisedCosineForce(Number("a", 1), new Location(Number("x", 0.25 * l1), Number("y", 0.25 * l2)),
                Number("t", 0), Number("dur", 0.001), half: kind == "push"),
            "state" when basis.Modes == 1 => new ModalState([Number("q", 0.75)], [Number("v", 0)], $"state:q={Number("q", 0.75):G6},v={Number("v", 0):G6}"),
            "state" => throw new InvalidSettingException("excitation state sets a single oscillator's q and v: use pluck, gaussian or random for strings and plates"),
            "force" => Force(values, basis, l1, l2, loadSamples, Number, used),
            _ => throw new InvalidSettingException($"unknown excitation '{kind}': allowed are {string.Join(", ", Kinds)}"),
        };
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new InvalidSettingException($"excitation {kind}: unknown key '{unknown[0]}'");
        result.Validate(basis);
        return result;
    }

    private static SampledForce Force(Dictionary<string, string> values, ModalBasis basis, double l1, double l2,
        Func<string, (float[] Samples, double SampleRate)> loadSamples, Func<string, double, double> number, HashSet<string> used)
    {
        used.Add("file");
        if (!values.TryGetValue("file", out var file)) throw new InvalidSettingException("excitation force needs file=PATH.wav");
        var (samples, rate) = loadSamples(file);
        return new SampledForce(samples, rate, number("gain", 1), new Location(number("x", 0.25 * l1), number("y", 0.25 * l2)), file);
    }
}
