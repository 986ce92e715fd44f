namespace PhysMod.Learning.Evaluation;

/// <summary>The long listening rollout: its length, how it was run, and the per-trajectory audio and pickup errors.</summary>
/// <param name="Frames">Frames rolled out (samples of each WAV file).</param>
/// <param name="Seconds">Frames / fs.</param>
/// <param name="Mode">"single rollout" or "restarted every K frames from the last prediction".</param>
/// <param name="FftSize">STFT size of its LSD.</param>
/// <param name="Hop">STFT hop of its LSD.</param>
/// <param name="Trajectories">Every trajectory rendered.</param>
/// <param name="LsdDbMean">Mean LSD (dB) over <paramref name="Trajectories"/>, by channel.</param>
/// <param name="RolloutSeconds">Wall-clock time of the model calls.</param>
public sealed record ListeningResult(
    int Frames, double Seconds, string Mode, int FftSize, int Hop,
    IReadOnlyList<ListenedTrajectory> Trajectories,
    IReadOnlyDictionary<string, double> LsdDbMean,
    double RolloutSeconds);
