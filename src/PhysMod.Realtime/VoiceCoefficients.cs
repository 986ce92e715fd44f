using PhysMod.Physics.Modal;

namespace PhysMod.Realtime;

/// <summary>A <see cref="ModeTable"/> converted to the float32, SIMD-interleaved layout of <see cref="ModalVoice"/>, built
/// off the audio thread and swapped in whole at a block boundary.</summary>
/// <remarks>For the SIMD vector of modes starting at i (W = 16 lanes), coefficient j sits at i·K + j·W:
/// −e, −g, −2m, m, w, w(α − β − γ), wα, wβ (K = 8, the increment form of <see cref="ModeTable"/>); pad modes are all zero
/// and stay at rest.</remarks>
internal sealed class VoiceCoefficients
{
    public const int Lanes = 16, K = 8;

    public VoiceCoefficients(ModalSystem system, double sampleRate, Location pickup)
    {
        Table = new ModeTable(system, sampleRate, pickup);
        Padded = (Table.Modes + 2 * Lanes - 1) / (2 * Lanes) * (2 * Lanes);
        Interleaved = new float[Padded * K];
        ForceGain = new float[Padded];
        double[][] rows = [Table.Stiffness.Select(v => -v).ToArray(), Table.Loss.Select(v => -v).ToArray(), Table.Gain.Select(v => -2 * v).ToArray(),
            Table.Gain, Table.Pickup, Table.PickupDelta, Table.PickupAlpha, Table.PickupBeta];
        Rows = rows.Select(row => row.Select(v => (float)v).ToArray()).ToArray();
        for (int i = 0; i < Table.Modes; i++)
        {
            int vector = i / Lanes, lane = i % Lanes;
            for (int j = 0; j < K; j++) Interleaved[vector * Lanes * K + j * Lanes + lane] = Rows[j][i];
            ForceGain[i] = (float)Table.ForceGain[i];
        }
    }

    public ModeTable Table { get; }

    /// <summary>Modes rounded up to whole pairs of SIMD vectors.</summary>
    public int Padded { get; }

    /// <summary>The K coefficient rows (K, modes) in the order of the remarks, as floats (also the voice bank's source).</summary>
    public float[][] Rows { get; }

    /// <summary>(Padded / 16, 8, 16) floats, see remarks.</summary>
    public float[] Interleaved { get; }

    /// <summary>k b1 s per mode, padded (to form force weights with a force's mode shapes).</summary>
    public float[] ForceGain { get; }
}
