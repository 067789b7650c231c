using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Workbench.Core;
using Workbench.Operators.Detection;

namespace Workbench.Charts;

/// <summary>
/// The chart of one series over time: the values (gaps where missing), labelled anomaly spans shaded by kind (one
/// legend entry per kind), detections as markers, an optional forecast line with its prediction band, and an optional
/// score panel below (shared x axis) with the threshold line. Returns the figure; never displays it.
/// </summary>
/// <remarks>
/// Traces, in order: the values; if a forecast is given, the band's upper and lower edges (only when some row has an
/// interval; the lower edge fills up to the upper) and the forecast line; if detections are given, the detection markers,
/// plus a "detections (missing value)" marker row at the bottom of the value panel when a flagged row has no value; one
/// legend swatch per anomaly kind present; if scores are given, the score line and, with a threshold, the threshold line.
/// Each anomaly span is one layout rectangle spanning the whole figure height.
/// </remarks>
public static class SeriesChart
{
    /// <summary>Height in pixels without a score panel.</summary>
    public const int Height = 420;

    /// <summary>Height in pixels with a score panel.</summary>
    public const int HeightWithScores = 560;

    /// <summary>The chart of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">A list's length differs from the timestamps', timestamps go backwards or are
    /// local, a value, forecast or score is NaN/infinite, a band has one edge only or lower &gt; upper, a span ends before
    /// it starts, or a threshold is given without scores. Messages name the series, row and field.</exception>
    public static GenericChart Create(SeriesChartData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.SeriesName);
        ArgumentNullException.ThrowIfNull(data.Timestamps);
        ArgumentNullException.ThrowIfNull(data.Values);
        ArgumentNullException.ThrowIfNull(data.Anomalies);
        var name = data.SeriesName;
        var n = data.Timestamps.Count;
        Fig.CheckLength(data.Values, n, name, nameof(data.Values));
        Fig.CheckLength(data.Detections, n, name, nameof(data.Detections));
        Fig.CheckLength(data.Forecast, n, name, nameof(data.Forecast));
        Fig.CheckLength(data.Scores, n, name, nameof(data.Scores));
        if (data.Threshold.HasValue && data.Scores is null)
        {
            throw new ArgumentException($"Series '{name}': a threshold needs scores to be drawn against.", nameof(data));
        }

        Fig.Finite(data.Threshold, name, 0, "threshold");

        var x = SeriesPanel.XValues(name, data.Timestamps, out var timestamps);
        var traces = new List<Trace> { SeriesPanel.ValueTrace(name, x, data.Values, ColorScheme.SeriesLine, "y", showLegend: true) };
        var hasScores = data.Scores is not null;
        var layout = Fig.Layout(data.Title ?? name, hasScores ? HeightWithScores : Height);

        if (data.Forecast is { } forecast)
        {
            AddForecast(name, x, forecast, traces);
        }

        var needsRug = false;
        if (data.Detections is { } detections)
        {
            needsRug = AddDetections(x, data.Values, detections, traces);
        }

        var shapes = new List<Shape>();
        var kinds = new List<AnomalyKind?>();
        SeriesPanel.AddSpanShapes(name, timestamps, data.Anomalies, "paper", shapes, kinds);
        traces.AddRange(SeriesPanel.KindLegend(kinds));

        var xAxis = new LinearAxis().With("type", "date").With("anchor", hasScores ? "y2" : "y").With("title", Fig.Title("time (UTC)"));
        var yAxis = new LinearAxis().With("title", Fig.Title("value")).With("anchor", "x");
        if (hasScores)
        {
            yAxis.With("domain", new[] { 0.36, 1.0 });
            var scores = new double?[n];
            for (var i = 0; i < n; i++) { scores[i] = Fig.Finite(data.Scores![i], name, i, "score"); }

            traces.Add(Fig.Scatter("score", "lines")
                .With("x", x).With("y", scores).With("connectgaps", false)
                .With("line", Fig.Line(ColorScheme.Score, 1.2)).With("xaxis", "x").With("yaxis", "y2"));
            if (data.Threshold is double threshold && n > 0)
            {
                traces.Add(Fig.Scatter("threshold", "lines")
                    .With("x", new[] { x[0], x[n - 1] }).With("y", new[] { threshold, threshold })
                    .With("line", Fig.Line(ColorScheme.Threshold, 1.2, "dash")).With("xaxis", "x").With("yaxis", "y2"));
            }

            layout.With("yaxis2", new LinearAxis().With("domain", new[] { 0.0, 0.28 }).With("anchor", "x").With("title", Fig.Title(data.ScoreName)));
        }

        if (needsRug)
        {
            layout.With("yaxis3", new LinearAxis().With("overlaying", "y").With("range", new[] { 0.0, 1.0 }).With("visible", false).With("fixedrange", true));
        }

