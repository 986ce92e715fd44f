using PhysMod.Learning.Data;
using static TorchSharp.torch;

namespace PhysMod.Tests.Data;

/// <summary>Batches: every epoch visits each trajectory once in a seeded order; windows lie inside the trajectory.</summary>
public sealed class TrajectoryBatcherTests
{
    private static Tensor Trajectories(int n, int t) =>
        arange(n * t * 2 * 2, ScalarType.Float32).reshape(n, t, 2, 2);

    [Fact]
    public void EachEpochIsASeededPermutation()
    {
        using var scope = NewDisposeScope();
        var data = Trajectories(10, 5);
        var batcher = new TrajectoryBatcher(data, batchSize: 4, seed: 7);
        Assert.Equal(3, batcher.StepsPerEpoch);
        for (long epoch = 0; epoch < 4; epoch++)
        {
            var seen = Enumerable.Range(0, 3).SelectMany(b => batcher.Indices(epoch * 3 + b)).ToArray();
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
            Assert.Equal([4, 4, 2], Enumerable.Range(0, 3).Select(b => batcher.Indices(epoch * 3 + b).Length));
        }
        Assert.NotEqual(batcher.Order(0), batcher.Order(1));
        var again = new TrajectoryBatcher(data, 4, 7);
        Assert.Equal(batcher.Order(3), again.Order(3));
        Assert.NotEqual(batcher.Order(0), new TrajectoryBatcher(data, 4, 8).Order(0));
    }

    [Fact]
    public void BatchHoldsTheIndexedTrajectories()
    {
        using var scope = NewDisposeScope();
        var data = Trajectories(6, 5);
        var batcher = new TrajectoryBatcher(data, batchSize: 4, seed: 1);
        var indices = batcher.Indices(1);
        var batch = batcher.Batch(1);
        Assert.Equal([2L, 5, 2, 2], batch.shape);
        for (int i = 0; i < indices.Length; i++) Assert.True((batch[i] == data[indices[i]]).all().item<bool>());
    }

    [Fact]
    public void WindowsStartInsideAndCutTheRightFrames()
    {
        using var scope = NewDisposeScope();
        var data = Trajectories(6, 9);
        var batcher = new TrajectoryBatcher(data, batchSize: 3, seed: 3, windowFrames: 4);
        var starts = new HashSet<int>();
        for (long step = 0; step < 40; step++)
        {
            var indices = batcher.Indices(step);
            var first = batcher.WindowStarts(step);
            Assert.Equal(first, batcher.WindowStarts(step));
            var batch = batcher.Batch(step);
            Assert.Equal([3L, 4, 2, 2], batch.shape);
            for (int i = 0; i < indices.Length; i++)
            {
                Assert.InRange(first[i], 0, 9 - 4);
                starts.Add(first[i]);
                Assert.True((batch[i] == data[indices[i]].narrow(0, first[i], 4)).all().item<bool>());
            }
        }
        Assert.Equal(6, starts.Count);
    }
}
