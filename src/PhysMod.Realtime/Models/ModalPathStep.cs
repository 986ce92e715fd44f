using System.Numerics.Tensors;

namespace PhysMod.Realtime.Models;

/// <summary>The fitted values of an energy-modulated modal path (PhysMod.Learning's <c>ModalEnergyPath</c>), float32.</summary>
public sealed record ModalPathWeights
{
    /// <summary>M: sine modes.</summary>
    public required int Modes { get; init; }

    /// <summary>R0 (M, C, C) [mode, out, in], row-major.</summary>
    public required float[] StepLinear { get; init; }

    /// <summary>R1 (M, C, C) [mode, out, in], row-major.</summary>
    public required float[] StepEnergy { get; init; }

    /// <summary>a (C, M), row-major.</summary>
    public required float[] EnergyWeights { get; init; }

    /// <summary>σ: the factor of the network's output added to the path.</summary>
    public required float CorrectionScale { get; init; }
}

/// <summary>One step of the energy-modulated modal path on a channel-major frame, allocation-free (the real-time twin of
/// <c>ModalEnergyPath.forward</c>).</summary>
/// <remarks>
/// <code>
///   V_{c,m} = 2/(W − 1) Σ_t v_c[t] sin(m π t/(W − 1))         e = Σ_{c,m} a_{c,m} V_{c,m}²
///   V'_{o,m} = Σ_i (R0_{m,o,i} + e R1_{m,o,i}) V_{i,m}        y_o[t] = Σ_m V'_{o,m} sin(m π t/(W − 1))
/// </code>
/// Modes whose R0, R1 and energy weights are all zero (no energy in the training data: the fit zeroes all three) are
/// skipped: they contribute nothing. Cost per frame
/// ≈ 2·W·C multiply-adds per kept mode (<see cref="MultiplyAdds"/>).
/// </remarks>
public sealed class ModalPathStep
{
    private readonly int _w, _c, _points;
    private readonly int[] _kept;                      // indices of modes with a non-zero map or energy weight
    private readonly float[] _analysis, _synthesis;    // (kept, W) rows: 2/(W − 1)·sin and sin
    private readonly float[] _linear, _energyMap, _weights;
    private readonly float[] _modal, _stepped;         // (C, kept)

    /// <summary>Builds the step for frames of <paramref name="gridPoints"/> points and <paramref name="channels"/> channels
    /// stored channel-major with row stride <paramref name="points"/> (≥ W).</summary>
    public ModalPathStep(ModalPathWeights weights, int gridPoints, int channels, int points)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int m = weights.Modes;
        if (m < 1 || m > gridPoints - 2) throw new InvalidDataException($"modal path: {m} modes on a grid of {gridPoints} points (allowed 1 … {gridPoints - 2})");
        if (weights.StepLinear.Length != m * channels * channels || weights.StepEnergy.Length != m * channels * channels || weights.EnergyWeights.Length != channels * m)
            throw new InvalidDataException($"modal path: maps must hold {m}·{channels}·{channels} values and the energy weights {channels}·{m}");
        _w = gridPoints;
        _c = channels;
        _points = points;
        CorrectionScale = weights.CorrectionScale;
        int square = channels * channels;
        // a mode counts when it is stepped or feeds the energy (e sums over every mode, as in torch)
        _kept = Enumerable.Range(0, m).Where(k =>
            weights.StepLinear.AsSpan(k * square, square).ContainsAnyExcept(0f) || weights.StepEnergy.AsSpan(k * square, square).ContainsAnyExcept(0f)
            || Enumerable.Range(0, channels).Any(c => weights.EnergyWeights[c * m + k] != 0f)).ToArray();
        int kept = _kept.Length;
        _analysis = new float[kept * gridPoints];
        _synthesis = new float[kept * gridPoints];
        _linear = new float[kept * square];
        _energyMap = new float[kept * square];
        _weights = new float[channels * kept];
        long period = 2L * (gridPoints - 1);
        for (int j = 0; j < kept; j++)
        {
            int mode = _kept[j];
            for (int t = 0; t < gridPoints; t++)
            {
                double value = Math.Sin(Math.PI * ((long)(mode + 1) * t % period) / (gridPoints - 1));
                _synthesis[j * gridPoints + t] = (float)value;
                _analysis[j * gridPoints + t] = (float)(2.0 * value / (gridPoints - 1));
            }
            weights.StepLinear.AsSpan(mode * square, square).CopyTo(_linear.AsSpan(j * square));
            weights.StepEnergy.AsSpan(mode * square, square).CopyTo(_energyMap.AsSpan(j * square));
            for (int c = 0; c < channels; c++) _weights[c * kept + j] = weights.EnergyWeights[c * m + mode];
        }
        _modal = new float[channels * kept];
        _stepped = new float[channels * kept];
        MultiplyAdds = 2L * kept * gridPoints * channels + 3L * kept * square;
    }

    /// <summary>σ: the factor of the network's output added to the path.</summary>
    public float CorrectionScale { get; }

    /// <summary>Modes with a non-zero map or energy weight.</summary>
    public int KeptModes => _kept.Length;

    /// <summary>Float32 multiply-adds per frame.</summary>
    public long MultiplyAdds { get; }

    /// <summary>y = path(v) for channel-major frames (C rows of stride <c>points</c>; only the first W values of a row are read
    /// and written).</summary>
    public void Apply(ReadOnlySpan<float> frame, Span<float> output)
    {
        int kept = _kept.Length, square = _c * _c;
        float energy = 0;
        for (int c = 0; c < _c; c++)
        {
            var row = frame.Slice(c * _points, _w);
            for (int j = 0; j < kept; j++)
            {
                float amplitude = TensorPrimitives.Dot(row, _analysis.AsSpan(j * _w, _w));
                _modal[c * kept + j] = amplitude;
                energy += _weights[c * kept + j] * amplitude * amplitude;
            }
        }
        for (int j = 0; j < kept; j++)
            for (int o = 0; o < _c; o++)
            {
                float sum = 0;
                for (int i = 0; i < _c; i++)
                    sum += (_linear[j * square + o * _c + i] + energy * _energyMap[j * square + o * _c + i]) * _modal[i * kept + j];
                _stepped[o * kept + j] = sum;
            }
        for (int o = 0; o < _c; o++)
        {
            var row = output.Slice(o * _points, _w);
            row.Clear();
            for (int j = 0; j < kept; j++) TensorPrimitives.MultiplyAdd(_synthesis.AsSpan(j * _w, _w), _stepped[o * kept + j], row, row);
        }
    }
}
