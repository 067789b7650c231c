using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;

namespace Workbench.Charts;

/// <summary>A line of a <see cref="TimelineChart"/>: one value per timestamp.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Timestamps">UTC timestamps, ascending.</param>
/// <param name="Values">Values (NaN = gap).</param>
/// <param name="Dashed">Draw dashed (a benchmark, a baseline, a threshold).</param>
public sealed record TimelineLine(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values, bool Dashed = false);

/// <summary>Markers of a <see cref="TimelineChart"/> (alerts, detections).</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Timestamps">Where.</param>
/// <param name="Values">At which height.</param>
/// <param name="Symbol">Plotly marker symbol.</param>
public sealed record TimelineMarkers(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values, string Symbol = "x");

/// <summary>
/// Generic time charts for pipelines: lines over time with markers and shaded spans (labelled events), and a bar chart
/// of named figures. Deterministic JSON like every Workbench figure.
/// </summary>
public static class TimelineChart
{
    /// <summary>Lines, markers and shaded spans on one time axis.</summary>
    public static GenericChart Create(string title, IReadOnlyList<TimelineLine> lines, IReadOnlyList<TimelineMarkers>? markers = null,
        IReadOnlyList<(DateTime Start, DateTime End)>? spans = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var traces = new List<Trace>();
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            Fig.CheckLength(l.Values, l.Timestamps.Count, l.Name, nameof(l.Values));
            traces.Add(Fig.Scatter(l.Name, "lines")
                .With("x", l.Timestamps.Select(Format).ToArray())
                .With("y", l.Values.Select(v => double.IsFinite(v) ? (double?)v : null).ToArray())
                .With("line", Fig.Line(ColorScheme.ForIndex(i), 1.3, l.Dashed ? "dash" : null)));
        }

        foreach (var m in markers ?? [])
        {
            Fig.CheckLength(m.Values, m.Timestamps.Count, m.Name, nameof(m.Values));
            traces.Add(Fig.Scatter(m.Name, "markers")
                .With("x", m.Timestamps.Select(Format).ToArray())
                .With("y", m.Values.ToArray())
                .With("marker", Fig.Marker("#d62728", 9, m.Symbol)));
        }

        var shapes = (spans ?? []).Select(s => new Shape()
            .With("type", "rect").With("xref", "x").With("yref", "y domain")
            .With("x0", Format(s.Start)).With("x1", Format(s.End)).With("y0", 0).With("y1", 1)
            .With("fillcolor", "rgba(255,127,14,0.18)").With("line", new DynamicObj.DynamicObj().With("width", 0))).ToArray();
        var layout = Fig.Layout(title, 380)
            .With("xaxis", new LinearAxis().With("type", "date").With("title", Fig.Title("time (UTC)")))
            .With("shapes", shapes);
        if (yTitle is not null)
        {
            layout.With("yaxis", new LinearAxis().With("title", Fig.Title(yTitle)));
        }

        return Fig.Chart(traces, layout);
    }

    /// <summary>A bar per (label, value).</summary>
    public static GenericChart Bars(string title, IReadOnlyList<(string Label, double Value)> bars, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var trace = new Trace2D("bar")
            .With("x", bars.Select(b => Fig.Text(b.Label)).ToArray())
            .With("y", bars.Select(b => b.Value).ToArray())
            .With("marker", new Marker().With("color", ColorScheme.ForIndex(0)));
        var layout = Fig.Layout(title, 340);
        if (yTitle is not null)
        {
            layout.With("yaxis", new LinearAxis().With("title", Fig.Title(yTitle)));
        }

        return Fig.Chart([trace], layout);
    }

    private static string Format(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
