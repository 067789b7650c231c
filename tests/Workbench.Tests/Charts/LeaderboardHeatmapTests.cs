using Workbench.Charts;
using Workbench.Core;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Charts;

public class LeaderboardHeatmapTests
{
    private static readonly double?[,] Values = { { 0.9, null, 0.25 }, { 0.1, 1.0, 0.0 } };

    [Fact]
    public void Create_KindsAsColumns_OneHeatmapTraceWithNullsAndFixedScale()
    {
        var chart = LeaderboardHeatmap.Create(["zscore", "cusum"], [AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.Drift], Values, "event recall");

        var trace = Assert.Single(Traces(chart));
        Assert.Equal("heatmap", trace.Str("type"));
        Assert.Equal(["spike", "level_shift", "drift"], trace.Strings("x"));
        Assert.Equal(["zscore", "cusum"], trace.Strings("y"));
        var z = trace.GetProperty("z").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray()).ToArray();
        Assert.Equal([0.9, null, 0.25], z[0]);
        Assert.Equal([0.1, 1.0, 0.0], z[1]);
        Assert.Equal(0, trace.GetProperty("zmin").GetDouble());
        Assert.Equal(1, trace.GetProperty("zmax").GetDouble());
        Assert.Equal("reversed", Layout(chart).GetProperty("yaxis").Str("autorange"));
        var scale = trace.GetProperty("colorscale").EnumerateArray().ToArray();
        Assert.Equal("#f7fbff", scale[0][1].GetString()); // 0 is light, 1 is dark: white annotations go on high values
        Assert.Equal("#08306b", scale[^1][1].GetString());
    }

    [Fact]
    public void Create_AnnotatesEveryCell_NullAsNotAvailable_DarkCellsInWhite()
    {
        var annotations = Layout(LeaderboardHeatmap.Create(["a", "b"], ["x", "y", "z"], Values, "recall"))
            .GetProperty("annotations").EnumerateArray().ToArray();

        Assert.Equal(6, annotations.Length);
        Assert.Equal(["0.90", "n/a", "0.25", "0.10", "1.00", "0.00"], annotations.Select(a => a.Str("text")).ToArray());
        Assert.Equal("#ffffff", annotations[0].GetProperty("font").Str("color"));
        Assert.Equal("#000000", annotations[2].GetProperty("font").Str("color"));
        Assert.Equal(["x", "y", "z", "x", "y", "z"], annotations.Select(a => a.Str("x")).ToArray());
        Assert.Equal(["a", "a", "a", "b", "b", "b"], annotations.Select(a => a.Str("y")).ToArray());
    }

    [Fact]
    public void Create_ValueFormat_UsedForAnnotations()
    {
        var annotations = Layout(LeaderboardHeatmap.Create(["a"], ["x"], new double?[,] { { 0.12345 } }, "f1", valueFormat: "0.0%"))
            .GetProperty("annotations").EnumerateArray().ToArray();

        Assert.Equal("12.3%", annotations[0].Str("text"));
    }

    [Fact]
    public void Create_OutOfRangeOrNaN_ThrowsNamingTheCell()
    {
        var e = Assert.Throws<ArgumentException>(() => LeaderboardHeatmap.Create(["a", "b"], ["x"], new double?[,] { { 0.5 }, { 1.5 } }, "f1"));
        Assert.Contains("row 'b', column 'x'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LeaderboardHeatmap.Create(["a"], ["x"], new double?[,] { { double.NaN } }, "f1"));
        Assert.Throws<ArgumentException>(() => LeaderboardHeatmap.Create(["a"], ["x"], new double?[,] { { -0.01 } }, "f1"));
    }

    [Fact]
    public void Create_SizeMismatchOrDuplicateLabel_Throws()
    {
        Assert.Throws<ArgumentException>(() => LeaderboardHeatmap.Create(["a"], ["x", "y"], new double?[,] { { 0.5 } }, "f1"));
        var e = Assert.Throws<ArgumentException>(() => LeaderboardHeatmap.Create(["a", "a"], ["x"], new double?[,] { { 0.5 }, { 0.5 } }, "f1"));
        Assert.Contains("repeats", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LabelsAreHtmlEscaped()
    {
        var json = Plotly.NET.GenericChart.toJson(LeaderboardHeatmap.Create([Evil], [Evil + "!"], new double?[,] { { 0.5 } }, Evil, Evil));

        Assert.DoesNotContain("<script", json, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", json, StringComparison.Ordinal);
    }
}
