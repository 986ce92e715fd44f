namespace PhysMod.Physics.Datasets;

/// <summary>Part i of n of a dataset: the contiguous trajectory range [First, First + Count) of Total.</summary>
public readonly record struct DatasetShard(int Index, int Of)
{
    /// <summary>The whole dataset.</summary>
    public static DatasetShard Whole => new(0, 1);

    /// <summary>Parses "i/n" with 0 ≤ i &lt; n.</summary>
    public static DatasetShard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n)
            return new DatasetShard(i, n);
        throw new InvalidSettingException($"shard = '{text}': expected i/n with 0 ≤ i < n (e.g. 0/4)");
    }

    /// <summary>First global trajectory index of this shard out of <paramref name="total"/>.</summary>
    public int First(int total) => (int)((long)total * Index / Of);

    /// <summary>Number of trajectories in this shard.</summary>
    public int Count(int total) => (int)((long)total * (Index + 1) / Of) - First(total);

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Of}";
}
