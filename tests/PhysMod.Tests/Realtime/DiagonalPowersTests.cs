using PhysMod.Realtime.Models;
using Xunit.Abstractions;

namespace PhysMod.Tests.Realtime;

/// <summary>The float64 running product with re-anchoring stays on the closed form λ^k z_0 = exp(k log λ) z_0 over long
/// renders, where a float32 running product drifts.</summary>
public sealed class DiagonalPowersTests(ITestOutputHelper output)
{
    private static (double[] LogModulus, double[] Phase) Eigenvalues(int n)
    {
        var random = new Random(4);
        var logModulus = Enumerable.Range(0, n).Select(_ => Math.Log(1 - 1e-6 * random.NextDouble())).ToArray();   // |λ| ∈ (1 − 1e-6, 1]
        var phase = Enumerable.Range(0, n).Select(_ => Math.PI * random.NextDouble()).ToArray();
        return (logModulus, phase);
    }

    [Fact]
    public void RunningProductStaysOnTheClosedForm()
    {
        const int n = 37;
        var (logModulus, phase) = Eigenvalues(n);
        var powers = new DiagonalPowers(logModulus, phase);
        var re0 = Enumerable.Range(0, n).Select(j => (float)Math.Cos(j)).ToArray();
        var im0 = Enumerable.Range(0, n).Select(j => (float)Math.Sin(0.5 * j)).ToArray();
        powers.Start(re0, im0);
        var re = new float[n]; var im = new float[n];
        // float32 running product for comparison
        var (lr, li) = (logModulus.Select((l, j) => (float)(Math.Exp(l) * Math.Cos(phase[j]))).ToArray(), logModulus.Select((l, j) => (float)(Math.Exp(l) * Math.Sin(phase[j]))).ToArray());
        var fr = (float[])re0.Clone(); var fi = (float[])im0.Clone();
        double worst = 0, worstFloat = 0;
        for (long k = 0; k <= 50_000; k++)
        {
            if (k % 10_000 == 0 || k == 1023 || k == 1024 || k == 1025)
            {
                powers.Write(re, im);
                for (int j = 0; j < n; j++)
                {
                    double modulus = Math.Exp(k * logModulus[j]);
                    var (s, c) = Math.SinCos(k * phase[j]);
                    double er = modulus * (c * re0[j] - s * im0[j]), ei = modulus * (s * re0[j] + c * im0[j]);
                    double size = Math.Sqrt(re0[j] * re0[j] + im0[j] * im0[j]) * modulus;
                    worst = Math.Max(worst, Math.Max(Math.Abs(re[j] - er), Math.Abs(im[j] - ei)) / size);
                    if (k == 10_000) worstFloat = Math.Max(worstFloat, Math.Max(Math.Abs(fr[j] - er), Math.Abs(fi[j] - ei)) / size);
                }
            }
            powers.Advance();
            if (k < 10_000)
                for (int j = 0; j < n; j++) (fr[j], fi[j]) = (fr[j] * lr[j] - fi[j] * li[j], fr[j] * li[j] + fi[j] * lr[j]);
        }
        Assert.Equal(50_001, powers.Step);
        output.WriteLine($"float64 product with re-anchoring, worst relative error over 5e4 steps: {worst:E2}; float32 running product after 1e4 steps: {worstFloat:E2}");
        Assert.True(worst <= 1e-7, $"relative error {worst:E2} (the float32 rounding of the written values is 6e-8)");
    }

    [Fact]
    public void DecayedCoordinatesAreFlushedToZero()
    {
        var powers = new DiagonalPowers([Math.Log(0.5), Math.Log(0.999)], [1.0, 2.0]);
        powers.Start([1f, 1f], [0f, 0f]);
        for (int k = 0; k < 2048; k++) powers.Advance();                                             // 0.5^2048 ≪ 1e-30
        var re = new float[2]; var im = new float[2];
        powers.Write(re, im);
        Assert.Equal(0f, re[0]);
        Assert.Equal(0f, im[0]);
        Assert.True(Math.Abs(re[1]) + Math.Abs(im[1]) > 0.1);
    }
}
