using PhysMod.Physics.Datasets;
using PhysMod.Tests.IO;

namespace PhysMod.Tests.Datasets;

/// <summary>A dataset depends only on its recipe, count and seed: never on the number of worker threads.</summary>
public sealed class DatasetDeterminismTests : IDisposable
{
    private readonly ScratchFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Recipes => ["string-benchmark", "string-small"];

    private static DatasetConfig Recipe(string name) =>
        name == "string-benchmark" ? DatasetTestData.ShortBenchmark : DatasetPresets.Find(name)!;

    [Theory]
    [MemberData(nameof(Recipes))]
    public void ThreadCountDoesNotChangeAnyBit(string recipe)
    {
        var config = Recipe(recipe);
        string one = folder.PathOf("threads-1.safetensors");
        DatasetTestData.Write(one, config, total: 7, seed: 42, threads: 1);
        var reference = DatasetTestData.Metadata(one);

        foreach (int threads in new[] { 2, 3 })
        {
            string path = folder.PathOf($"threads-{threads}.safetensors");
            DatasetTestData.Write(path, config, total: 7, seed: 42, threads: threads);
            DatasetTestData.AssertSameTensors(one, path);
            Assert.Equal(reference, DatasetTestData.Metadata(path));
        }
    }

    [Fact]
    public void SameSeedInMemoryIsBitIdentical()
    {
        var a = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 5, 9, DatasetShard.Whole, threads: 1);
        var b = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 5, 9, DatasetShard.Whole, threads: 3);
        Assert.Equal(DatasetTestData.Bytes(a.Fields), DatasetTestData.Bytes(b.Fields));
        Assert.Equal(DatasetTestData.Bytes(a.Pickup), DatasetTestData.Bytes(b.Pickup));
        Assert.Equal(DatasetTestData.Bytes(a.InitialState), DatasetTestData.Bytes(b.InitialState));
        Assert.Equal(DatasetTestData.Bytes(a.Draws), DatasetTestData.Bytes(b.Draws));
        Assert.Equal(DatasetFile.Metadata(a), DatasetFile.Metadata(b));
    }

    [Fact]
    public void ReusedOutputArraysAreOverwrittenWithTheSameData()
    {
        var fresh = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 5, 9, DatasetShard.Whole, threads: 2);
        var other = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 5, 10, DatasetShard.Whole, threads: 2);
        var reused = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 5, 9, DatasetShard.Whole, threads: 2, reuse: other);
        Assert.Same(other.Fields, reused.Fields);
        Assert.Same(other.Pickup, reused.Pickup);
        Assert.Equal(DatasetTestData.Bytes(fresh.Fields), DatasetTestData.Bytes(reused.Fields));
        Assert.Equal(DatasetTestData.Bytes(fresh.Pickup), DatasetTestData.Bytes(reused.Pickup));
        // a result of another size is not overwritten
        var smaller = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 3, 9, DatasetShard.Whole, threads: 2, reuse: fresh);
        Assert.NotSame(fresh.Fields, smaller.Fields);
        Assert.Equal(DatasetTestData.Bytes(fresh.Pickup.AsSpan(0, smaller.Pickup.Length).ToArray()), DatasetTestData.Bytes(smaller.Pickup));
    }

    [Fact]
    public void DifferentSeedGivesDifferentData()
    {
        var a = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 4, 1, DatasetShard.Whole, threads: 2);
        var b = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 4, 2, DatasetShard.Whole, threads: 2);
        Assert.NotEqual(DatasetTestData.Bytes(a.Draws), DatasetTestData.Bytes(b.Draws));
        Assert.NotEqual(DatasetTestData.Bytes(a.Fields), DatasetTestData.Bytes(b.Fields));
        Assert.NotEqual(DatasetTestData.Bytes(a.Pickup), DatasetTestData.Bytes(b.Pickup));
        Assert.NotEqual(DatasetTestData.Bytes(a.InitialState), DatasetTestData.Bytes(b.InitialState));
        // Every trajectory differs, not just some: each has its own random stream.
        for (int k = 0; k < 4; k++) Assert.NotEqual(a.Draws[k * 5], b.Draws[k * 5]);
        Assert.Equal("1", DatasetFile.Metadata(a)["seed"]);
        Assert.Equal("2", DatasetFile.Metadata(b)["seed"]);
    }

    [Fact]
    public void TrajectoryDependsOnlyOnItsGlobalIndex()
    {
        // Trajectory k of a 6-trajectory set equals trajectory k of a 9-trajectory set with the same seed.
        var small = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 6, 5, DatasetShard.Whole, threads: 2);
        var large = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, 9, 5, DatasetShard.Whole, threads: 2);
        Assert.Equal(DatasetTestData.Bytes(small.Draws), DatasetTestData.Bytes(large.Draws[..small.Draws.Length]));
        Assert.Equal(DatasetTestData.Bytes(small.Fields), DatasetTestData.Bytes(large.Fields[..small.Fields.Length]));
    }
}
