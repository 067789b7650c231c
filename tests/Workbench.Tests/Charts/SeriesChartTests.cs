using System.Text.Json;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Operators.Forecasting;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Charts;

public class SeriesChartTests
{
    [Fact]
    public void Create_FlaggedWithForecast_TracesInDocumentedOrder()
    {
        var rows = Observations();
        var data = SeriesChartData.FromFlagged(Flagged(rows), threshold: 5, scoreName: "zscore(window=10)") with { Forecast = Forecast(rows.Length) };

        var traces = Traces(SeriesChart.Create(data));

        Assert.Equal(
            ["host-1/latency", "prediction band (upper)", "prediction band", "forecast", "detections", "spike", "level_shift", "score", "threshold"],
            traces.Select(t => t.Name()).ToArray());
        Assert.All(traces, t => Assert.Equal("scatter", t.Str("type")));
        Assert.Equal("tonexty", traces[2].Str("fill"));
        Assert.Equal([null, null, 13, 13], traces[1].Numbers("y").Take(4).ToArray());
        Assert.Equal([null, null, 9, 9], traces[2].Numbers("y").Take(4).ToArray());
        Assert.Equal("y2", traces[7].Str("yaxis"));
        Assert.Equal("y2", traces[8].Str("yaxis"));
    }

    [Fact]
    public void Create_LabelledEvents_OneShapePerEventColouredByKindWithOneLegendEntryPerKind()
    {
        var chart = SeriesChart.Create(Observations());

        var shapes = Shapes(chart);
        var byColour = shapes.GroupBy(s => s.Str("fillcolor")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, shapes.Length);
        Assert.Equal(2, byColour[ColorScheme.WithOpacity(ColorScheme.Spike, ColorScheme.SpanOpacity)]);
        Assert.Equal(1, byColour[ColorScheme.WithOpacity(ColorScheme.LevelShift, ColorScheme.SpanOpacity)]);
        Assert.Equal(["spike", "level_shift", "spike"], shapes.Select(s => s.Str("name")).ToArray());
        Assert.All(shapes, s => Assert.Equal("rect", s.Str("type")));

        var legend = Traces(chart).Skip(1).ToArray();
        Assert.Equal(["spike", "level_shift"], legend.Select(t => t.Name()).ToArray());
        Assert.Equal(ColorScheme.WithOpacity(ColorScheme.LevelShift, 0.5), legend[1].GetProperty("marker").Str("color"));
    }

    [Fact]
    public void Create_SpanShading_WidenedByHalfTheSamplingStepOnEachSide()
    {
        var shapes = Shapes(SeriesChart.Create(Observations()));

        // Spike at row 3 (00:03), rows one minute apart: shaded 00:02:30–00:03:30; level shift rows 8–10: 00:07:30–00:10:30.
        Assert.Equal("2024-03-01 00:02:30", shapes[0].Str("x0"));
        Assert.Equal("2024-03-01 00:03:30", shapes[0].Str("x1"));
        Assert.Equal("2024-03-01 00:07:30", shapes[1].Str("x0"));
        Assert.Equal("2024-03-01 00:10:30", shapes[1].Str("x1"));
    }

    [Fact]
    public void Create_MissingValue_IsAGapNotInterpolated()
    {
        var value = Traces(SeriesChart.Create(Observations()))[0];

        Assert.Null(value.Numbers("y")[12]);
        Assert.False(value.GetProperty("connectgaps").GetBoolean());
        Assert.Equal(20, value.Strings("x").Length);
        Assert.Equal("2024-03-01 00:00:00", value.Strings("x")[0]);
    }

