using ScottPlot;
using ScottPlot.TickGenerators;

namespace PhysMod.Audio;

/// <summary>PNG plots of signals, spectrograms, space-time fields and loss curves, each written atomically.</summary>
/// <remarks>Text needs a system font (Debian: fonts-dejavu-core); without one ScottPlot draws no labels.</remarks>
public static class Plots
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 1000;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 400;

    /// <summary>Largest number of heatmap cells drawn along either axis; larger grids are merged in blocks.</summary>
    public const int MaxHeatmapCells = 2000;

    /// <summary>Dynamic range in dB shown by <see cref="Spectrogram"/>, below the loudest cell.</summary>
    public const double SpectrogramRangeDb = 90;

    /// <summary>Plots one signal against time in seconds.</summary>
    public static void Waveform(string path, ReadOnlySpan<double> signal, double sampleRate, string title,
        string yLabel = "amplitude", int width = DefaultWidth, int height = DefaultHeight) =>
        Waveform(path, [("", signal.ToArray())], sampleRate, title, yLabel, width, height);

    /// <summary>Overlays several named signals of one sample rate against time in seconds, with a legend.</summary>
    public static void Waveform(string path, IReadOnlyList<(string Name, double[] Values)> series, double sampleRate,
        string title, string yLabel = "amplitude", int width = DefaultWidth, int height = DefaultHeight)
    {
        PlotOutput.ValidateSize(width, height);
        PlotOutput.RequirePositive(sampleRate, nameof(sampleRate));
        if (series.Count == 0) throw new ArgumentException("series is empty; nothing to plot.", nameof(series));
        using var plot = new Plot();
        foreach ((string name, double[] values) in series)
        {
            PlotOutput.RequireFinite(values, string.IsNullOrEmpty(name) ? "signal" : name);
            var line = plot.Add.Signal(values, period: 1.0 / sampleRate);
            line.LegendText = name;
        }
        if (series.Any(s => !string.IsNullOrEmpty(s.Name))) plot.ShowLegend(Alignment.UpperRight);
        Label(plot, title, "time (s)", yLabel);
        PlotOutput.SavePng(plot, path, width, height);
    }

    /// <summary>Plots a Hann-window STFT magnitude in dB (time in s on x, frequency in Hz on y) with a colour bar.</summary>
    /// <remarks>The frequency axis ends at <c>maxFrequencyHz</c> (0 = Nyquist); colours span the loudest cell
    /// down to <see cref="SpectrogramRangeDb"/> below it.</remarks>
    public static void Spectrogram(string path, ReadOnlySpan<double> signal, double sampleRate, string title,
        int fftSize = 2048, int hop = 256, double maxFrequencyHz = 0, int width = DefaultWidth, int height = DefaultHeight)
    {
        PlotOutput.ValidateSize(width, height);
        PlotOutput.RequirePositive(sampleRate, nameof(sampleRate));
        PlotOutput.RequireFinite(signal, nameof(signal));
        double nyquist = sampleRate / 2;
        if (maxFrequencyHz == 0) maxFrequencyHz = nyquist;
        if (!double.IsFinite(maxFrequencyHz) || maxFrequencyHz < 0 || maxFrequencyHz > nyquist)
            throw new ArgumentException($"maxFrequencyHz {maxFrequencyHz} is outside 0..{nyquist} Hz (0 = Nyquist).", nameof(maxFrequencyHz));

        double[,] db = Stft.MagnitudeDb(signal, fftSize, hop); // (frames, bins)
        int frames = db.GetLength(0);
        double binHz = sampleRate / fftSize;
        int bins = Math.Min(db.GetLength(1), (int)Math.Ceiling(maxFrequencyHz / binHz) + 1);
        var grid = new double[bins, frames]; // (rows = frequency, top row = highest, columns = time)
        double loudest = double.NegativeInfinity;
        for (int k = 0; k < bins; k++)
            for (int f = 0; f < frames; f++)
            {
                grid[bins - 1 - k, f] = db[f, k];
                loudest = Math.Max(loudest, db[f, k]);
            }
        grid = PlotOutput.Reduce(grid, MaxHeatmapCells, MaxHeatmapCells, Math.Max);

        using var plot = new Plot();
        double frameSeconds = hop / sampleRate;
        double left = (fftSize / 2.0) / sampleRate - frameSeconds / 2; // cell f is centred on its frame's centre time
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Magma();
        heatmap.ManualRange = new ScottPlot.Range(loudest - SpectrogramRangeDb, loudest);
        heatmap.Extent = new CoordinateRect(left, left + frames * frameSeconds, -binHz / 2, (bins - 0.5) * binHz);
        plot.Add.ColorBar(heatmap).Label = "magnitude (dB)";
        plot.Axes.SetLimits(Math.Max(0, left), left + frames * frameSeconds, 0, maxFrequencyHz);
        Label(plot, title, "time (s)", "frequency (Hz)");
        PlotOutput.SavePng(plot, path, width, height);
    }

    /// <summary>Plots a field u(t, x) as a diverging heatmap: time in ms on x, position in m on y, colours ±max|u|.</summary>
    /// <remarks><c>field</c> is row-major, shape (frames, points); frame f spans [f, f+1]/frameRateHz and point i
    /// spans [i, i+1]·lengthMetres/points. If <c>markTimeSeconds</c> is set, a dashed vertical line labelled
    /// <c>markLabel</c> marks that time (e.g. the training horizon). Grids wider or taller than <see cref="MaxHeatmapCells"/> are merged in blocks keeping the
    /// value of largest magnitude, so oscillations keep their envelope instead of aliasing.</remarks>
    public static void SpaceTimeHeatmap(string path, float[] field, int frames, int points, double frameRateHz,
        double lengthMetres, string title, double? markTimeSeconds = null, string markLabel = "training horizon",
        string valueLabel = "", int width = DefaultWidth, int height = DefaultHeight)
    {
        PlotOutput.ValidateSize(width, height);
        PlotOutput.RequirePositive(frameRateHz, nameof(frameRateHz));
        PlotOutput.RequirePositive(lengthMetres, nameof(lengthMetres));
        if (frames < 1 || points < 1 || (long)frames * points != field.Length)
            throw new ArgumentException($"field has {field.Length} values but frames × points = {frames} × {points}; both must be >= 1 and match.", nameof(field));
        if (markTimeSeconds is double mark && (!double.IsFinite(mark) || mark < 0))
            throw new ArgumentException($"markTimeSeconds {mark} must be a finite value >= 0.", nameof(markTimeSeconds));

        var grid = new double[points, frames]; // (rows = position, top row = x = L, columns = time)
        double limit = 0;
        for (int f = 0; f < frames; f++)
            for (int i = 0; i < points; i++)
            {
                float value = field[f * points + i];
                if (!float.IsFinite(value))
                    throw new ArgumentException($"field[{f}, {i}] is {value}; plots need finite values.", nameof(field));
                grid[points - 1 - i, f] = value;
                limit = Math.Max(limit, Math.Abs(value));
            }
        if (limit == 0) limit = 1;
        grid = PlotOutput.Reduce(grid, MaxHeatmapCells, MaxHeatmapCells, PlotOutput.SignedMaxAbs);

        using var plot = new Plot();
        double endMs = 1000.0 * frames / frameRateHz;
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance(); // blue (negative), white (0), red (positive), like RdBu_r
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.Extent = new CoordinateRect(0, endMs, 0, lengthMetres);
        plot.Add.ColorBar(heatmap).Label = valueLabel;
        if (markTimeSeconds is double markSeconds)
        {
            var line = plot.Add.VerticalLine(1000.0 * markSeconds, 2, Colors.Black, LinePattern.Dashed);
            line.LegendText = markLabel;
            if (!string.IsNullOrEmpty(markLabel)) plot.ShowLegend(Alignment.UpperRight);
        }
        plot.Axes.SetLimits(0, endMs, 0, lengthMetres);
        Label(plot, title, "time (ms)", "position (m)");
        PlotOutput.SavePng(plot, path, width, height);
    }

    /// <summary>Plots named loss series against training step on a logarithmic y axis.</summary>
    /// <remarks>Points whose value is not finite and positive cannot be drawn on a log axis and are left out.</remarks>
    public static void LossCurves(string path, IReadOnlyList<(string Name, double[] Steps, double[] Values)> series,
        string title, string yLabel = "loss", int width = DefaultWidth, int height = DefaultHeight)
    {
        PlotOutput.ValidateSize(width, height);
        if (series.Count == 0) throw new ArgumentException("series is empty; nothing to plot.", nameof(series));
        using var plot = new Plot();
        foreach ((string name, double[] steps, double[] values) in series)
        {
            if (steps.Length != values.Length)
                throw new ArgumentException($"series '{name}' has {steps.Length} steps but {values.Length} values.", nameof(series));
            int[] kept = Enumerable.Range(0, values.Length).Where(i => double.IsFinite(values[i]) && values[i] > 0 && double.IsFinite(steps[i])).ToArray();
            if (kept.Length == 0) continue;
            var line = plot.Add.ScatterLine(kept.Select(i => steps[i]).ToArray(), kept.Select(i => Math.Log10(values[i])).ToArray());
            line.LegendText = name;
        }
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => $"1e{exponent:0}",
        };
        plot.ShowLegend(Alignment.UpperRight);
        Label(plot, title, "step", yLabel);
        PlotOutput.SavePng(plot, path, width, height);
    }

    /// <summary>Plots groups of complex eigenvalues in the plane with the unit circle (|λ| = 1: undamped) drawn for reference.</summary>
    public static void ComplexPlane(string path, IReadOnlyList<(string Name, double[] Real, double[] Imaginary)> groups, string title,
        int width = 700, int height = 700)
    {
        PlotOutput.ValidateSize(width, height);
        if (groups.Count == 0) throw new ArgumentException("groups is empty; nothing to plot.", nameof(groups));
        using var plot = new Plot();
        var circle = plot.Add.Circle(0, 0, 1);
        circle.LineColor = Colors.Gray;
        circle.LinePattern = LinePattern.Dashed;
        foreach ((string name, double[] re, double[] im) in groups)
        {
            if (re.Length != im.Length) throw new ArgumentException($"group '{name}' has {re.Length} real and {im.Length} imaginary parts.", nameof(groups));
            PlotOutput.RequireFinite(re, name);
            PlotOutput.RequireFinite(im, name);
            var points = plot.Add.ScatterPoints(re, im);
            points.LegendText = name;
        }
        plot.Axes.SquareUnits();
        plot.ShowLegend(Alignment.UpperRight);
        Label(plot, title, "Re λ", "Im λ");
        PlotOutput.SavePng(plot, path, width, height);
    }

    /// <summary>Plots named point sets (x, y), with an optional base-10 logarithmic y axis (non-positive y left out).</summary>
    public static void Scatter(string path, IReadOnlyList<(string Name, double[] X, double[] Y)> series, string title, string xLabel,
        string yLabel, bool logY = false, int width = DefaultWidth, int height = DefaultHeight)
    {
        PlotOutput.ValidateSize(width, height);
        if (series.Count == 0) throw new ArgumentException("series is empty; nothing to plot.", nameof(series));
        using var plot = new Plot();
        foreach ((string name, double[] x, double[] y) in series)
        {
            if (x.Length != y.Length) throw new ArgumentException($"series '{name}' has {x.Length} x and {y.Length} y values.", nameof(series));
            int[] kept = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i]) && (!logY || y[i] > 0)).ToArray();
            if (kept.Length == 0) continue;
            var points = plot.Add.ScatterPoints(kept.Select(i => x[i]).ToArray(), kept.Select(i => logY ? Math.Log10(y[i]) : y[i]).ToArray());
            points.LegendText = name;
        }
        if (logY)
            plot.Axes.Left.TickGenerator = new NumericAutomatic
            {
                MinorTickGenerator = new LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = exponent => $"1e{exponent:0}",
            };
        plot.ShowLegend(Alignment.UpperRight);
        Label(plot, title, xLabel, yLabel);
        PlotOutput.SavePng(plot, path, width, height);
    }

    /// <summary>Overlays named curves y(x), each with its own x values, with a legend and optional dashed vertical marks.</summary>
    /// <remarks>Points whose x or y is not finite are left out (a diverged model's curve simply stops); a series with no finite
    /// point is listed in the legend only if at least one other series is drawn. Marks are (x, label) pairs, e.g. a horizon.</remarks>
    public static void Curves(string path, IReadOnlyList<(string Name, double[] X, double[] Y)> series, string title,
        string xLabel, string yLabel, IReadOnlyList<(double X, string Label)>? marks = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        PlotOutput.ValidateSize(width, height);
        if (series.Count == 0) throw new ArgumentException("series is empty; nothing to plot.", nameof(series));
        using var plot = new Plot();
        int drawn = 0;
        foreach ((string name, double[] xs, double[] ys) in series)
        {
            if (xs.Length != ys.Length)
                throw new ArgumentException($"series '{name}' has {xs.Length} x values but {ys.Length} y values.", nameof(series));
            int[] kept = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(xs[i]) && double.IsFinite(ys[i])).ToArray();
            if (kept.Length == 0) continue;
            var line = plot.Add.ScatterLine(kept.Select(i => xs[i]).ToArray(), kept.Select(i => ys[i]).ToArray());
            line.LegendText = name;
            line.MarkerSize = 4;
            drawn++;
        }
        if (drawn == 0) throw new ArgumentException("no series has a finite point; nothing to plot.", nameof(series));
        var pattern = LinePattern.Dashed;
        foreach ((double x, string label) in marks ?? [])
        {
            if (!double.IsFinite(x)) throw new ArgumentException($"mark '{label}' at x = {x} must be finite.", nameof(marks));
            var line = plot.Add.VerticalLine(x, 2, Colors.Black, pattern);
            line.LegendText = label;
            pattern = LinePattern.Dotted;
        }
        plot.ShowLegend(Alignment.UpperLeft);
        Label(plot, title, xLabel, yLabel);
        PlotOutput.SavePng(plot, path, width, height);
    }

    private static void Label(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
    }
}
