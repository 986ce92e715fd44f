namespace PhysMod.Learning.Comparison;

/// <summary>The measured columns of the comparison table: key, heading, number format, and whether the value is a timing
/// (timings change from run to run; every other column is reproducible from the seeds).</summary>
public static class ComparisonColumns
{
    /// <summary>Every measured column, in table order.</summary>
    public static IReadOnlyList<(string Key, string Heading, string Format, bool Timing)> All { get; } =
    [
        ("parameters", "params", "N0", false),
        ("training_seconds", "train time (s)", "G3", true),
        ("rel_l2_1x", "rel L2 @1×", "F3", false),
        ("rel_l2_2x", "rel L2 @2×", "F3", false),
        ("lsd_db_1x", "LSD @1× (dB)", "F1", false),
        ("lsd_db_2x", "LSD @2× (dB)", "F1", false),
        ("listening_lsd_db", "listening LSD (dB)", "F1", false),
        ("inference_us_per_step", "inference µs/step (batched)", "G3", true),
        ("real_time_factor", "real-time factor (sample by sample)", "G3", true),
    ];

    /// <summary>The column values of one run (null where it has none).</summary>
    public static IReadOnlyDictionary<string, double?> Values(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        HorizonResult? At(int multiple) => run.Horizons.FirstOrDefault(h => h.Multiple == multiple);
        return new Dictionary<string, double?>
        {
            ["parameters"] = run.Parameters,
            ["training_seconds"] = run.TrainingSeconds,
            ["rel_l2_1x"] = At(1)?.RelativeL2,
            ["rel_l2_2x"] = At(2)?.RelativeL2,
            ["lsd_db_1x"] = At(1)?.LsdDb,
            ["lsd_db_2x"] = At(2)?.LsdDb,
            ["listening_lsd_db"] = run.ListeningLsdDb.TryGetValue("displacement", out var lsd) ? lsd : null,
            ["inference_us_per_step"] = run.Timing is { } t ? t.BatchedSecondsPerStep * 1e6 : null,
            ["real_time_factor"] = run.Timing?.RealTimeFactor,
        };
    }

    /// <summary>Mean ± std of every column over the runs that succeeded.</summary>
    public static IReadOnlyDictionary<string, MeanStd> Summarise(IEnumerable<RunResult> runs)
    {
        var ok = runs.Where(r => r.Status == "ok").Select(Values).ToArray();
        return All.ToDictionary(c => c.Key, c => MeanStd.Of(ok.Select(v => v[c.Key])));
    }
}