    [Fact]
    public void Create_Scores_PanelBelowSharingTheXAxisWithThresholdLine()
    {
        var chart = SeriesChart.Create(Flagged(Observations()), threshold: 5);
        var layout = Layout(chart);
        var traces = Traces(chart);

        Assert.Equal("y2", layout.GetProperty("xaxis").Str("anchor"));
        Assert.Equal([0.36, 1.0], layout.GetProperty("yaxis").Numbers("domain"));
        Assert.Equal([0.0, 0.28], layout.GetProperty("yaxis2").Numbers("domain"));
        Assert.All(traces.Where(t => t.TryGetProperty("xaxis", out _)), t => Assert.Equal("x", t.Str("xaxis")));
        var threshold = traces.Single(t => t.Name() == "threshold");
        Assert.Equal([5.0, 5.0], threshold.Numbers("y"));
        Assert.Equal(["2024-03-01 00:00:00", "2024-03-01 00:19:00"], threshold.Strings("x"));
        Assert.Equal("dash", threshold.GetProperty("line").Str("dash"));
        var detections = traces.Single(t => t.Name() == "detections");
        Assert.Equal(["2024-03-01 00:03:00", "2024-03-01 00:15:00"], detections.Strings("x"));
        Assert.Equal([40.0, 40.0], detections.Numbers("y"));
    }

    [Fact]
    public void Create_WithoutScores_NoScorePanel()
    {
        var chart = SeriesChart.Create(Observations());

        Assert.False(Layout(chart).TryGetProperty("yaxis2", out _));
        Assert.Equal("y", Layout(chart).GetProperty("xaxis").Str("anchor"));
        Assert.Equal(SeriesChart.Height, Layout(chart).GetProperty("height").GetInt32());
    }

    [Fact]
    public void Create_DetectionOnMissingValue_DrawnInTheMarkerRowNotDropped()
    {
        var rows = Observations();
        var data = SeriesChartData.FromObservations(rows) with { Detections = rows.Select(o => o.IsMissing || o.Value == 40).ToArray() };

        var traces = Traces(SeriesChart.Create(data));

        Assert.Equal(2, traces.Single(t => t.Name() == "detections").Strings("x").Length);
        var missing = traces.Single(t => t.Name() == "detections (missing value)");
        Assert.Equal(["2024-03-01 00:12:00"], missing.Strings("x"));
        Assert.Equal("y3", missing.Str("yaxis"));
        Assert.Equal("y", Layout(SeriesChart.Create(data)).GetProperty("yaxis3").Str("overlaying"));
    }

    [Fact]
    public void Create_ForecastWithoutIntervals_NoBandTraces()
    {
        var rows = Observations();
        var data = SeriesChartData.FromObservations(rows) with { Forecast = rows.Select(_ => ForecastPoint.Point(10)).ToArray() };

        var names = Traces(SeriesChart.Create(data)).Select(t => t.Name()).ToArray();

        Assert.Contains("forecast", names);
        Assert.DoesNotContain("prediction band", names);
    }

    [Fact]
    public void Create_PlainArrays_SameFigureAsFromObservations()
    {
        var rows = Observations();
        var fromRows = SeriesChart.Create(rows);
        var fromArrays = SeriesChart.Create(
            "host-1/latency", rows.Select(o => o.Timestamp).ToArray(), rows.Select(o => o.Value).ToArray(),
            [new AnomalySpan(At(3), At(3), AnomalyKind.Spike), new AnomalySpan(At(8), At(10), AnomalyKind.LevelShift), new AnomalySpan(At(15), At(15), AnomalyKind.Spike)]);

        Assert.Equal(Plotly.NET.GenericChart.toJson(fromRows), Plotly.NET.GenericChart.toJson(fromArrays));
    }

    [Fact]
    public void Create_DatasetText_IsHtmlEscapedInTheFigure()
    {
        var rows = Observations(Evil);

        var json = Plotly.NET.GenericChart.toJson(SeriesChart.Create(rows, title: Evil));

        Assert.DoesNotContain("<script", json, StringComparison.Ordinal);
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt;", Traces(SeriesChart.Create(rows))[0].Name());
    }

