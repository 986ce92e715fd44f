namespace PhysMod.Learning.Inspection;

/// <summary>One eigenvalue of a trained model read as a damped sinusoid, as <c>physmod inspect</c> lists it.</summary>
/// <param name="Group">Part of the model ("latent", "first layer", "layer 1", "operator").</param>
/// <param name="Index">Index within the group (the one <c>--edit</c> takes).</param>
/// <param name="FrequencyHz">|arg λ|·fs/(2π), aliased into [0, fs/2].</param>
/// <param name="DecayTimeSeconds">1/e decay time −1/(ln|λ|·fs); +∞ for |λ| ≥ 1.</param>
/// <param name="Modulus">|λ| per frame.</param>
/// <param name="Argument">Principal argument of λ per frame, radians.</param>
/// <param name="Amplitude">Root-mean-square |z₀| of this mode over the test initial states (Koopman latents), or null
/// when the model has no such reading: a guide to which eigenvalues are actually heard.</param>
public sealed record EigenvalueRow(string Group, int Index, double FrequencyHz, double DecayTimeSeconds, double Modulus, double Argument,
    double? Amplitude);
