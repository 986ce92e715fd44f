using PhysMod.Physics.IO;
using ScottPlot;

namespace PhysMod.Audio;

/// <summary>Shared checks, grid decimation and atomic PNG output for <see cref="Plots"/>.</summary>
internal static class PlotOutput
{
    public const int MinPixels = 64;
    public const int MaxPixels = 8000;

    public static void ValidateSize(int width, int height)
    {
        if (width < MinPixels || width > MaxPixels)
            throw new ArgumentException($"width {width} px is outside {MinPixels}..{MaxPixels}.", nameof(width));
        if (height < MinPixels || height > MaxPixels)
            throw new ArgumentException($"height {height} px is outside {MinPixels}..{MaxPixels}.", nameof(height));
    }

    public static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentException($"{name} {value} must be a finite value > 0.", name);
    }

    public static void RequireFinite(ReadOnlySpan<double> values, string name)
    {
        if (values.IsEmpty) throw new ArgumentException($"{name} is empty; nothing to plot.", name);
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; plots need finite values.", name);
    }

    /// <summary>Renders the plot to PNG bytes in memory, then writes them atomically.</summary>
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>Shrinks a (rows, columns) grid to at most the given size by merging blocks of cells with <paramref name="merge"/>.</summary>
    public static double[,] Reduce(double[,] grid, int maxRows, int maxColumns, Func<double, double, double> merge)
    {
        int rows = grid.GetLength(0), columns = grid.GetLength(1);
        int rowStep = (rows + maxRows - 1) / maxRows, columnStep = (columns + maxColumns - 1) / maxColumns;
        if (rowStep == 1 && columnStep == 1) return grid;
        int outRows = (rows + rowStep - 1) / rowStep, outColumns = (columns + columnStep - 1) / columnStep;
        var reduced = new double[outRows, outColumns];
        for (int r = 0; r < outRows; r++)
            for (int c = 0; c < outColumns; c++)
            {
                double value = grid[r * rowStep, c * columnStep];
                for (int i = r * rowStep; i < Math.Min(rows, (r + 1) * rowStep); i++)
                    for (int j = c * columnStep; j < Math.Min(columns, (c + 1) * columnStep); j++)
                        value = merge(value, grid[i, j]);
                reduced[r, c] = value;
            }
        return reduced;
    }

    /// <summary>Keeps whichever value has the larger magnitude, with its sign, so decimation keeps the amplitude envelope.</summary>
    public static double SignedMaxAbs(double a, double b) => Math.Abs(b) > Math.Abs(a) ? b : a;
}
