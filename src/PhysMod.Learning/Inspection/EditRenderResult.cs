namespace PhysMod.Learning.Inspection;

/// <summary>What <see cref="EigenvalueEditRender.Render"/> wrote and the peaks of the two signals (m, before normalisation).</summary>
public sealed record EditRenderResult(IReadOnlyList<string> Files, double OriginalPeak, double EditedPeak, double Seconds);
