using PhysMod.Physics.Datasets;
using Xunit.Abstractions;

namespace PhysMod.Tests.Datasets;

/// <summary>The string-benchmark is a nonlinear dataset: switching tension modulation off, with the same draws, changes the field.</summary>
public sealed class TensionModulationTests(ITestOutputHelper output)
{
    private const int N = 6;

    [Fact]
    public void TensionModulationChangesTheFieldClearly()
    {
        var nonlinear = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark, N, seed: 0, DatasetShard.Whole, threads: 2);
        var linear = DatasetGenerator.Generate(DatasetTestData.ShortBenchmark with { TensionModulation = false }, N, seed: 0, DatasetShard.Whole, threads: 2);

        // Same seed, same draws and initial state: only the physics differs.
        Assert.Equal(DatasetTestData.Bytes(nonlinear.Draws), DatasetTestData.Bytes(linear.Draws));
        Assert.Equal(DatasetTestData.Bytes(nonlinear.InitialState), DatasetTestData.Bytes(linear.InitialState));
        Assert.Equal(nonlinear.Modes, linear.Modes);
        Assert.Equal(200, nonlinear.FieldFrames);

        double first = RelativeL2(nonlinear, linear, 1), at100 = RelativeL2(nonlinear, linear, 100), at200 = RelativeL2(nonlinear, linear, 200);
        output.WriteLine(FormattableString.Invariant($"N = {N}, seed 0, {nonlinear.Modes} modes: relative L2 (nonlinear vs linear) of the displacement field over the first 100 frames {at100:F4}, first 200 frames {at200:F4}"));
        output.WriteLine(FormattableString.Invariant($"both channels as stored (displacement and velocity, as `physmod demo` prints): {RelativeL2(nonlinear, linear, 100, 2):F4}, {RelativeL2(nonlinear, linear, 200, 2):F4}"));
        Assert.Equal(0, first); // frame 0 is the shared initial shape
        Assert.True(at100 > 1e-3, $"relative L2 over 100 frames is only {at100:G3}");
        Assert.True(at200 > 1e-3, $"relative L2 over 200 frames is only {at200:G3}");
        Assert.True(at200 > at100, "the two solutions drift apart with time");
    }

    /// <summary>‖u_nl − u_lin‖₂ / ‖u_nl‖₂ over frames [0, frames) of every trajectory, where u is the displacement channel
    /// (<paramref name="channels"/> = 1) or both stored channels (2).</summary>
    private static double RelativeL2(DatasetData a, DatasetData b, int frames, int channels = 1)
    {
        double difference = 0, reference = 0;
        int t = a.FieldFrames, w = a.GridPoints;
        for (int k = 0; k < a.Count; k++)
            for (int n = 0; n < frames; n++)
                for (int j = 0; j < w; j++)
                    for (int c = 0; c < channels; c++)
                    {
                        long i = (((long)k * t + n) * w + j) * 2 + c;
                        double x = a.Fields[i], y = b.Fields[i];
                        difference += (x - y) * (x - y);
                        reference += x * x;
                    }
        return Math.Sqrt(difference / reference);
    }
}
