using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhysMod.Realtime.Models;

/// <summary>The causal diagonal complex recurrence of an LRU in sequence mode, h_k = λ ⊙ h_{k−1} + b_k, with the state kept
/// in float64.</summary>
/// <remarks>h_{−1} = 0. With |λ| close to 1 the output is sensitive to λ (∂h/∂λ ~ 1/(1 − |λ|)² for a steady drive), so λ
/// and h are float64 while the drive b and the written states are float32 frames of the block (SIMD: 16 coordinates at a
/// time, widened to two float64 vectors). States below <see cref="DiagonalPowers.FlushBelow"/> in modulus are set to zero at
/// the end of each block so that a decaying state never becomes subnormal.</remarks>
public sealed class DiagonalRecurrence
{
    private readonly double[] _lambdaRe, _lambdaIm, _re, _im;   // padded to whole 16-coordinate groups
    private readonly int _count;

    /// <summary>Creates the recurrence from log |λ| and arg λ (length n each).</summary>
    public DiagonalRecurrence(ReadOnlySpan<double> logModulus, ReadOnlySpan<double> phase)
    {
        if (logModulus.Length != phase.Length || logModulus.Length < 1) throw new ArgumentException("log-modulus and phase must have the same length ≥ 1");
        _count = logModulus.Length;
        int padded = PackedLinear.Pad(_count);
        _lambdaRe = new double[padded]; _lambdaIm = new double[padded];
        for (int j = 0; j < _count; j++)
        {
            double modulus = Math.Exp(logModulus[j]);
            _lambdaRe[j] = modulus * Math.Cos(phase[j]);
            _lambdaIm[j] = modulus * Math.Sin(phase[j]);
        }
        _re = new double[padded]; _im = new double[padded];
    }

    /// <summary>Number of complex states n.</summary>
    public int Count => _count;

    /// <summary>h ← 0.</summary>
    public void Reset()
    {
        Array.Clear(_re);
        Array.Clear(_im);
    }

    /// <summary>Runs <paramref name="count"/> steps: frame t of <paramref name="drive"/> holds b_t as [Re (n) | Im (n)] at
    /// t·<paramref name="stride"/>; h_t is written to <paramref name="states"/> in the same layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ReadOnlySpan<float> drive, Span<float> states, int stride, int count)
    {
        int n = _count;
        if (stride < 2 * n || drive.Length < (count - 1) * stride + 2 * n || states.Length < (count - 1) * stride + 2 * n)
            throw new ArgumentException("recurrence buffers do not match the frame layout");
        ref double lr = ref MemoryMarshal.GetArrayDataReference(_lambdaRe), li = ref MemoryMarshal.GetArrayDataReference(_lambdaIm);
        ref double re = ref MemoryMarshal.GetArrayDataReference(_re), im = ref MemoryMarshal.GetArrayDataReference(_im);
        int vectorEnd = Simd.Path == SimdPath.Vector512 ? n / PackedLinear.Lane * PackedLinear.Lane : 0;   // else all scalar (O(n) per frame)
        for (int t = 0; t < count; t++)
        {
            ref float bRe = ref Unsafe.Add(ref MemoryMarshal.GetReference(drive), t * stride);
            ref float bIm = ref Unsafe.Add(ref bRe, n);
            ref float hRe = ref Unsafe.Add(ref MemoryMarshal.GetReference(states), t * stride);
            ref float hIm = ref Unsafe.Add(ref hRe, n);
            for (int j = 0; j < vectorEnd; j += PackedLinear.Lane)
            {
                var (driveRe0, driveRe1) = Vector512.Widen(Vector512.LoadUnsafe(ref bRe, (nuint)j));
                var (driveIm0, driveIm1) = Vector512.Widen(Vector512.LoadUnsafe(ref bIm, (nuint)j));
                var (nextRe0, nextIm0) = Step(ref lr, ref li, ref re, ref im, j, driveRe0, driveIm0);
                var (nextRe1, nextIm1) = Step(ref lr, ref li, ref re, ref im, j + 8, driveRe1, driveIm1);
                Vector512.Narrow(nextRe0, nextRe1).StoreUnsafe(ref hRe, (nuint)j);
                Vector512.Narrow(nextIm0, nextIm1).StoreUnsafe(ref hIm, (nuint)j);
            }
            for (int j = vectorEnd; j < n; j++)
            {
                double r = Unsafe.Add(ref re, j), i = Unsafe.Add(ref im, j);
                double a = Unsafe.Add(ref lr, j), b = Unsafe.Add(ref li, j);
                double nextRe = r * a - i * b + Unsafe.Add(ref bRe, j);
                double nextIm = r * b + i * a + Unsafe.Add(ref bIm, j);
                Unsafe.Add(ref re, j) = nextRe;
                Unsafe.Add(ref im, j) = nextIm;
                Unsafe.Add(ref hRe, j) = (float)nextRe;
                Unsafe.Add(ref hIm, j) = (float)nextIm;
            }
        }
        for (int j = 0; j < n; j++)
            if (!(Math.Abs(_re[j]) + Math.Abs(_im[j]) >= DiagonalPowers.FlushBelow)) _re[j] = _im[j] = 0;
    }

    // 8 coordinates from j: h ← λh + b in float64; returns the new (Re h, Im h).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Re, Vector512<double> Im) Step(ref double lr, ref double li, ref double re, ref double im, int j,
        Vector512<double> driveRe, Vector512<double> driveIm)
    {
        var a = Vector512.LoadUnsafe(ref lr, (nuint)j); var b = Vector512.LoadUnsafe(ref li, (nuint)j);
        var r = Vector512.LoadUnsafe(ref re, (nuint)j); var i = Vector512.LoadUnsafe(ref im, (nuint)j);
        var nextRe = r * a - i * b + driveRe;
        var nextIm = r * b + i * a + driveIm;
        nextRe.StoreUnsafe(ref re, (nuint)j);
        nextIm.StoreUnsafe(ref im, (nuint)j);
        return (nextRe, nextIm);
    }
}
