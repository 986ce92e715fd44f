namespace PhysMod.Physics.Datasets;

/// <summary>A closed interval [Low, High] sampled uniformly (a constant when Low = High).</summary>
public sealed record UniformRange(double Low, double High)
{
    /// <summary>Draws one value.</summary>
    public double Draw(Rng rng) => Low == High ? Low : rng.Uniform(Low, High);

    /// <summary>Parses "lo:hi" or a single value.</summary>
    public static UniformRange Parse(string name, string text)
    {
        var parts = text.Split(':');
        if (parts.Length is 1 or 2 && parts.All(p => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            double lo = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            double hi = parts.Length == 2 ? double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : lo;
            var range = new UniformRange(lo, hi);
            range.Validate(name);
            return range;
        }
        throw new InvalidSettingException($"range {name} = '{text}': expected LOW:HIGH or a single number");
    }

    /// <summary>Throws unless both ends are finite and Low ≤ High.</summary>
    public void Validate(string name)
    {
        if (!double.IsFinite(Low) || !double.IsFinite(High) || Low > High)
            throw new InvalidSettingException($"range {name} = {Low:G6}:{High:G6}: needs finite LOW ≤ HIGH");
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Low:G6}:{High:G6}");
}
