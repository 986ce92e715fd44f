using ScottPlot;
using ScottPlot.TickGenerators;

namespace PhysMod.Audio;

/// <summary>A PNG of several <see cref="PlotPanel"/>s stacked in rows, written atomically.</summary>
/// <remarks>Text needs a system font (Debian: fonts-dejavu-core); without one ScottPlot draws no labels.</remarks>
public static class PanelFigure
{
    /// <summary>Draws the panels top to bottom, each <paramref name="panelHeight"/> pixels tall.</summary>
    public static void Save(string path, IReadOnlyList<PlotPanel> panels, int width = Plots.DefaultWidth, int panelHeight = 350)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("no panels to draw.", nameof(panels));
        PlotOutput.ValidateSize(width, panelHeight * panels.Count);
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        for (int i = 0; i < panels.Count; i++) Draw(multiplot.GetPlot(i), panels[i]);
        using var image = multiplot.Render(width, panelHeight * panels.Count);
        byte[] png = image.GetImageBytes(ImageFormat.Png);
        Physics.IO.AtomicFile.Write(path, stream => stream.Write(png));
    }

    private static void Draw(Plot plot, PlotPanel panel)
    {
        bool legend = false;
        foreach (var s in panel.Series)
        {
            if (s.X.Length != s.Y.Length) throw new ArgumentException($"series '{s.Name}' has {s.X.Length} x values but {s.Y.Length} y values.", nameof(panel));
            int[] kept = Enumerable.Range(0, s.Y.Length)
                .Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!panel.LogY || s.Y[i] > 0)).ToArray();
            if (kept.Length == 0) continue;
            double[] x = kept.Select(i => s.X[i]).ToArray();
            double[] y = kept.Select(i => panel.LogY ? Math.Log10(s.Y[i]) : s.Y[i]).ToArray();
            var scatter = plot.Add.Scatter(x, y);
            switch (s.Style)
            {
                case PlotSeriesStyle.Markers:
                    scatter.LineWidth = 0;
                    scatter.MarkerSize = 7;
                    break;
                case PlotSeriesStyle.Dashed:
                    scatter.MarkerSize = 0;
                    scatter.LinePattern = LinePattern.Dashed;
                    scatter.LineWidth = 2;
                    break;
                default:
                    scatter.MarkerSize = 0;
                    scatter.LineWidth = 2;
                    break;
            }
            if (!string.IsNullOrEmpty(s.Name))
            {
                scatter.LegendText = s.Name;
                legend = true;
            }
        }
        foreach (double x in panel.VerticalLines ?? [])
            plot.Add.VerticalLine(x, 1.5f, Colors.Gray, LinePattern.Dotted);
        if (panel.LogY)
        {
            plot.Axes.Left.TickGenerator = new NumericAutomatic
            {
                MinorTickGenerator = new LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = exponent => $"1e{exponent:0}",
            };
        }
        if (legend) plot.ShowLegend(Alignment.UpperRight);
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
    }
}
