using System.Globalization;

namespace PhysMod.Learning.Data;

/// <summary>How many trajectories each split holds; the splits follow each other in stored order.</summary>
public sealed record SplitSizes(int Train, int Validation, int Test)
{
    /// <summary>All trajectories.</summary>
    public int Total => Train + Validation + Test;

    /// <summary>The trajectories of <paramref name="split"/>.</summary>
    public int CountOf(DataSplit split) => split switch
    {
        DataSplit.Train => Train,
        DataSplit.Validation => Validation,
        DataSplit.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>The stored index of the first trajectory of <paramref name="split"/>.</summary>
    public int FirstOf(DataSplit split) => split switch
    {
        DataSplit.Train => 0,
        DataSplit.Validation => Train,
        DataSplit.Test => Train + Validation,
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary>Parses the metadata form <c>train=80,val=10,test=10</c>; null when it is not that form.</summary>
    public static SplitSizes? TryParse(string text)
    {
        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in text.Split(','))
        {
            var pair = item.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value)) return null;
            if (!parts.TryAdd(pair[0].Trim(), value)) return null;
        }
        return parts.Count == 3 && parts.TryGetValue("train", out int train) && parts.TryGetValue("val", out int validation)
            && parts.TryGetValue("test", out int test)
            ? new SplitSizes(train, validation, test)
            : null;
    }

    /// <summary>The metadata form <c>train=80,val=10,test=10</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"train={Train},val={Validation},test={Test}");
}
