namespace PhysMod.Audio;

/// <summary>One panel of a <see cref="PanelFigure"/>: titled axes with series, an optional log-10 y axis and vertical marker lines.</summary>
/// <param name="Title">Panel title.</param>
/// <param name="XLabel">x-axis label.</param>
/// <param name="YLabel">y-axis label.</param>
/// <param name="Series">The series drawn.</param>
/// <param name="LogY">Draw log10(y) with 1eN tick labels (values that are not finite and positive are left out).</param>
/// <param name="VerticalLines">x positions of dashed vertical lines (e.g. the end of the training data).</param>
public sealed record PlotPanel(string Title, string XLabel, string YLabel, IReadOnlyList<PlotSeries> Series, bool LogY = false,
    IReadOnlyList<double>? VerticalLines = null);
