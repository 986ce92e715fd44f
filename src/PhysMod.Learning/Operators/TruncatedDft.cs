using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The zero-padded orthonormal real DFT of length n = 2W − 1 restricted to its lowest M bins, and its inverse
/// cropped to the first W samples, as two real matrices (the transforms of <see cref="SpectralConv1d"/> done as matrix
/// products).</summary>
/// <remarks>
/// With θ = 2π m s / n, bins m &lt; M ≤ W and samples s, t &lt; W:
/// <code>
///   rfft_n(v)[m] / √n  = Σ_s v[s] (cos θ − i sin θ) / √n                          → Forward (W, M, 2) = (cos θ, −sin θ) / √n
///   irfft_n(Y)[t] · √n = (Re Y_0 + Σ_{m≥1} 2 (Re Y_m cos θ − Im Y_m sin θ)) / √n   → Inverse (M, 2, W) = c_m (cos θ, −sin θ) / √n
/// </code>
/// with c_0 = 1, c_m = 2 (n is odd, so every bin 1 … W − 1 has its conjugate partner and there is no Nyquist bin; the
/// imaginary part of bin 0 is ignored, as irfft ignores it). These are exactly the operations torch.fft.rfft(v, n, norm =
/// "ortho")[:M] and torch.fft.irfft(Y, n, norm = "ortho")[:W] with bins ≥ M zero, so the layer's maths is unchanged. For the
/// sizes of the tutorial (W = 101, n = 201 = 3·67) a matrix product costs a fraction of an FFT of that prime-factor length.
/// The matrices are built in float64 and cast once.
/// </remarks>
public sealed class TruncatedDft : IDisposable
{
    /// <summary>Builds the pair for <paramref name="points"/> samples and <paramref name="modes"/> bins (1 ≤ M ≤ W).</summary>
    public TruncatedDft(int points, int modes, ScalarType dtype, Device device)
    {
        if (points < 1 || modes < 1 || modes > points)
            throw new ArgumentOutOfRangeException(nameof(modes), $"need 1 ≤ modes ({modes}) ≤ points ({points})");
        Points = points;
        Modes = modes;
        long n = 2L * points - 1;
        double norm = 1.0 / Math.Sqrt(n);
        var forward = new double[points * modes * 2];
        var inverse = new double[modes * 2 * points];
        for (int s = 0; s < points; s++)
            for (int m = 0; m < modes; m++)
            {
                // reduce m·s mod n in integers so the angle stays accurate for large grids
                double angle = 2 * Math.PI * ((long)m * s % n) / n;
                double cos = Math.Cos(angle) * norm, sin = Math.Sin(angle) * norm, weight = m == 0 ? 1 : 2;
                forward[(s * modes + m) * 2] = cos;
                forward[(s * modes + m) * 2 + 1] = -sin;
                inverse[(m * 2) * points + s] = weight * cos;
                inverse[(m * 2 + 1) * points + s] = -weight * sin;
            }
        using var scope = NewDisposeScope();
        Forward = tensor(forward, [points, 2L * modes]).to(dtype, device).DetachFromDisposeScope();
        Inverse = tensor(inverse, [2L * modes, points]).to(dtype, device).DetachFromDisposeScope();
    }

    /// <summary>W: samples.</summary>
    public int Points { get; }

    /// <summary>M: bins.</summary>
    public int Modes { get; }

    /// <summary>(W, 2M): v (…, W) @ Forward = the spectrum (…, M, 2) as (re, im) pairs, flattened.</summary>
    public Tensor Forward { get; }

    /// <summary>(2M, W): the spectrum (…, M, 2) flattened @ Inverse = the cropped signal (…, W).</summary>
    public Tensor Inverse { get; }

    /// <summary>Whether the pair fits inputs of <paramref name="points"/> samples in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public bool Fits(int points, ScalarType dtype, Device device) =>
        points == Points && Forward.dtype == dtype && Forward.device_type == device.type && Forward.device_index == device.index;   // Device has no value equality

    /// <summary>Frees both matrices.</summary>
    public void Dispose()
    {
        Forward.Dispose();
        Inverse.Dispose();
    }
}
