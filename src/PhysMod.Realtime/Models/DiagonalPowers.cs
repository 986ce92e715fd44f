using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    private readonly double[] _logModulus, _basePhase, _phase, _lambdaRe, _lambdaIm;
    private readonly double[] _re0, _im0, _re, _im;
    private readonly int _count;
    private long _step;
    private bool _phaseScaled;      // λ uses scaled arguments (a start with a phase scale)

    /// <summary>Creates the system from log |λ| and arg λ (both length n).</summary>
    public DiagonalPowers(ReadOnlySpan<double> logModulus, ReadOnlySpan<double> phase)
    {
        if (logModulus.Length != phase.Length || logModulus.Length < 1) throw new ArgumentException("log-modulus and phase must have the same length ≥ 1");
        int n = logModulus.Length;
        _count = n;
        _logModulus = logModulus.ToArray();
        _basePhase = phase.ToArray();
        _phase = phase.ToArray();
        int padded = PackedLinear.Pad(n);
        _lambdaRe = new double[padded]; _lambdaIm = new double[padded];
        SetLambda();
        _re0 = new double[n]; _im0 = new double[n]; _re = new double[padded]; _im = new double[padded];
    }

    // λ_j = exp(ℓ_j) (cos φ_j + i sin φ_j) for the current phases.
    private void SetLambda()
    {
        for (int j = 0; j < _count; j++)
        {
            double modulus = Math.Exp(_logModulus[j]);
            _lambdaRe[j] = modulus * Math.Cos(_phase[j]);
            _lambdaIm[j] = modulus * Math.Sin(_phase[j]);
        }
    }

    /// <summary>Number of complex coordinates n.</summary>
    public int Count => _count;

    /// <summary>k of the current z_k.</summary>
    public long Step => _step;

    /// <summary>Sets z_0 and k = 0 with the arguments scaled per coordinate, arg λ_j = φ_j · <paramref name="phaseScale"/>[j]
    /// (energy_phase: the scale depends on z_0), until the next start.</summary>
    public void Start(ReadOnlySpan<float> re0, ReadOnlySpan<float> im0, ReadOnlySpan<double> phaseScale)
    {
        if (phaseScale.Length < _count) throw new ArgumentException($"phase scale needs {_count} values", nameof(phaseScale));
        for (int j = 0; j < _count; j++) _phase[j] = _basePhase[j] * phaseScale[j];
        SetLambda();
        _phaseScaled = true;
        Begin(re0, im0);
    }

    /// <summary>Sets z_0 (real and imaginary parts, length n each) and k = 0, with the model's own arguments.</summary>
    public void Start(ReadOnlySpan<float> re0, ReadOnlySpan<float> im0)
    {
        if (_phaseScaled)
        {
            _basePhase.CopyTo(_phase, 0);
            SetLambda();
            _phaseScaled = false;
        }
        Begin(re0, im0);
    }

    private void Begin(ReadOnlySpan<float> re0, ReadOnlySpan<float> im0)
    {
        for (int j = 0; j < _count; j++)
        {
            _re0[j] = re0[j];
            _im0[j] = im0[j];
        }
        _step = 0;
        Anchor();
    }

    /// <summary>Writes z_k as float32 (real parts, imaginary parts); coordinates below <see cref="FlushBelow"/> are written as 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(Span<float> re, Span<float> im)
    {
        if (re.Length < _count || im.Length < _count) throw new ArgumentException($"destinations need {_count} values");
        int vectorEnd = Simd.Path == SimdPath.Vector512 ? _count / PackedLinear.Lane * PackedLinear.Lane : 0;   // else all scalar (O(n) per frame)
        ref double r = ref MemoryMarshal.GetArrayDataReference(_re), i = ref MemoryMarshal.GetArrayDataReference(_im);
        ref float outRe = ref MemoryMarshal.GetReference(re), outIm = ref MemoryMarshal.GetReference(im);
        var floor = Vector512.Create(FlushBelow);
        for (int j = 0; j < vectorEnd; j += PackedLinear.Lane)
        {
            var r0 = Vector512.LoadUnsafe(ref r, (nuint)j); var r1 = Vector512.LoadUnsafe(ref r, (nuint)(j + 8));
            var i0 = Vector512.LoadUnsafe(ref i, (nuint)j); var i1 = Vector512.LoadUnsafe(ref i, (nuint)(j + 8));
            var keep0 = Vector512.GreaterThanOrEqual(Vector512.Abs(r0) + Vector512.Abs(i0), floor);
            var keep1 = Vector512.GreaterThanOrEqual(Vector512.Abs(r1) + Vector512.Abs(i1), floor);
            Vector512.Narrow(r0 & keep0, r1 & keep1).StoreUnsafe(ref outRe, (nuint)j);
            Vector512.Narrow(i0 & keep0, i1 & keep1).StoreUnsafe(ref outIm, (nuint)j);
        }
        for (int j = vectorEnd; j < _count; j++)
        {
            double a = _re[j], b = _im[j];
            bool tiny = !(Math.Abs(a) + Math.Abs(b) >= FlushBelow);
            re[j] = tiny ? 0f : (float)a;
            im[j] = tiny ? 0f : (float)b;
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
        ref double lr = ref MemoryMarshal.GetArrayDataReference(_lambdaRe), li = ref MemoryMarshal.GetArrayDataReference(_lambdaIm);
        ref double r = ref MemoryMarshal.GetArrayDataReference(_re), i = ref MemoryMarshal.GetArrayDataReference(_im);
        if (Simd.Path != SimdPath.Vector512)
        {
            for (int j = 0; j < _re.Length; j++)
            {
                double a = _lambdaRe[j], b = _lambdaIm[j], x = _re[j], y = _im[j];
                _re[j] = x * a - y * b;
                _im[j] = x * b + y * a;
            }
            return;
        }
        for (nuint j = 0; j < (nuint)_re.Length; j += 8)
        {
            var a = Vector512.LoadUnsafe(ref lr, j); var b = Vector512.LoadUnsafe(ref li, j);
            var x = Vector512.LoadUnsafe(ref r, j); var y = Vector512.LoadUnsafe(ref i, j);
            (x * a - y * b).StoreUnsafe(ref r, j);
            (x * b + y * a).StoreUnsafe(ref i, j);
        }
    }

    // z_k = exp(k ℓ)(cos kφ + i sin kφ) z_0 exactly (to float64 rounding).
    private void Anchor()
    {
        double k = _step;
        for (int j = 0; j < _count; j++)
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
