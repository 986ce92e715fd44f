namespace PhysMod.Learning.Comparison;

/// <summary>One row of the tutorial's qualitative comparison table (method, core idea, prior, time, advantage, challenge).</summary>
/// <param name="Method">The method's name as the table shows it.</param>
/// <param name="CoreIdea">What the method learns, in a few words.</param>
/// <param name="Prior">How much physics it assumes (weak, strong, …).</param>
/// <param name="Time">How it treats time (continuous, discrete, agnostic).</param>
/// <param name="Advantage">Its main advantage.</param>
/// <param name="Challenge">Its main challenge.</param>
/// <param name="Source">Where the row comes from: the tutorial's closing table, or PhysMod for methods the table lacks.</param>
/// <param name="Families">Command-line family names the row describes (empty for a method PhysMod does not train on the string).</param>
public sealed record FamilyProfile(
    string Method, string CoreIdea, string Prior, string Time, string Advantage, string Challenge, string Source,
    IReadOnlyList<string> Families);
