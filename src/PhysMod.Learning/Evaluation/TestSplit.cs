using System.Globalization;
using System.Text.Json;
using PhysMod.Learning.Data;

namespace PhysMod.Learning.Evaluation;

/// <summary>The test split of a PhysMod dataset file in physical units: the only data the evaluator ever sees.</summary>
/// <remarks><see cref="Load"/> reads only the test rows of <c>fields</c> and <c>pickup</c> (the split is "train, val, test" in
/// stored order, from the file's <c>split</c> metadata), so training and validation trajectories cannot leak into a metric.
/// A file without a <c>pickup</c> tensor loads with <see cref="PickupFrames"/> = 0 (no listening comparison).</remarks>
public sealed class TestSplit
{
    /// <summary>Channel names of the dataset format, in stored order.</summary>
    public static readonly IReadOnlyList<string> ChannelNames = ["displacement", "velocity"];

    /// <summary>SI units of <see cref="ChannelNames"/>.</summary>
    public static readonly IReadOnlyList<string> ChannelUnits = ["m", "m/s"];

    /// <summary>Where the data came from (shown in reports).</summary>
    public required string Source { get; init; }

    /// <summary>Frame (sample) rate in Hz.</summary>
    public required double SampleRate { get; init; }

    /// <summary>Grid points W, both ends included.</summary>
    public required int GridPoints { get; init; }

    /// <summary>Length of the string (m): the grid spans [0, L].</summary>
    public required double LengthMetres { get; init; }

    /// <summary>Pickup position as a fraction of the length (0.82 for the benchmark).</summary>
    public required double PickupFraction { get; init; }

    /// <summary>Trajectories in the training split (not loaded; for the report).</summary>
    public required int TrainCount { get; init; }

    /// <summary>Trajectories in the validation split (not loaded; for the report).</summary>
    public required int ValidationCount { get; init; }

    /// <summary>Index in the file of the first test trajectory.</summary>
    public required int FirstIndex { get; init; }

    /// <summary>Test trajectories n.</summary>
    public required int Count { get; init; }

    /// <summary>Field frames T per trajectory.</summary>
    public required int FieldFrames { get; init; }

    /// <summary>Pickup frames S per trajectory (the whole simulated duration).</summary>
    public required int PickupFrames { get; init; }

    /// <summary>Field, shape (n, T, W, 2): displacement (m), velocity (m/s).</summary>
    public required float[] Fields { get; init; }

    /// <summary>Pickup signals, shape (n, S, 2): displacement (m), velocity (m/s) at <see cref="PickupFraction"/>·L.</summary>
    public required float[] Pickup { get; init; }

    /// <summary>The grid point nearest the pickup: round(fraction · (W − 1)), 82 for W = 101.</summary>
    public int PickupGridIndex => (int)Math.Round(PickupFraction * (GridPoints - 1), MidpointRounding.AwayFromZero);

    /// <summary>Reads the test split of a dataset file (through <see cref="TrajectoryDataset"/>, so a missing, corrupt or
    /// wrong-shaped file gives the same one-line error as training); the training and validation rows are never read.</summary>
    public static TestSplit Load(string path)
    {
        var dataset = TrajectoryDataset.Open(path);
        dataset.RequireNonEmpty(DataSplit.Test);
        string Meta(string key) => dataset.Metadata.TryGetValue(key, out var value)
            ? value : throw new InvalidDataException($"{path}: the metadata has no '{key}'");
        double length = ParseDouble(path, "grid_extent_m", Meta("grid_extent_m").Split(',')[0]);
        double pickupFraction;
        try
        {
            using var config = JsonDocument.Parse(Meta("config"));
            pickupFraction = config.RootElement.GetProperty("pickup_fraction_x").GetDouble();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: the metadata 'config' has no readable pickup_fraction_x ({e.Message})");
        }
        if (!double.IsFinite(dataset.SampleRate)) throw new InvalidDataException($"{path}: the metadata has no numeric 'fs'");
        return new TestSplit
        {
            Source = Path.GetFullPath(path),
            SampleRate = dataset.SampleRate,
            GridPoints = dataset.GridPoints,
            LengthMetres = length,
            PickupFraction = pickupFraction,
            TrainCount = dataset.Split.Train,
            ValidationCount = dataset.Split.Validation,
            FirstIndex = dataset.Split.FirstOf(DataSplit.Test),
            Count = dataset.Split.Test,
            FieldFrames = dataset.Frames,
            PickupFrames = dataset.PickupFrames,
            Fields = dataset.Read(DataSplit.Test, dataset.Frames),
            Pickup = dataset.PickupFrames > 0 ? dataset.ReadPickup(DataSplit.Test) : [],
        }.Validate();
    }

    /// <summary>Checks that the arrays match the declared shapes and that the scalars are in range; returns this.</summary>
    public TestSplit Validate()
    {
        if (Count < 1 || FieldFrames < 1 || GridPoints < 2 || PickupFrames < 0)
            throw new InvalidDataException($"{Source}: test split of {Count} trajectories × {FieldFrames} frames × {GridPoints} points is empty");
        if (Fields.LongLength != (long)Count * FieldFrames * GridPoints * 2)
            throw new InvalidDataException($"{Source}: fields hold {Fields.LongLength} values, not {Count}·{FieldFrames}·{GridPoints}·2");
        if (Pickup.LongLength != (long)Count * PickupFrames * 2)
            throw new InvalidDataException($"{Source}: pickup holds {Pickup.LongLength} values, not {Count}·{PickupFrames}·2");
        if (!(SampleRate > 0) || !(LengthMetres > 0) || !(PickupFraction >= 0 && PickupFraction <= 1))
            throw new InvalidDataException($"{Source}: fs = {SampleRate}, length = {LengthMetres} m, pickup fraction = {PickupFraction} are not all valid");
        return this;
    }

    private static double ParseDouble(string path, string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value : throw new InvalidDataException($"{path}: metadata '{key}' = '{text}' is not a number");
}
