using PhysMod.Learning.Training;

namespace PhysMod.Tests.Training;

/// <summary>optax cosine_onecycle_schedule: peak/25 at 0, the peak at ⌊0.3 N⌋, peak/(25·10⁴) from N on, cosine pieces between.</summary>
public sealed class OneCycleCosineScheduleTests
{
    private const double Peak = 1e-3;

    // The closed form, written independently of the implementation: two half-cosines between the three values.
    private static double Expected(long step, long total)
    {
        double initial = Peak / 25, final = Peak / 25 / 1e4;
        long warm = (long)Math.Floor(0.3 * total);
        if (step >= total) return final;
        if (step < warm)
        {
            double pct = (double)step / warm;
            return initial + (Peak - initial) * (1 - Math.Cos(Math.PI * pct)) / 2;
        }
        double q = (double)(step - warm) / (total - warm);
        return final + (Peak - final) * (1 + Math.Cos(Math.PI * q)) / 2;
    }

    [Theory]
    [InlineData(100)]
    [InlineData(4000)]
    [InlineData(7)]
    public void MatchesTheClosedFormAtEveryStep(long total)
    {
        var schedule = new OneCycleCosineSchedule(total, Peak);
        for (long step = 0; step <= total + 2; step++)
            Assert.Equal(Expected(step, total), schedule.At(step), 1e-15);
    }

    [Fact]
    public void LandmarkValues()
    {
        var schedule = new OneCycleCosineSchedule(100, Peak);
        Assert.Equal(30, schedule.WarmupSteps);
        Assert.Equal(Peak / 25, schedule.At(0), 1e-18);
        Assert.Equal((Peak / 25 + Peak) / 2, schedule.At(15), 1e-15);   // half way up
        Assert.Equal(Peak, schedule.At(30), 1e-18);                      // the peak at 30 %
        Assert.Equal((Peak + Peak / 2.5e5) / 2, schedule.At(65), 1e-15); // half way down
        Assert.Equal(Peak / 2.5e5, schedule.At(100), 1e-20);             // the end value peak/(25·10⁴)
        Assert.Equal(Peak / 2.5e5, schedule.At(1000), 1e-20);
        Assert.True(schedule.At(99) > schedule.At(100) && schedule.At(99) < 1e-6);
    }

    [Fact]
    public void TooFewStepsForAWarmUpStartAtThePeak()
    {
        var schedule = new OneCycleCosineSchedule(3, Peak);
        Assert.Equal(0, schedule.WarmupSteps);
        Assert.Equal(Peak, schedule.At(0), 1e-18);
        Assert.All(Enumerable.Range(0, 5), s => Assert.True(double.IsFinite(schedule.At(s))));
    }
}
