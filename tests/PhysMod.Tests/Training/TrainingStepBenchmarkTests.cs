using PhysMod.Learning.Benchmarks;
using PhysMod.Learning.Koopman;
using PhysMod.Learning.Ssm;

namespace PhysMod.Tests.Training;

/// <summary>The training-step benchmark times the tutorial-size models the PyTorch reference builds (same parameter counts)
/// doing real training (the loss falls).</summary>
[Collection(TorchRngCollection.Name)]
public sealed class TrainingStepBenchmarkTests
{
    [Fact]
    public void KoopmanHasTheTutorialSizeAndItsLossFalls()
    {
        // encoder 202→256→256→256→128 and decoder 128→256→256→256→202 (weights + biases), 64 ν and 64 θ
        long encoder = (202 * 256 + 256) + 2 * (256 * 256 + 256) + (256 * 128 + 128);
        long decoder = (128 * 256 + 256) + 2 * (256 * 256 + 256) + (256 * 202 + 202);
        var timing = TrainingStepBenchmark.Measure(new KoopmanFamily(), batch: 4, steps: 10, warmup: 1);
        Assert.Equal(encoder + decoder + 128, timing.Parameters);
        Assert.Equal(433_098, timing.Parameters); // torch_koopman.py's expected count
        Assert.True(timing.LossDecreased, $"loss {timing.LossFirst} → {timing.LossLast}");
        Assert.True(timing.MinSeconds > 0 && timing.MinSeconds <= timing.MedianSeconds);
    }

    [Fact]
    public void SsmHasTheTutorialSize()
    {
        var timing = TrainingStepBenchmark.Measure(new SsmFamily(), batch: 2, steps: 2, warmup: 0);
        Assert.Equal(312_636, timing.Parameters); // torch_ssm.py's expected count
    }

    [Fact]
    public void TheSyntheticBatchIsDeterministicStandingWaves()
    {
        using var a = TrainingStepBenchmark.SyntheticBatch(2, seed: 7);
        using var b = TrainingStepBenchmark.SyntheticBatch(2, seed: 7);
        Assert.Equal(new long[] { 2, 100, 101, 2 }, a.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        // fixed ends of every standing wave: the first and last grid points are zero
        Assert.Equal(0f, a[.., .., 0].abs().max().item<float>(), 6);
        Assert.Equal(0f, a[.., .., 100].abs().max().item<float>(), 5);
    }
}
