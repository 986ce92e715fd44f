namespace PhysMod.Audio;

/// <summary>One named (x, y) series of a <see cref="PlotPanel"/>.</summary>
/// <param name="Name">Legend text (empty: no legend entry).</param>
/// <param name="X">Abscissae. Shape: (points).</param>
/// <param name="Y">Ordinates. Shape: (points).</param>
/// <param name="Style">Line, dashed line or markers.</param>
public sealed record PlotSeries(string Name, double[] X, double[] Y, PlotSeriesStyle Style = PlotSeriesStyle.Line);