        layout.With("xaxis", xAxis).With("yaxis", yAxis).With("shapes", shapes);
        return Fig.Chart(traces, layout);
    }

    /// <summary>The values and labelled anomaly spans of one series' observations.</summary>
    /// <exception cref="ArgumentException">See <see cref="SeriesChartData.FromObservations"/> and <see cref="Create(SeriesChartData)"/>.</exception>
    public static GenericChart Create(IReadOnlyList<LabeledObservation> observations, string? title = null) =>
        Create(SeriesChartData.FromObservations(observations) with { Title = title });

    /// <summary>One series' detector output: values, spans, detection markers, the score panel and the threshold line.</summary>
    /// <exception cref="ArgumentException">See <see cref="SeriesChartData.FromFlagged"/> and <see cref="Create(SeriesChartData)"/>.</exception>
    public static GenericChart Create(IReadOnlyList<FlaggedObservation> flagged, double? threshold, string? title = null) =>
        Create(SeriesChartData.FromFlagged(flagged, threshold) with { Title = title });

    /// <summary>Plain arrays: one series' values with optional shaded anomaly spans.</summary>
    /// <exception cref="ArgumentException">See <see cref="Create(SeriesChartData)"/>.</exception>
    public static GenericChart Create(string seriesName, DateTime[] timestamps, double?[] values, IReadOnlyList<AnomalySpan>? anomalies = null, string? title = null) =>
        Create(new SeriesChartData { SeriesName = seriesName, Timestamps = timestamps, Values = values, Anomalies = anomalies ?? [], Title = title });

    private static void AddForecast(string name, string[] x, IReadOnlyList<Operators.Forecasting.ForecastPoint> forecast, List<Trace> traces)
    {
        var n = x.Length;
        var value = new double?[n];
        var lower = new double?[n];
        var upper = new double?[n];
        var hasBand = false;
        for (var i = 0; i < n; i++)
        {
            var f = forecast[i];
            value[i] = Fig.Finite(f.Value, name, i, "forecast value");
            lower[i] = Fig.Finite(f.Lower, name, i, "forecast lower bound");
            upper[i] = Fig.Finite(f.Upper, name, i, "forecast upper bound");
            if (lower[i].HasValue != upper[i].HasValue)
            {
                throw new ArgumentException($"Series '{name}', row {i}: the forecast band has only one edge (lower {lower[i]?.ToString() ?? "null"}, upper {upper[i]?.ToString() ?? "null"}).", nameof(forecast));
            }

            if (lower[i] > upper[i])
            {
                throw new ArgumentException($"Series '{name}', row {i}: forecast lower bound {lower[i]} is above the upper bound {upper[i]}.", nameof(forecast));
            }

            hasBand |= lower[i].HasValue;
        }

        if (hasBand)
        {
            var band = ColorScheme.WithOpacity(ColorScheme.Forecast, ColorScheme.BandOpacity);
            traces.Add(Fig.Scatter("prediction band (upper)", "lines")
                .With("x", x).With("y", upper).With("connectgaps", false)
                .With("line", Fig.Line(band, 0)).With("legendgroup", "band").With("showlegend", false).With("hoverinfo", "x+y+name"));
            traces.Add(Fig.Scatter("prediction band", "lines")
                .With("x", x).With("y", lower).With("connectgaps", false)
                .With("fill", "tonexty").With("fillcolor", band)
                .With("line", Fig.Line(band, 0)).With("legendgroup", "band"));
        }

        traces.Add(Fig.Scatter("forecast", "lines")
            .With("x", x).With("y", value).With("connectgaps", false)
            .With("line", Fig.Line(ColorScheme.Forecast, 1.5, "dot")));
    }

    /// <returns>Whether some flagged row has no value (then the marker row at the panel's bottom is drawn).</returns>
    private static bool AddDetections(string[] x, IReadOnlyList<double?> values, IReadOnlyList<bool> flags, List<Trace> traces)
    {
        var dx = new List<string>();
        var dy = new List<double>();
        var missingX = new List<string>();
        for (var i = 0; i < x.Length; i++)
        {
            if (!flags[i]) { continue; }
            if (values[i] is double v)
            {
                dx.Add(x[i]);
                dy.Add(v);
            }
            else
            {
                missingX.Add(x[i]);
            }
        }

        traces.Add(Fig.Scatter("detections", "markers")
            .With("x", dx).With("y", dy)
            .With("marker", Fig.Marker(ColorScheme.Detection, 8, "x"))
            .With("xaxis", "x").With("yaxis", "y"));
        if (missingX.Count == 0) { return false; }

        var rugY = new double[missingX.Count];
        Array.Fill(rugY, 0.03);
        traces.Add(Fig.Scatter("detections (missing value)", "markers")
            .With("x", missingX).With("y", rugY)
            .With("marker", Fig.Marker(ColorScheme.Detection, 9, "triangle-up"))
            .With("xaxis", "x").With("yaxis", "y3").With("hoverinfo", "x+name"));
        return true;
    }
}
