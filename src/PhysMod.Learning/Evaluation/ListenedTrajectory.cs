namespace PhysMod.Learning.Evaluation;

/// <summary>One test trajectory rolled out for listening, with its audio files and pickup-signal errors.</summary>
/// <param name="TestIndex">Index within the test split (the XX of the file names).</param>
/// <param name="DatasetIndex">Index in the dataset file.</param>
/// <param name="Audio">Written WAV files relative to the eval folder, by key: gt and model (velocity, what a magnetic pickup
/// hears), gt_displacement and model_displacement.</param>
/// <param name="LsdDb">LSD (dB) of the model's pickup signal against the dataset's <c>pickup</c> tensor, by channel.</param>
/// <param name="RelativeL2">‖model − gt‖₂ / ‖gt‖₂ of the pickup signal, by channel.</param>
/// <param name="PeakGt">max |gt| of the pickup signal before peak normalisation (m or m/s), by channel.</param>
/// <param name="PeakModel">max |model| of the pickup signal before peak normalisation, by channel.</param>
/// <param name="DivergedAtFrame">First frame with a non-finite model value (written as silence from there on), or null.</param>
public sealed record ListenedTrajectory(
    int TestIndex, int DatasetIndex,
    IReadOnlyDictionary<string, string> Audio,
    IReadOnlyDictionary<string, double> LsdDb,
    IReadOnlyDictionary<string, double> RelativeL2,
    IReadOnlyDictionary<string, double> PeakGt,
    IReadOnlyDictionary<string, double> PeakModel,
    int? DivergedAtFrame);
