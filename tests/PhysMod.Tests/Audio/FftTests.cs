using System.Numerics;
using PhysMod.Audio;

namespace PhysMod.Tests.Audio;

/// <summary>The radix-2 FFT against a direct O(N²) DFT computed in double precision.</summary>
public sealed class FftTests
{
    public static TheoryData<int> Sizes => new() { 2, 4, 8, 16, 64, 256, 1024, 4096 };

    // X[k] = Σ_n x[n] exp(-2πi k n / N), with k·n reduced mod N so the angle stays small and exact.
    private static Complex[] DirectDft(IReadOnlyList<Complex> x)
    {
        int n = x.Count;
        var result = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            Complex sum = 0;
            for (int m = 0; m < n; m++)
                sum += x[m] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((long)k * m % n) / n);
            result[k] = sum;
        }
        return result;
    }

    private static double RelativeError(ReadOnlySpan<Complex> actual, ReadOnlySpan<Complex> expected)
    {
        double error = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error += (actual[i] - expected[i]).Magnitude * (actual[i] - expected[i]).Magnitude;
            norm += expected[i].Magnitude * expected[i].Magnitude;
        }
        return Math.Sqrt(error / norm);
    }

    private static Complex[] RandomComplex(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ForwardMatchesDirectDft(int size)
    {
        Complex[] input = RandomComplex(size, size);
        Complex[] data = (Complex[])input.Clone();
        new Fft(size).Forward(data);
        Assert.InRange(RelativeError(data, DirectDft(input)), 0, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ForwardRealMatchesDirectDft(int size)
    {
        var random = new Random(size + 1);
        double[] input = Enumerable.Range(0, size).Select(_ => random.NextDouble() - 0.5).ToArray();
        var fft = new Fft(size);
        var output = new Complex[fft.RealBins];
        fft.ForwardReal(input, output);
        Complex[] expected = DirectDft(input.Select(x => new Complex(x, 0)).ToArray());
        Assert.InRange(RelativeError(output, expected.AsSpan(0, size / 2 + 1)), 0, 1e-12);
        Assert.Equal(0, output[0].Imaginary);
        Assert.Equal(0, output[size / 2].Imaginary);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void InverseUndoesForward(int size)
    {
        Complex[] input = RandomComplex(size, 7 * size);
        Complex[] data = (Complex[])input.Clone();
        var fft = new Fft(size);
        fft.Forward(data);
        fft.Inverse(data);
        Assert.InRange(RelativeError(data, input), 0, 1e-13);
    }

    [Fact]
    public void ImpulseTransformsToOnes()
    {
        var data = new Complex[16];
        data[0] = 1;
        new Fft(16).Forward(data);
        Assert.All(data, x => Assert.Equal(Complex.One, x));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(-8)]
    public void RejectsSizesThatAreNotPowersOfTwo(int size)
    {
        var e = Assert.Throws<ArgumentException>(() => new Fft(size));
        Assert.Contains($"FFT size {size}", e.Message);
    }

    [Fact]
    public void RejectsWrongLengths()
    {
        var fft = new Fft(8);
        Assert.Contains("length 4", Assert.Throws<ArgumentException>(() => fft.Forward(new Complex[4])).Message);
        Assert.Contains("needs 5", Assert.Throws<ArgumentException>(() => fft.ForwardReal(new double[8], new Complex[8])).Message);
    }
}
