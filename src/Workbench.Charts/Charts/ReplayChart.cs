using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Workbench.Core;

namespace Workbench.Charts;

/// <summary>One series of the replay view, as plain aligned arrays.</summary>
/// <param name="Name">The series id.</param>
/// <param name="Timestamps">Timestamps (UTC or unspecified, never local), non-decreasing.</param>
/// <param name="Values">Values, one per timestamp; null = missing (a gap). Finite.</param>
public sealed record SeriesTrack(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double?> Values)
{
    /// <summary>The labelled anomalies to shade in this series' panel. Default: none.</summary>
    public IReadOnlyList<AnomalySpan> Anomalies { get; init; } = [];
}

/// <summary>
/// The replay view: several series stacked in panels one above the other, sharing one time axis (zooming one zooms
/// all), each with its labelled anomaly spans shaded by kind. Returns the figure; never displays it.
/// </summary>
/// <remarks>
/// Traces: one value line per series (panel i uses y axis i+1, from the top), then one legend swatch per anomaly kind
/// present. Layout: one rectangle per span, drawn in its series' panel only.
/// </remarks>
public static class ReplayChart
{
    /// <summary>Height in pixels of one series' panel.</summary>
    public const int PanelHeight = 150;

    /// <summary>The view of <paramref name="tracks"/>, top to bottom in list order.</summary>
    /// <exception cref="ArgumentException">No track, lengths differ, timestamps go backwards or are local, or a value is
    /// NaN/infinite (messages name the series and row).</exception>
    public static GenericChart Create(IReadOnlyList<SeriesTrack> tracks, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count == 0)
        {
            throw new ArgumentException("No series to show.", nameof(tracks));
        }

        var n = tracks.Count;
        const double gap = 0.03;
        var panel = (1.0 - (gap * (n - 1))) / n;
        var traces = new List<Trace>();
        var shapes = new List<Shape>();
        var kinds = new List<AnomalyKind?>();
        var layout = Fig.Layout(title, 90 + (PanelHeight * n));
        for (var k = 0; k < n; k++)
        {
            var track = tracks[k] ?? throw new ArgumentException($"Track {k} is null.", nameof(tracks));
            ArgumentNullException.ThrowIfNull(track.Name);
            ArgumentNullException.ThrowIfNull(track.Timestamps);
            ArgumentNullException.ThrowIfNull(track.Values);
            ArgumentNullException.ThrowIfNull(track.Anomalies);
            Fig.CheckLength(track.Values, track.Timestamps.Count, track.Name, nameof(track.Values));
            var axis = k == 0 ? "y" : "y" + (k + 1).ToString(CultureInfo.InvariantCulture);
            var x = SeriesPanel.XValues(track.Name, track.Timestamps, out var timestamps);
            traces.Add(SeriesPanel.ValueTrace(track.Name, x, track.Values, ColorScheme.ForIndex(k), axis, showLegend: true));
            SeriesPanel.AddSpanShapes(track.Name, timestamps, track.Anomalies, axis + " domain", shapes, kinds);

            var top = 1.0 - (k * (panel + gap));
            layout.With(k == 0 ? "yaxis" : "yaxis" + (k + 1).ToString(CultureInfo.InvariantCulture),
                new LinearAxis()
                    .With("domain", new[] { Math.Max(0, top - panel), top })
                    .With("anchor", "x")
                    .With("title", new Title().With("text", Fig.Text(track.Name)).With("font", new Font().With("size", 10))));
        }

        traces.AddRange(SeriesPanel.KindLegend(kinds));
        var bottomAxis = n == 1 ? "y" : "y" + n.ToString(CultureInfo.InvariantCulture);
        layout.With("xaxis", new LinearAxis().With("type", "date").With("anchor", bottomAxis).With("title", Fig.Title("time (UTC)")))
              .With("shapes", shapes);
        return Fig.Chart(traces, layout);
    }

    /// <summary>
    /// The view of a replayed stream: observations grouped by series in order of first appearance (each series' rows in
    /// stream order), spans from the labels (<see cref="AnomalySpan.FromLabels"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No observation, or as for the track overload.</exception>
    public static GenericChart Create(IReadOnlyList<LabeledObservation> observations, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var order = new List<string>();
        var bySeries = new Dictionary<string, List<LabeledObservation>>(StringComparer.Ordinal);
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (!bySeries.TryGetValue(o.Series, out var list))
            {
                list = [];
                bySeries.Add(o.Series, list);
                order.Add(o.Series);
            }

            list.Add(o);
        }

        var tracks = new SeriesTrack[order.Count];
        for (var k = 0; k < tracks.Length; k++)
        {
            var rows = bySeries[order[k]];
            var t = new DateTime[rows.Count];
            var v = new double?[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                t[i] = rows[i].Timestamp;
                v[i] = rows[i].Value;
            }

            tracks[k] = new SeriesTrack(order[k], t, v) { Anomalies = AnomalySpan.FromLabels(rows) };
        }

        return Create(tracks, title);
    }
}
