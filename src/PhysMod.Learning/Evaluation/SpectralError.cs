namespace PhysMod.Learning.Evaluation;

/// <summary>Log-spectral distance of a pickup signal, averaged over test trajectories.</summary>
/// <param name="LsdDb">Mean over trajectories of each trajectory's LSD (dB; see <see cref="LogSpectralDistance"/>).</param>
/// <param name="LsdDbStd">Population standard deviation of the per-trajectory LSD (dB).</param>
/// <param name="FftSize">STFT size used (samples).</param>
/// <param name="Hop">STFT hop (samples).</param>
/// <param name="Samples">Samples per signal.</param>
/// <param name="Compared">What was compared with what.</param>
public sealed record SpectralError(double LsdDb, double LsdDbStd, int FftSize, int Hop, int Samples, string Compared);
