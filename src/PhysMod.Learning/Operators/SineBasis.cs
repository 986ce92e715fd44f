using static TorchSharp.torch;

namespace PhysMod.Learning.Operators;

/// <summary>The sine modes of a field with fixed ends on a uniform grid, as an analysis and a synthesis matrix (the modal
/// coordinates of <see cref="ModalEnergyPath"/>).</summary>
/// <remarks>
/// Grid x_j = j/(W − 1), j = 0 … W − 1 (both ends included), modes m = 1 … M ≤ W − 2:
/// <code>
///   synthesis  v_j = Σ_m V_m sin(m π j/(W − 1))                 → Synthesis (M, W)
///   analysis   V_m = 2/(W − 1) Σ_j v_j sin(m π j/(W − 1))         → Analysis (W, M)
/// </code>
/// Σ_{j=1}^{W−2} sin(mπj/(W−1)) sin(nπj/(W−1)) = (W − 1)/2 δ_mn (DST-I orthogonality), so analysis after synthesis is the
/// identity for M ≤ W − 2, and V_m is the amplitude of sin(mπx/L) whatever W is (the same coordinates on any grid).
/// Built in float64 and cast once.
/// </remarks>
public sealed class SineBasis : IDisposable
{
    /// <summary>Builds the pair for <paramref name="points"/> samples and <paramref name="modes"/> modes (1 ≤ M ≤ W − 2).</summary>
    public SineBasis(int points, int modes, ScalarType dtype, Device device)
    {
        if (modes < 1 || modes > points - 2)
            throw new ArgumentOutOfRangeException(nameof(modes), $"need 1 ≤ modes ({modes}) ≤ points − 2 ({points - 2})");
        Points = points;
        Modes = modes;
        var synthesis = new double[modes * points];
        var analysis = new double[points * modes];
        long period = 2L * (points - 1);
        for (int m = 0; m < modes; m++)
            for (int j = 0; j < points; j++)
            {
                // reduce (m + 1)·j mod 2(W − 1) in integers so the angle stays accurate on fine grids
                double value = Math.Sin(Math.PI * ((long)(m + 1) * j % period) / (points - 1));
                synthesis[m * points + j] = value;
                analysis[j * modes + m] = 2.0 * value / (points - 1);
            }
        using var scope = NewDisposeScope();
        Synthesis = tensor(synthesis, [modes, points]).to(dtype, device).DetachFromDisposeScope();
        Analysis = tensor(analysis, [points, modes]).to(dtype, device).DetachFromDisposeScope();
    }

    /// <summary>W: samples.</summary>
    public int Points { get; }

    /// <summary>M: modes.</summary>
    public int Modes { get; }

    /// <summary>(M, W): modal amplitudes (…, M) @ Synthesis = the field (…, W).</summary>
    public Tensor Synthesis { get; }

    /// <summary>(W, M): the field (…, W) @ Analysis = its modal amplitudes (…, M).</summary>
    public Tensor Analysis { get; }

    /// <summary>Whether the pair fits inputs of <paramref name="points"/> samples in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public bool Fits(int points, ScalarType dtype, Device device) =>
        points == Points && Analysis.dtype == dtype && Analysis.device_type == device.type && Analysis.device_index == device.index;

    /// <summary>Frees both matrices.</summary>
    public void Dispose()
    {
        Synthesis.Dispose();
        Analysis.Dispose();
    }
}
