using PhysMod.Learning.Evaluation;

namespace PhysMod.Tests.Evaluation;

/// <summary>Field metrics on hand-made arrays: exact values for a perfect, a zero and an offset prediction.</summary>
public sealed class FrameErrorSumsTests
{
    private const int N = 3, T = 6, W = 5, C = 2;

    private static float[] Truth(int n) =>
        Enumerable.Range(0, T * W * C).Select(k => (float)((k % C == 0 ? 1e-3 : 0.5) * Math.Sin(0.7 * k + n) + (k % C == 0 ? 2e-3 : 1))).ToArray();

    private static FrameErrorSums Sums(Func<float[], float[]> predict)
    {
        var sums = new FrameErrorSums(N, T, W, C);
        for (int n = 0; n < N; n++)
        {
            var truth = Truth(n);
            sums.Add(n, predict(truth), truth);
        }
        return sums;
    }

    [Fact]
    public void PerfectPredictionHasZeroErrors()
    {
        var sums = Sums(t => (float[])t.Clone());
        foreach (var e in new[] { sums.Channel(0, T, "m^2"), sums.Channel(1, 3, "(m/s)^2"), sums.Normalised([1e-3, 2.0], T) })
        {
            Assert.Equal(0, e.Mse);
            Assert.Equal(0, e.RelativeL2);
            Assert.Equal(0, e.RelativeL2TrajectoryMean);
            Assert.Equal(0, e.RelativeL2TrajectoryStd);
            Assert.Equal(0, e.RelativeMae);
        }
        Assert.Equal(0, sums.RelativeMae(1, 2, 3));
    }

    [Fact]
    public void ZeroPredictionHasRelativeErrorsOfOne()
    {
        var sums = Sums(t => new float[t.Length]);
        foreach (var e in new[] { sums.Channel(0, T, "m^2"), sums.Channel(1, T, "(m/s)^2"), sums.Normalised([1e-3, 2.0], 4) })
        {
            Assert.Equal(1, e.RelativeL2, 12);
            Assert.Equal(1, e.RelativeL2TrajectoryMean, 12);
            Assert.Equal(0, e.RelativeL2TrajectoryStd, 12);
            Assert.Equal(1, e.RelativeMae, 12);
        }
        for (int first = 0; first < T; first += 2) Assert.Equal(1, sums.RelativeMaeNormalised([1e-3, 2.0], first, 2), 12);
        // MSE of a zero prediction is the mean square of the truth.
        double meanSquare = Enumerable.Range(0, N).SelectMany(Truth).Where((_, k) => k % C == 1).Average(v => (double)v * v);
        Assert.Equal(meanSquare, sums.Channel(1, T, "(m/s)^2").Mse, 9);
    }

    [Fact]
    public void OffsetPredictionGivesTheOffsetAsErrors()
    {
        // pred = gt + 0.25 on channel 1 only: MSE 0.0625, MAE 0.25, relative MAE 0.25 / mean|gt|.
        var sums = Sums(t => t.Select((v, k) => k % C == 1 ? v + 0.25f : v).ToArray());
        var velocity = sums.Channel(1, T, "(m/s)^2");
        Assert.Equal(0.0625, velocity.Mse, 6);
        double meanAbs = Enumerable.Range(0, N).SelectMany(Truth).Where((_, k) => k % C == 1).Average(v => Math.Abs((double)v));
        Assert.Equal(0.25 / meanAbs, velocity.RelativeMae, 6);
        Assert.Equal(0, sums.Channel(0, T, "m^2").Mse);
        // Normalised over both channels: channel 1's squared error / 2² averaged with channel 0's zeros.
        Assert.Equal(0.0625 / 4 / 2, sums.Normalised([1e-3, 2.0], T).Mse, 6);
    }

    [Fact]
    public void PerTrajectoryRelativeL2HasMeanAndPopulationStd()
    {
        // Trajectory n is predicted as (1 + 0.1·(n+1))·gt: its relative L2 is 0.1·(n+1).
        var sums = new FrameErrorSums(N, T, W, C);
        for (int n = 0; n < N; n++)
        {
            var truth = Truth(n);
            sums.Add(n, truth.Select(v => (float)(v * (1 + 0.1 * (n + 1)))).ToArray(), truth);
        }
        var e = sums.Channel(0, T, "m^2");
        Assert.Equal(0.2, e.RelativeL2TrajectoryMean, 5);
        Assert.Equal(Math.Sqrt(2.0 / 3) * 0.1, e.RelativeL2TrajectoryStd, 5);
    }

    [Fact]
    public void RejectsRangesOutsideTheFrames()
    {
        var sums = Sums(t => t);
        Assert.Throws<ArgumentOutOfRangeException>(() => sums.Channel(0, T + 1, "m^2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => sums.RelativeMae(0, T - 1, 2));
        Assert.Throws<ArgumentException>(() => sums.Add(0, new float[3], new float[3]));
    }
}
