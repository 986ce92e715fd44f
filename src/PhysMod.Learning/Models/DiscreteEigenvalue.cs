namespace PhysMod.Learning.Models;

/// <summary>One eigenvalue λ = exp(LogModulus + i·Phase) of a model's per-frame linear dynamics (Koopman latent, LRU layer, DMD
/// operator), with its reading as a damped sinusoid.</summary>
/// <remarks>
/// One latent frame is one dataset frame, so with the dataset's frame rate fs (its <c>fs</c>, in Hz):
/// <code>
///   frequency (Hz)   = arg(lambda) · fs / (2 pi)
///   decay time (s)   = −1 / (ln|lambda| · fs)        (time for the amplitude to fall by 1/e)
/// </code>
/// <see cref="Phase"/> is the model's unwrapped angle per frame e^θ; <see cref="Argument"/> is its principal value in (−π, π],
/// which is what is heard (a phase above π aliases). Every complex latent pairs with its conjugate through the real
/// decoder, so a frequency is reported as a positive number.
/// </remarks>
/// <param name="Index">Position j of the eigenvalue in its group (Koopman: latent coordinates j (re) and j + d_latent/2 (im)).</param>
/// <param name="LogModulus">ln|λ| (≤ 0 for a decaying mode), after clipping if the model clips.</param>
/// <param name="Phase">Argument per frame in radians (for LRU-style models the unwrapped e^θ).</param>
/// <param name="Group">Which part of the model it belongs to ("latent", "first layer", "layer 1", "operator", …).</param>
public sealed record DiscreteEigenvalue(int Index, double LogModulus, double Phase, string Group = "latent")
{
    /// <summary>|λ|.</summary>
    public double Modulus => Math.Exp(LogModulus);

    /// <summary>Re λ.</summary>
    public double Real => Modulus * Math.Cos(Phase);

    /// <summary>Im λ.</summary>
    public double Imaginary => Modulus * Math.Sin(Phase);

    /// <summary>Principal argument of λ in (−π, π], radians per frame.</summary>
    public double Argument => Math.Atan2(Imaginary, Real);

    /// <summary>Frequency in Hz for frames at <paramref name="frameRate"/> Hz: |arg λ|·fs/(2π).</summary>
    public double FrequencyHz(double frameRate) => Math.Abs(Argument) * frameRate / (2 * Math.PI);

    /// <summary>1/e decay time in seconds for frames at <paramref name="frameRate"/> Hz: −1/(ln|λ|·fs); infinity when |λ| ≥ 1.</summary>
    public double DecayTimeSeconds(double frameRate) => LogModulus < 0 ? -1 / (LogModulus * frameRate) : double.PositiveInfinity;
}
