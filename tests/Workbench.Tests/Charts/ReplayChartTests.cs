using Workbench.Charts;
using Workbench.Core;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Charts;

public class ReplayChartTests
{
    private static LabeledObservation[] Interleaved()
    {
        var a = Observations("a");
        var b = Observations("b").Select(o => o with { Label = AnomalyLabel.Normal }).ToArray();
        var c = Observations("c").Select(o => o.Timestamp == At(5) ? o with { Label = AnomalyLabel.Anomaly(AnomalyKind.Drift, 1) } : o with { Label = AnomalyLabel.Normal }).ToArray();
        return [.. Enumerable.Range(0, 20).SelectMany(i => new[] { a[i], b[i], c[i] })];
    }

    [Fact]
    public void Create_InterleavedStream_OnePanelPerSeriesInFirstSeenOrder_SharedTimeAxis()
    {
        var chart = ReplayChart.Create(Interleaved(), "replay");

        var traces = Traces(chart);
        var layout = Layout(chart);
        Assert.Equal(["a", "b", "c", "spike", "level_shift", "drift"], traces.Select(t => t.Name()).ToArray());
        Assert.Equal(["y", "y2", "y3"], traces.Take(3).Select(t => t.Str("yaxis")).ToArray());
        Assert.All(traces.Take(3), t => Assert.Equal("x", t.Str("xaxis")));
        Assert.All(traces.Take(3), t => Assert.Equal(20, t.Numbers("y").Length));
        Assert.Equal("y3", layout.GetProperty("xaxis").Str("anchor"));
        var top = layout.GetProperty("yaxis").Numbers("domain");
        var bottom = layout.GetProperty("yaxis3").Numbers("domain");
        Assert.Equal(1.0, top[1]);
        Assert.Equal(0.0, bottom[0]!.Value, 12);
        Assert.True(top[0] > layout.GetProperty("yaxis2").Numbers("domain")[1], "panels do not overlap");
        Assert.Equal(90 + (3 * ReplayChart.PanelHeight), layout.GetProperty("height").GetInt32());
    }

    [Fact]
    public void Create_SpansDrawnInTheirOwnPanel()
    {
        var shapes = Shapes(ReplayChart.Create(Interleaved()));

        Assert.Equal(["y domain", "y domain", "y domain", "y3 domain"], shapes.Select(s => s.Str("yref")).ToArray());
        Assert.Equal(ColorScheme.WithOpacity(ColorScheme.Drift, ColorScheme.SpanOpacity), shapes[3].Str("fillcolor"));
    }

    [Fact]
    public void Create_Tracks_PlainArrays()
    {
        var t = new[] { At(0), At(1), At(2) };
        var chart = ReplayChart.Create([new SeriesTrack("p", t, [1, null, 3]), new SeriesTrack("q", t, [2, 2, 2]) { Anomalies = [new AnomalySpan(At(1), At(2), AnomalyKind.Seasonal)] }]);

        Assert.Equal(["p", "q", "seasonal"], Traces(chart).Select(x => x.Name()).ToArray());
        Assert.Equal("y2 domain", Assert.Single(Shapes(chart)).Str("yref"));
    }

    [Fact]
    public void Create_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReplayChart.Create(Array.Empty<LabeledObservation>()));
        var e = Assert.Throws<ArgumentException>(() => ReplayChart.Create([new SeriesTrack("p", [At(1), At(0)], [1, 2])]));
        Assert.Contains("Series 'p', row 1", e.Message, StringComparison.Ordinal);
    }
}
