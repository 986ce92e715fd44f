namespace PhysMod.Learning.NeuralOde;

/// <summary>The Hann-windowed cosine burst that drives the hybrid string (see <see cref="HybridExperiment.CosineBurst"/>).</summary>
/// <param name="Centre">Centre sample.</param>
/// <param name="Length">Window length in samples.</param>
/// <param name="Frequency">Carrier (Hz).</param>
/// <param name="Amplitude">Peak amplitude.</param>
/// <param name="Frames">Samples of the force signal.</param>
public sealed record HybridBurst(int Centre, int Length, double Frequency, double Amplitude, int Frames);
