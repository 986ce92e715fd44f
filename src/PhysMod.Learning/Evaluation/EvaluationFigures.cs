using PhysMod.Physics.IO;
using ScottPlot;

namespace PhysMod.Learning.Evaluation;

/// <summary>The evaluation's PNG figures: the tutorial's prediction / ground truth / relative difference triptych and the
/// relative-MAE-per-block curve, both with the training horizon marked.</summary>
/// <remarks>These need colour limits and colour maps that <see cref="PhysMod.Audio.Plots.SpaceTimeHeatmap"/> does not take
/// (prediction drawn with the ground truth's limits, difference on viridis 0..1), so they are drawn here with ScottPlot.</remarks>
internal static class EvaluationFigures
{
    private const int Width = 1000, PanelHeight = 340;

    /// <summary>Three stacked heatmaps of channel 0 (time in ms on x, position in m on y): prediction and ground truth with the
    /// ground truth's ±max|gt| limits (RdBu_r-like), and |pred − gt| / (max gt − min gt) on viridis over [0, 1]; prediction and
    /// truth are (frames, points) row-major.</summary>
    public static void Triptych(string path, float[] prediction, float[] truth, int frames, int points, double frameRateHz,
        double lengthMetres, double horizonSeconds, string title, string unit)
    {
        double limit = 0, low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (float v in truth)
        {
            limit = Math.Max(limit, Math.Abs(v));
            low = Math.Min(low, v); high = Math.Max(high, v);
        }
        if (limit == 0) limit = 1;
        double range = high > low ? high - low : 1;
        var difference = new float[truth.Length];
        for (int i = 0; i < truth.Length; i++)
            difference[i] = float.IsFinite(prediction[i]) ? (float)(Math.Abs(prediction[i] - truth[i]) / range) : 1f;

        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        var panels = new (string Name, float[] Field, IColormap Colormap, double Low, double High, string Label)[]
        {
            ($"{title}: prediction", prediction, new ScottPlot.Colormaps.Balance(), -limit, limit, unit),
            ("ground truth", truth, new ScottPlot.Colormaps.Balance(), -limit, limit, unit),
            ("relative absolute difference |pred − gt| / range(gt)", difference, new ScottPlot.Colormaps.Viridis(), 0, 1, "relative"),
        };
        double endMs = 1000.0 * frames / frameRateHz;
        for (int p = 0; p < panels.Length; p++)
        {
            var plot = multiplot.GetPlot(p);
            var (name, field, colormap, lowLimit, highLimit, label) = panels[p];
            var grid = new double[points, frames]; // rows = position (top row = x = L), columns = time
            for (int f = 0; f < frames; f++)
                for (int i = 0; i < points; i++)
                {
                    float v = field[f * points + i];
                    grid[points - 1 - i, f] = float.IsFinite(v) ? v : 0;
                }
            var heatmap = plot.Add.Heatmap(grid);
            heatmap.Colormap = colormap;
            heatmap.ManualRange = new ScottPlot.Range(lowLimit, highLimit);
            heatmap.Extent = new CoordinateRect(0, endMs, 0, lengthMetres);
            plot.Add.ColorBar(heatmap).Label = label;
            var line = plot.Add.VerticalLine(1000.0 * horizonSeconds, 2, Colors.Black, LinePattern.Dashed);
            line.LegendText = "training horizon";
            plot.ShowLegend(Alignment.UpperRight);
            plot.Axes.SetLimits(0, endMs, 0, lengthMetres);
            plot.Layout.Fixed(new PixelPadding(80, 130, 50, 40)); // same data area in every panel, so the time axes line up
            plot.Title(name);
            plot.XLabel("time (ms)");
            plot.YLabel("position (m)");
        }
        Save(path, multiplot.Render(Width, 3 * PanelHeight));
    }

    /// <summary>Relative MAE per block against block-centre time (ms), one line per key, with the training horizon marked.</summary>
    public static void BlockCurve(string path, BlockErrorCurve curve, double horizonSeconds, string title)
    {
        using var plot = new Plot();
        double[] xs = curve.CentreSeconds.Select(s => 1000 * s).ToArray();
        foreach (var (name, values) in curve.RelativeMae)
        {
            int[] kept = Enumerable.Range(0, values.Count).Where(i => double.IsFinite(values[i])).ToArray();
            if (kept.Length == 0) continue;
            var line = plot.Add.ScatterLine(kept.Select(i => xs[i]).ToArray(), kept.Select(i => values[i]).ToArray());
            line.LegendText = name;
            line.MarkerSize = 4;
        }
        var horizon = plot.Add.VerticalLine(1000.0 * horizonSeconds, 2, Colors.Black, LinePattern.Dashed);
        horizon.LegendText = "training horizon";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Bottom.Min = 0;
        plot.Title(title);
        plot.XLabel($"time (ms), blocks of {curve.BlockFrames} frames");
        plot.YLabel("relative MAE  Σ|pred − gt| / Σ|gt|");
        Save(path, plot.GetImage(Width, 450));
    }

    private static void Save(string path, Image image)
    {
        using (image)
        {
            byte[] png = image.GetImageBytes(ImageFormat.Png);
            AtomicFile.Write(path, stream => stream.Write(png));
        }
    }
}
