using System.Numerics;

namespace PhysMod.Audio;

/// <summary>Radix-2 iterative fast Fourier transform of one power-of-two size, with precomputed twiddle factors.</summary>
/// <remarks>
/// Forward: X[k] = Σ_n x[n] exp(-2πi k n / N). Inverse: x[n] = (1/N) Σ_k X[k] exp(+2πi k n / N).
/// The instance is immutable after construction, so one plan may be shared by several threads.
/// </remarks>
public sealed class Fft
{
    // twiddles[k] = exp(-2πi k / Size), k < Size/2; a transform of length n uses every (Size/n)-th entry.
    private readonly Complex[] twiddles;

    /// <summary>Creates a plan for transforms of <paramref name="size"/> points (a power of two, at least 2).</summary>
    public Fft(int size)
    {
        if (size < 2 || !BitOperations.IsPow2(size))
            throw new ArgumentException($"FFT size {size} is not a power of two >= 2.", nameof(size));
        Size = size;
        twiddles = new Complex[size / 2];
        for (int k = 0; k < twiddles.Length; k++)
        {
            (double sin, double cos) = Math.SinCos(-2.0 * Math.PI * k / size);
            twiddles[k] = new Complex(cos, sin);
        }
    }

    /// <summary>Number of points of the transform.</summary>
    public int Size { get; }

    /// <summary>Number of non-negative-frequency bins of a real transform: Size/2 + 1.</summary>
    public int RealBins => Size / 2 + 1;

    /// <summary>In-place forward transform of <paramref name="data"/> (length Size).</summary>
    public void Forward(Span<Complex> data)
    {
        RequireLength(data.Length, Size, nameof(data));
        Transform(data, inverse: false);
    }

    /// <summary>In-place inverse transform of <paramref name="data"/> (length Size), including the 1/N scaling.</summary>
    public void Inverse(Span<Complex> data)
    {
        RequireLength(data.Length, Size, nameof(data));
        Transform(data, inverse: true);
        double scale = 1.0 / Size;
        for (int i = 0; i < data.Length; i++) data[i] *= scale;
    }

    /// <summary>Forward transform of a real signal (length Size) into its RealBins non-negative-frequency bins.</summary>
    /// <remarks>
    /// Packs z[m] = x[2m] + i x[2m+1] into a half-size complex FFT Z, then unpacks, for k = 0..N/2 (Z[N/2] = Z[0]):
    /// E[k] = (Z[k] + conj Z[N/2-k]) / 2, O[k] = (Z[k] - conj Z[N/2-k]) / 2i, X[k] = E[k] + exp(-2πi k/N) O[k].
    /// </remarks>
    public void ForwardReal(ReadOnlySpan<double> input, Span<Complex> output)
    {
        RequireLength(input.Length, Size, nameof(input));
        RequireLength(output.Length, RealBins, nameof(output));
        int half = Size / 2;
        Span<Complex> z = output[..half];
        for (int m = 0; m < half; m++) z[m] = new Complex(input[2 * m], input[2 * m + 1]);
        Transform(z, inverse: false);

        Complex z0 = z[0];
        output[0] = new Complex(z0.Real + z0.Imaginary, 0);
        output[half] = new Complex(z0.Real - z0.Imaginary, 0);
        // Bins k and half-k depend on the same pair (Z[k], Z[half-k]): compute both before overwriting.
        for (int k = 1; k <= half / 2; k++)
        {
            int j = half - k;
            Complex zk = z[k], zj = z[j];
            output[k] = Unpack(zk, zj, twiddles[k]);
            if (j != k) output[j] = Unpack(zj, zk, twiddles[j]);
        }
    }

    private static Complex Unpack(Complex zk, Complex zMirror, Complex twiddle)
    {
        Complex conjMirror = Complex.Conjugate(zMirror);
        Complex even = (zk + conjMirror) * 0.5;
        Complex odd = (zk - conjMirror) * new Complex(0, -0.5);
        return even + twiddle * odd;
    }

    private void Transform(Span<Complex> data, bool inverse)
    {
        int n = data.Length;
        BitReversePermute(data);
        for (int length = 2; length <= n; length <<= 1)
        {
            int halfLength = length / 2;
            int stride = Size / length; // twiddle for exp(-2πi j / length) is twiddles[j * stride]
            for (int start = 0; start < n; start += length)
            {
                for (int j = 0; j < halfLength; j++)
                {
                    Complex w = twiddles[j * stride];
                    if (inverse) w = Complex.Conjugate(w);
                    Complex a = data[start + j];
                    Complex b = data[start + j + halfLength] * w;
                    data[start + j] = a + b;
                    data[start + j + halfLength] = a - b;
                }
            }
        }
    }

    private static void BitReversePermute(Span<Complex> data)
    {
        int n = data.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j |= bit;
            if (i < j) (data[i], data[j]) = (data[j], data[i]);
        }
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has length {actual}; this FFT plan needs {expected}.", name);
    }
}
