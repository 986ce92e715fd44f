using PhysMod.Physics;
using static TorchSharp.torch;

namespace PhysMod.Learning.Data;

/// <summary>Cuts training trajectories into batches: a fresh seeded shuffle per epoch and, optionally, a random window per
/// trajectory.</summary>
/// <remarks>The generator is counter-based: the order of epoch e is a Fisher–Yates shuffle drawn from
/// <see cref="Rng.ForStream"/>(seed, e) and the windows of step s from a stream keyed by s, so the batch of any step is a
/// pure function of (seed, step). A checkpoint therefore stores the batcher's whole state as its position (the step), and a
/// resumed run draws exactly the batches the uninterrupted run would have. Each epoch visits every trajectory once; the last
/// batch of an epoch is smaller when the batch size does not divide the count (no trajectory is dropped).</remarks>
public sealed class TrajectoryBatcher
{
    // Keeps the window streams apart from the shuffle streams of the same seed.
    private const ulong WindowStreamKey = 0x57494E444F575321UL;

    private readonly Tensor _trajectories;
    private readonly ulong _seed;
    private long _cachedEpoch = -1;
    private long[] _order = [];

    /// <summary>Batches of <paramref name="batchSize"/> trajectories from <paramref name="trajectories"/> (N, T, W, C);
    /// <paramref name="windowFrames"/> &gt; 0 cuts a random window of that many frames from each, otherwise the whole T frames.</summary>
    /// <remarks>The tensor stays owned by the caller and must outlive the batcher.</remarks>
    public TrajectoryBatcher(Tensor trajectories, int batchSize, long seed, int windowFrames = 0)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        if (trajectories.shape.Length != 4) throw new ArgumentException($"trajectories must be (N, T, W, C), got [{string.Join(", ", trajectories.shape)}]");
        if (batchSize < 1) throw new InvalidSettingException($"training.batch_size = {batchSize}: must be ≥ 1");
        Count = checked((int)trajectories.shape[0]);
        Frames = checked((int)trajectories.shape[1]);
        if (Count < 1) throw new InvalidSettingException("the training split is empty");
        if (windowFrames < 0 || windowFrames > Frames)
            throw new InvalidSettingException($"training.window_frames = {windowFrames}: must be in [0, {Frames}] (0 = whole trajectories)");
        _trajectories = trajectories;
        BatchSize = Math.Min(batchSize, Count);
        WindowFrames = windowFrames;
        _seed = unchecked((ulong)seed);
        StepsPerEpoch = (Count + BatchSize - 1) / BatchSize;
    }

    /// <summary>Trajectories N.</summary>
    public int Count { get; }

    /// <summary>Frames T of each stored trajectory.</summary>
    public int Frames { get; }

    /// <summary>Trajectories per batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; }

    /// <summary>Frames per batched trajectory window (0 = whole trajectories).</summary>
    public int WindowFrames { get; }

    /// <summary>Frames of each batched trajectory.</summary>
    public int SequenceFrames => WindowFrames > 0 ? WindowFrames : Frames;

    /// <summary>Batches per pass over the data: ⌈N / B⌉.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The 0-based epoch and batch index of step <paramref name="step"/> (0-based).</summary>
    public (long Epoch, int Batch) PositionOf(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return (step / StepsPerEpoch, (int)(step % StepsPerEpoch));
    }

    /// <summary>The stored indices of the trajectories in the batch of step <paramref name="step"/>.</summary>
    public long[] Indices(long step)
    {
        var (epoch, batch) = PositionOf(step);
        var order = OrderOf(epoch);
        int start = batch * BatchSize, length = Math.Min(BatchSize, Count - start);
        return order.AsSpan(start, length).ToArray();
    }

    /// <summary>The first frame of each trajectory's window at step <paramref name="step"/>, each in [0, T − window]
    /// (all 0 without windows).</summary>
    public int[] WindowStarts(long step)
    {
        int size = Indices(step).Length;
        var starts = new int[size];
        if (WindowFrames == 0 || WindowFrames == Frames) return starts;
        var rng = Rng.ForStream(_seed ^ WindowStreamKey, unchecked((ulong)step));
        int choices = Frames - WindowFrames + 1;
        for (int i = 0; i < size; i++) starts[i] = UniformBelow(rng, choices);
        return starts;
    }

    /// <summary>The batch of step <paramref name="step"/>: (B, window or T, W, C), a new tensor in the current dispose scope.</summary>
    public Tensor Batch(long step)
    {
        var indices = Indices(step);
        var starts = WindowStarts(step);
        using var scope = NewDisposeScope();
        Tensor result;
        if (WindowFrames == 0 || WindowFrames == Frames)
        {
            result = _trajectories.index_select(0, tensor(indices));
        }
        else
        {
            var windows = new Tensor[indices.Length];
            for (int i = 0; i < indices.Length; i++) windows[i] = _trajectories[indices[i]].narrow(0, starts[i], WindowFrames);
            result = stack(windows, 0);
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The visiting order of epoch <paramref name="epoch"/>: a permutation of 0..N−1.</summary>
    public long[] Order(long epoch) => (long[])OrderOf(epoch).Clone();

    private long[] OrderOf(long epoch)
    {
        if (epoch != _cachedEpoch)
        {
            var order = new long[Count];
            for (int i = 0; i < Count; i++) order[i] = i;
            var rng = Rng.ForStream(_seed, unchecked((ulong)epoch));
            for (int i = Count - 1; i > 0; i--)
            {
                int j = UniformBelow(rng, i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            _order = order;
            _cachedEpoch = epoch;
        }
        return _order;
    }

    // Unbiased integer in [0, n) by rejection (Lemire's multiply-shift would also do; this is simpler to verify).
    private static int UniformBelow(Rng rng, int n)
    {
        ulong bound = (ulong)n;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong draw;
        do draw = rng.NextUInt64(); while (draw >= limit);
        return (int)(draw % bound);
    }
}
