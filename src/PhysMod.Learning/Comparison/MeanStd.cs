namespace PhysMod.Learning.Comparison;

/// <summary>Mean and population standard deviation of one measured quantity over a family's seeds.</summary>
/// <remarks>mean = Σxᵢ/n, std = √(Σ(xᵢ − mean)²/n) (ddof 0) over the n finite values; both null when there is none.</remarks>
/// <param name="Mean">The mean, or null when no seed gave a finite value.</param>
/// <param name="Std">The population standard deviation, or null when no seed gave a finite value.</param>
/// <param name="Count">Seeds that gave a finite value.</param>
public sealed record MeanStd(double? Mean, double? Std, int Count)
{
    /// <summary>Mean and standard deviation of the finite values among <paramref name="values"/>.</summary>
    public static MeanStd Of(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] finite = values.Where(v => v is double d && double.IsFinite(d)).Select(v => v!.Value).ToArray();
        if (finite.Length == 0) return new MeanStd(null, null, 0);
        double mean = finite.Average();
        double variance = finite.Sum(v => (v - mean) * (v - mean)) / finite.Length;
        return new MeanStd(mean, Math.Sqrt(variance), finite.Length);
    }
}
