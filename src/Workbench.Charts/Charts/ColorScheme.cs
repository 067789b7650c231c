using System.Globalization;
using Workbench.Core;

namespace Workbench.Charts;

/// <summary>
/// The fixed colours of every Workbench figure, so that one anomaly kind has the same colour in every chart and report.
/// Colours are CSS hex strings (<c>#rrggbb</c>); shaded spans use them at <see cref="SpanOpacity"/>.
/// </summary>
/// <remarks>
/// The well-known kinds have fixed colours (see docs/CHARTS.md). Any other kind name (a dataset written elsewhere) gets
/// one of <see cref="ExtraKindPalette"/> chosen by a stable FNV-1a hash of its name, so it is the same on every run
/// and machine (never <see cref="string.GetHashCode()"/>, which is randomised per process).
/// </remarks>
public static class ColorScheme
{
    /// <summary>Spikes: red.</summary>
    public const string Spike = "#d62728";

    /// <summary>Level shifts: orange.</summary>
    public const string LevelShift = "#ff7f0e";

    /// <summary>Drifts: purple.</summary>
    public const string Drift = "#9467bd";

    /// <summary>Missing-value gaps: grey.</summary>
    public const string Missing = "#7f7f7f";

    /// <summary>Seasonal changes: green.</summary>
    public const string Seasonal = "#2ca02c";

    /// <summary>NAB's human-labelled windows: pink.</summary>
    public const string LabelledWindow = "#e377c2";

    /// <summary>Anomalous points whose kind is not recorded (null kind): brown.</summary>
    public const string UnknownKind = "#8c564b";

    /// <summary>The observed values of a series: blue.</summary>
    public const string SeriesLine = "#1f77b4";

    /// <summary>The point forecast line and, at <see cref="BandOpacity"/>, its prediction band: teal.</summary>
    public const string Forecast = "#17becf";

    /// <summary>Detection markers (flagged points): black.</summary>
    public const string Detection = "#000000";

    /// <summary>The anomaly score line: dark grey.</summary>
    public const string Score = "#444444";

    /// <summary>The threshold line on the score panel: dark red.</summary>
    public const string Threshold = "#8b0000";

    /// <summary>Opacity of a shaded anomaly span, in [0, 1].</summary>
    public const double SpanOpacity = 0.2;

    /// <summary>Opacity of a forecast's prediction band, in [0, 1].</summary>
    public const double BandOpacity = 0.25;

    /// <summary>Colours for kinds outside the well-known set, picked by a stable hash of the kind name.</summary>
    public static IReadOnlyList<string> ExtraKindPalette { get; } = ["#bcbd22", "#17a589", "#a05195", "#d4a017", "#5d6d7e", "#c0392b"];

    /// <summary>Colours for several detectors or series on one chart, used in order (index modulo the count).</summary>
    public static IReadOnlyList<string> LinePalette { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The colour of an anomaly kind; <see cref="UnknownKind"/> for null.</summary>
    public static string ForKind(AnomalyKind? kind)
    {
        if (kind is null) { return UnknownKind; }
        if (kind == AnomalyKind.Spike) { return Spike; }
        if (kind == AnomalyKind.LevelShift) { return LevelShift; }
        if (kind == AnomalyKind.Drift) { return Drift; }
        if (kind == AnomalyKind.Missing) { return Missing; }
        if (kind == AnomalyKind.Seasonal) { return Seasonal; }
        if (kind == AnomalyKind.LabelledWindow) { return LabelledWindow; }
        var hash = 2166136261u;
        foreach (var c in kind.Name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return ExtraKindPalette[(int)(hash % (uint)ExtraKindPalette.Count)];
    }

    /// <summary>The <paramref name="index"/>-th colour of <see cref="LinePalette"/> (wrapping around).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static string ForIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return LinePalette[index % LinePalette.Count];
    }

    /// <summary>A <c>#rrggbb</c> colour with an opacity, as a CSS <c>rgba(r,g,b,a)</c> string.</summary>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not <c>#rrggbb</c>, or the opacity is outside [0, 1].</exception>
    public static string WithOpacity(string hex, double opacity)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 7 || hex[0] != '#'
            || !int.TryParse(hex.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
        {
            throw new ArgumentException($"Colour '{hex}' is not of the form #rrggbb.", nameof(hex));
        }

        if (!(opacity >= 0 && opacity <= 1))
        {
            throw new ArgumentException($"Opacity {opacity} is outside [0, 1].", nameof(opacity));
        }

        return string.Create(CultureInfo.InvariantCulture, $"rgba({(rgb >> 16) & 0xff},{(rgb >> 8) & 0xff},{rgb & 0xff},{opacity:0.###})");
    }

    /// <summary>The legend label of an anomaly kind: its name, or <c>anomaly (no kind)</c> for null.</summary>
    public static string KindLabel(AnomalyKind? kind) => kind?.Name ?? "anomaly (no kind)";
}
