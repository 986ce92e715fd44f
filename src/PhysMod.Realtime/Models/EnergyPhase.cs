namespace PhysMod.Realtime.Models;

/// <summary>The energy_phase map of a trained model: how much each eigenvalue's argument grows with the initial state's
/// energies (a tension-modulated string sounds higher the harder it is excited).</summary>
/// <remarks>
/// With z_0 = re + i im (n coordinates) and A (n, n): e_i = re_i² + im_i², scale_j = 1 + Σ_i A_ji e_i, and the model advances
/// coordinate j by exp(ℓ_j + i φ_j scale_j) (see <see cref="DiagonalPowers.Start(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{double})"/>).
/// Computed in float64 once per excitation; no allocation.
/// </remarks>
public sealed class EnergyPhase
{
    private readonly float[] _map;      // A, row-major (n, n)
    private readonly double[] _energy, _scale;

    /// <summary>Wraps A (n·n values, row j = output coordinate).</summary>
    public EnergyPhase(float[] map, int count)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (count < 1 || map.Length != (long)count * count) throw new InvalidDataException($"energy-phase map has {map.Length} values, not {count}·{count}");
        _map = map;
        Count = count;
        _energy = new double[count];
        _scale = new double[count];
    }

    /// <summary>n.</summary>
    public int Count { get; }

    /// <summary>scale_j = 1 + Σ_i A_ji (re_i² + im_i²) for the initial state (re, im); valid until the next call.</summary>
    public ReadOnlySpan<double> Scale(ReadOnlySpan<float> re, ReadOnlySpan<float> im)
    {
        int n = Count;
        for (int i = 0; i < n; i++) _energy[i] = (double)re[i] * re[i] + (double)im[i] * im[i];
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            var row = _map.AsSpan(j * n, n);
            for (int i = 0; i < n; i++) sum += row[i] * _energy[i];
            _scale[j] = 1 + sum;
        }
        return _scale;
    }
}
