namespace PhysMod.Realtime.Models;

/// <summary>The causal diagonal complex recurrence of an LRU in sequence mode, h_k = λ ⊙ h_{k−1} + b_k, with the state kept
/// in float64.</summary>
/// <remarks>h_{−1} = 0. With |λ| close to 1 the output is sensitive to λ (∂h/∂λ ~ 1/(1 − |λ|)² for a steady drive), so λ
/// and h are float64 while the drive b and the written states are float32 frames of the block. States below
/// <see cref="DiagonalPowers.FlushBelow"/> in modulus are set to zero at the end of each block so that a decaying state never
/// becomes subnormal.</remarks>
public sealed class DiagonalRecurrence
{
    private readonly double[] _lambdaRe, _lambdaIm, _re, _im;

    /// <summary>Creates the recurrence from log |λ| and arg λ (length n each).</summary>
    public DiagonalRecurrence(ReadOnlySpan<double> logModulus, ReadOnlySpan<double> phase)
    {
        if (logModulus.Length != phase.Length || logModulus.Length < 1) throw new ArgumentException("log-modulus and phase must have the same length ≥ 1");
        int n = logModulus.Length;
        _lambdaRe = new double[n]; _lambdaIm = new double[n];
        for (int j = 0; j < n; j++)
        {
            double modulus = Math.Exp(logModulus[j]);
            _lambdaRe[j] = modulus * Math.Cos(phase[j]);
            _lambdaIm[j] = modulus * Math.Sin(phase[j]);
        }
        _re = new double[n]; _im = new double[n];
    }

    /// <summary>Number of complex states n.</summary>
    public int Count => _re.Length;

    /// <summary>h ← 0.</summary>
    public void Reset()
    {
        Array.Clear(_re);
        Array.Clear(_im);
    }

    /// <summary>Runs <paramref name="count"/> steps: frame t of <paramref name="drive"/> holds b_t as [Re (n) | Im (n)] at
    /// t·<paramref name="stride"/>; h_t is written to <paramref name="states"/> in the same layout.</summary>
    public void Run(ReadOnlySpan<float> drive, Span<float> states, int stride, int count)
    {
        int n = _re.Length;
        if (stride < 2 * n || drive.Length < (count - 1) * stride + 2 * n || states.Length < (count - 1) * stride + 2 * n)
            throw new ArgumentException("recurrence buffers do not match the frame layout");
        var lambdaRe = _lambdaRe.AsSpan(); var lambdaIm = _lambdaIm.AsSpan();
        var re = _re.AsSpan(); var im = _im.AsSpan();
        for (int t = 0; t < count; t++)
        {
            var bRe = drive.Slice(t * stride, n); var bIm = drive.Slice(t * stride + n, n);
            var hRe = states.Slice(t * stride, n); var hIm = states.Slice(t * stride + n, n);
            for (int j = 0; j < n; j++)
            {
                double r = re[j], i = im[j];
                double nextRe = r * lambdaRe[j] - i * lambdaIm[j] + bRe[j];
                double nextIm = r * lambdaIm[j] + i * lambdaRe[j] + bIm[j];
                re[j] = nextRe;
                im[j] = nextIm;
                hRe[j] = (float)nextRe;
                hIm[j] = (float)nextIm;
            }
        }
        for (int j = 0; j < n; j++)
            if (!(Math.Abs(re[j]) + Math.Abs(im[j]) >= DiagonalPowers.FlushBelow)) re[j] = im[j] = 0;
    }
}
