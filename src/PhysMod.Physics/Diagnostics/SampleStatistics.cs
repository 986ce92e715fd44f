namespace PhysMod.Physics.Diagnostics;

/// <summary>Summary statistics of benchmark timings.</summary>
public static class SampleStatistics
{
    /// <summary>The median (the mean of the two middle values for an even count); NaN for no values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        if (n == 0) return double.NaN;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
