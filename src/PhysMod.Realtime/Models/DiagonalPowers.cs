namespace PhysMod.Realtime.Models;

/// <summary>The trajectory z_k = λ^k ⊙ z_0 of a diagonal complex linear system, advanced one step at a time in float64 and
/// re-anchored to its closed form so that it does not drift over arbitrarily long renders.</summary>
/// <remarks>
/// λ_j = exp(ℓ_j + i φ_j) with ℓ = log |λ| and φ = arg λ. Each step multiplies by λ in float64; every
/// <see cref="AnchorInterval"/> steps z is recomputed as exp(kℓ)(cos kφ + i sin kφ) z_0, the closed form torch evaluates,
/// so the rounding of the running product never accumulates over more than that many steps (the relative error of a
/// float64 product after 1024 steps is ~1e-13; a float32 running product would be off by ~1e-3 after 10⁴ steps).
/// Coordinates below <see cref="FlushBelow"/> in modulus are set to zero at each anchor (and written as zero), so decayed
/// modes never become subnormal numbers.
/// </remarks>
public sealed class DiagonalPowers
{
    /// <summary>Steps between exact re-evaluations of λ^k z_0.</summary>
    public const int AnchorInterval = 1024;

    /// <summary>Moduli below this are treated as zero.</summary>
    public const double FlushBelow = 1e-30;

    private readonly double[] _logModulus, _phase, _lambdaRe, _lambdaIm;
    private readonly double[] _re0, _im0, _re, _im;
    private long _step;

    /// <summary>Creates the system from log |λ| and arg λ (both length n).</summary>
    public DiagonalPowers(ReadOnlySpan<double> logModulus, ReadOnlySpan<double> phase)
    {
        if (logModulus.Length != phase.Length || logModulus.Length < 1) throw new ArgumentException("log-modulus and phase must have the same length ≥ 1");
        int n = logModulus.Length;
        _logModulus = logModulus.ToArray();
        _phase = phase.ToArray();
        _lambdaRe = new double[n]; _lambdaIm = new double[n];
        for (int j = 0; j < n; j++)
        {
            double modulus = Math.Exp(_logModulus[j]);
            _lambdaRe[j] = modulus * Math.Cos(_phase[j]);
            _lambdaIm[j] = modulus * Math.Sin(_phase[j]);
        }
        _re0 = new double[n]; _im0 = new double[n]; _re = new double[n]; _im = new double[n];
    }

    /// <summary>Number of complex coordinates n.</summary>
    public int Count => _re.Length;

    /// <summary>k of the current z_k.</summary>
    public long Step => _step;

    /// <summary>Sets z_0 (real and imaginary parts, length n each) and k = 0.</summary>
    public void Start(ReadOnlySpan<float> re0, ReadOnlySpan<float> im0)
    {
        for (int j = 0; j < _re.Length; j++)
        {
            _re0[j] = re0[j];
            _im0[j] = im0[j];
        }
        _step = 0;
        Anchor();
    }

    /// <summary>Writes z_k as float32 (real parts, imaginary parts); coordinates below <see cref="FlushBelow"/> are written as 0.</summary>
    public void Write(Span<float> re, Span<float> im)
    {
        for (int j = 0; j < _re.Length; j++)
        {
            double r = _re[j], i = _im[j];
            bool tiny = !(Math.Abs(r) + Math.Abs(i) >= FlushBelow);
            re[j] = tiny ? 0f : (float)r;
            im[j] = tiny ? 0f : (float)i;
        }
    }

    /// <summary>k ← k + 1.</summary>
    public void Advance()
    {
        _step++;
        if (_step % AnchorInterval == 0)
        {
            Anchor();
            return;
        }
        for (int j = 0; j < _re.Length; j++)
        {
            double re = _re[j], im = _im[j];
            _re[j] = re * _lambdaRe[j] - im * _lambdaIm[j];
            _im[j] = re * _lambdaIm[j] + im * _lambdaRe[j];
        }
    }

    // z_k = exp(k ℓ)(cos kφ + i sin kφ) z_0 exactly (to float64 rounding).
    private void Anchor()
    {
        double k = _step;
        for (int j = 0; j < _re.Length; j++)
        {
            double modulus = Math.Exp(k * _logModulus[j]);
            double magnitude = modulus * Math.Sqrt(_re0[j] * _re0[j] + _im0[j] * _im0[j]);
            if (!(magnitude >= FlushBelow))
            {
                _re[j] = 0;
                _im[j] = 0;
                continue;
            }
            var (sin, cos) = Math.SinCos(k * _phase[j]);
            double c = modulus * cos, s = modulus * sin;
            _re[j] = c * _re0[j] - s * _im0[j];
            _im[j] = s * _re0[j] + c * _im0[j];
        }
    }
}
