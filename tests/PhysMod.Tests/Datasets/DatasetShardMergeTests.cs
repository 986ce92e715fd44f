using PhysMod.Physics;
using PhysMod.Physics.Datasets;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Datasets;

/// <summary>Shards made separately and merged in any order give exactly the unsharded dataset; bad sets of shards are refused.</summary>
public sealed class DatasetShardMergeTests : IDisposable
{
    private const int Total = 7; // 7 over 3 shards: 2, 2, 3 trajectories (uneven on purpose)
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string[] WriteShards(ulong seed, string prefix, params int[] indices) =>
        indices.Select(i =>
        {
            string path = folder.PathOf($"{prefix}-{i}of3.safetensors");
            DatasetTestData.Write(path, DatasetTestData.ShortBenchmark, Total, seed, new DatasetShard(i, 3), threads: 2);
            return path;
        }).ToArray();

    [Fact]
    public void ShardsCoverTheRangeWithoutOverlap()
    {
        var shards = Enumerable.Range(0, 3).Select(i => new DatasetShard(i, 3)).ToArray();
        Assert.Equal([0, 2, 4], shards.Select(s => s.First(Total)));
        Assert.Equal([2, 2, 3], shards.Select(s => s.Count(Total)));
        Assert.Equal(new DatasetShard(2, 5), DatasetShard.Parse("2/5"));
        foreach (string bad in new[] { "3/2", "2/2", "-1/3", "1/0", "1", "a/b", "1/2/3" })
            Assert.Contains(bad, Assert.Throws<InvalidSettingException>(() => DatasetShard.Parse(bad)).Message);
    }

    [Fact]
    public void ShuffledShardsMergeIntoTheUnshardedFile()
    {
        string whole = folder.PathOf("whole.safetensors");
        DatasetTestData.Write(whole, DatasetTestData.ShortBenchmark, Total, seed: 3, threads: 2);
        var shards = WriteShards(3, "part", 0, 1, 2);

        var shardMeta = DatasetTestData.Metadata(shards[1]);
        Assert.Equal("2", shardMeta["first"]);
        Assert.Equal("1/3", shardMeta["shard"]);
        Assert.Equal($"{Total}", shardMeta["count"]);

        string merged = folder.PathOf("merged.safetensors");
        DatasetFile.Merge([shards[2], shards[0], shards[1]], merged);

        DatasetTestData.AssertSameTensors(whole, merged);
        var metadata = DatasetTestData.Metadata(merged);
        Assert.Equal(DatasetTestData.Metadata(whole), metadata);
        Assert.Equal("0", metadata["first"]);
        Assert.Equal("0/1", metadata["shard"]);
        Assert.Equal($"{Total}", metadata["count"]);
    }

    [Fact]
    public void MissingMiddleShardIsRefused()
    {
        var shards = WriteShards(3, "part", 0, 2);
        AssertRefused(shards, "missing", "from 2");
    }

    [Fact]
    public void MissingLastShardIsRefused()
    {
        var shards = WriteShards(3, "part", 1, 0);
        AssertRefused(shards, "missing", $"4 of {Total}");
    }

    [Fact]
    public void DuplicatedShardIsRefused()
    {
        var shards = WriteShards(3, "part", 0, 1, 2);
        AssertRefused([.. shards, shards[1]], "duplicated");
    }

    [Fact]
    public void ShardsFromDifferentSeedsAreRefused()
    {
        var shards = WriteShards(1, "seed1", 0).Concat(WriteShards(2, "seed2", 1, 2)).ToArray();
        AssertRefused(shards, "'seed'");
    }

    [Fact]
    public void ShardsFromDifferentRecipesAreRefused()
    {
        var shards = WriteShards(3, "part", 0, 1).ToList();
        string other = folder.PathOf("linear-2of3.safetensors");
        DatasetTestData.Write(other, DatasetTestData.ShortBenchmark with { TensionModulation = false }, Total, 3, new DatasetShard(2, 3), threads: 2);
        shards.Add(other);
        AssertRefused(shards, "'config'");
    }

    [Fact]
    public void NoShardsIsRefused() => AssertRefused([], "at least one");

    private void AssertRefused(IReadOnlyList<string> shards, params string[] expectedInMessage)
    {
        var before = folder.FileNames();
        string output = folder.PathOf("merged.safetensors");
        var error = Assert.Throws<InvalidSettingException>(() => DatasetFile.Merge(shards, output));
        foreach (string part in expectedInMessage) Assert.Contains(part, error.Message);
        Assert.False(File.Exists(output), "a refused merge must not leave an output file");
        Assert.Equal(before, folder.FileNames()); // no temporary files left either
    }
}