    [Fact]
    public void Create_BandWithOneEdge_ThrowsNamingSeriesAndRow()
    {
        var rows = Observations();
        var forecast = Forecast(rows.Length);
        forecast[7] = new ForecastPoint(11, 9, null);

        var e = Assert.Throws<ArgumentException>(() => SeriesChart.Create(SeriesChartData.FromObservations(rows) with { Forecast = forecast }));

        Assert.Contains("host-1/latency", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LowerAboveUpper_Throws()
    {
        var rows = Observations();
        var forecast = Forecast(rows.Length);
        forecast[4] = new ForecastPoint(11, 14, 13);

        var e = Assert.Throws<ArgumentException>(() => SeriesChart.Create(SeriesChartData.FromObservations(rows) with { Forecast = forecast }));

        Assert.Contains("row 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NaNValue_ThrowsNamingRowAndField()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SeriesChart.Create("s", [At(0), At(1)], [1, double.NaN]));

        Assert.Contains("Series 's', row 1: value is NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TimestampsBackwards_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => SeriesChart.Create("s", [At(1), At(0)], [1, 2]));

        Assert.Contains("row 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LocalTimestamp_Throws()
    {
        var local = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local);

        var e = Assert.Throws<ArgumentException>(() => SeriesChart.Create("s", [local], [1]));

        Assert.Contains("local time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LengthMismatchOrThresholdWithoutScores_Throws()
    {
        var rows = Observations();
        var data = SeriesChartData.FromObservations(rows);

        Assert.Throws<ArgumentException>(() => SeriesChart.Create(data with { Scores = new double?[3] }));
        Assert.Throws<ArgumentException>(() => SeriesChart.Create(data with { Threshold = 1 }));
        Assert.Throws<ArgumentException>(() => SeriesChart.Create("s", [At(0)], [1, 2]));
        Assert.Throws<ArgumentException>(() => SeriesChart.Create("s", [At(0), At(1)], [1, 2], [new AnomalySpan(At(1), At(0), null)]));
    }

    [Fact]
    public void FromObservations_TwoSeries_ThrowsNamingTheRow()
    {
        var rows = Observations().Concat(Observations("other")).ToArray();

        var e = Assert.Throws<ArgumentException>(() => SeriesChartData.FromObservations(rows));

        Assert.Contains("Row 20 belongs to series 'other'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SeriesChartData.FromObservations([]));
    }

    [Fact]
    public void FromLabels_EventIdsAndIdlessRuns_OneSpanPerEvent()
    {
        LabeledObservation Row(int i, AnomalyLabel label) => new("s", At(i), i, label);
        var rows = new[]
        {
            Row(0, AnomalyLabel.Anomaly(AnomalyKind.Drift, 7)),
            Row(1, AnomalyLabel.Normal),
            Row(2, AnomalyLabel.Anomaly(AnomalyKind.Drift, 7)),     // same event after a gap: one span 0–2
            Row(3, new AnomalyLabel(true, null, null)),
            Row(4, new AnomalyLabel(true, null, null)),              // id-less run of unknown kind 3–4
            Row(5, new AnomalyLabel(true, AnomalyKind.Missing, null)), // kind changes: new run
            Row(6, AnomalyLabel.Normal),
            Row(7, new AnomalyLabel(true, AnomalyKind.Missing, null)), // after a normal row: new run
        };

        var spans = AnomalySpan.FromLabels(rows);

        Assert.Equal(
            [
                new AnomalySpan(At(0), At(2), AnomalyKind.Drift),
                new AnomalySpan(At(3), At(4), null),
                new AnomalySpan(At(5), At(5), AnomalyKind.Missing),
                new AnomalySpan(At(7), At(7), AnomalyKind.Missing),
            ],
            spans);
        Assert.Equal(["drift", "anomaly (no kind)", "missing"],
            Traces(SeriesChart.Create(rows)).Skip(1).Select(t => t.Name()).ToArray());
    }

    [Fact]
    public void Create_SameInputTwice_IdenticalJson()
    {
        var a = Plotly.NET.GenericChart.toJson(SeriesChart.Create(Flagged(Observations()), 5));
        var b = Plotly.NET.GenericChart.toJson(SeriesChart.Create(Flagged(Observations()), 5));

        Assert.Equal(a, b);
        _ = JsonDocument.Parse(a);
    }
}
