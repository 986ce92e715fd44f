namespace PhysMod.Learning.Evaluation;

/// <summary>Every metric at one horizon: frames 0..K−1 of each test trajectory's rollout from its frame 0.</summary>
/// <param name="Frames">The horizon K in frames.</param>
/// <param name="Multiple">K divided by the training horizon.</param>
/// <param name="Seconds">K / fs.</param>
/// <param name="Field">Field errors by key: displacement (m), velocity (m/s), normalised_all_channels (every channel divided by its
/// normalisation scale, so each channel weighs alike: the units of the training loss).</param>
/// <param name="PickupLsd">Log-spectral distance of the model's signal at the pickup grid point against the dataset field at the same
/// point over the same frames, by channel (displacement, velocity).</param>
public sealed record HorizonMetrics(
    int Frames, int Multiple, double Seconds,
    IReadOnlyDictionary<string, ChannelErrors> Field,
    IReadOnlyDictionary<string, SpectralError> PickupLsd);
