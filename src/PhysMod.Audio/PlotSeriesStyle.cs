namespace PhysMod.Audio;

/// <summary>How a series is drawn in a <see cref="PlotPanel"/>.</summary>
public enum PlotSeriesStyle
{
    /// <summary>A solid line.</summary>
    Line,

    /// <summary>A dashed line.</summary>
    Dashed,

    /// <summary>Markers only.</summary>
    Markers,
}
