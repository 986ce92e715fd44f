namespace PhysMod.Learning.Evaluation;

/// <summary>Relative MAE per block of frames over the longest horizon (the ICML25 plate paper's view of error growth).</summary>
/// <param name="BlockFrames">Frames per block (the last block may be shorter).</param>
/// <param name="FirstFrames">First frame of each block.</param>
/// <param name="CentreSeconds">Centre time of each block, (first + count/2) / fs.</param>
/// <param name="RelativeMae">By key (displacement, velocity, normalised_all_channels): Σ|pred − gt| / Σ|gt| over the block's frames,
/// every grid point and every test trajectory.</param>
public sealed record BlockErrorCurve(
    int BlockFrames, IReadOnlyList<int> FirstFrames, IReadOnlyList<double> CentreSeconds,
    IReadOnlyDictionary<string, IReadOnlyList<double>> RelativeMae);
