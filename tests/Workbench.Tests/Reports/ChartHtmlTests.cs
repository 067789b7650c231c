using System.Text.RegularExpressions;
using Workbench.Charts;
using Workbench.Reports;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Reports;

public class ChartHtmlTests
{
    [Fact]
    public void ToStandaloneHtml_IsOffline_PlotlyEmbeddedAndNoExternalReference()
    {
        var html = ChartHtml.ToStandaloneHtml(SeriesChart.Create(Observations()), "chart");

        Assert.Equal(1, Count(html, ChartHtml.PlotlyJs));
        Assert.DoesNotMatch(new Regex("<script[^>]*\\ssrc\\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("<link[^>]*href", RegexOptions.IgnoreCase), html);
        // The only URLs left are inside plotly.js itself (e.g. its topojson default, unused by these charts): none outside it.
        var outside = html.Replace(ChartHtml.PlotlyJs, string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.", outside, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", outside, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", outside, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("require", outside, StringComparison.Ordinal);
    }

    [Fact]
    public void PlotlyJs_IsTheVersionShippedInPlotlyNet()
    {
        Assert.StartsWith("/**\n* plotly.js v" + ChartHtml.PlotlyJsVersion, ChartHtml.PlotlyJs.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(ChartHtml.PlotlyJs.Length > 3_000_000);
        Assert.Equal("<script type=\"text/javascript\">" + ChartHtml.PlotlyJs + "</script>", ChartHtml.PlotlyScriptTag());
    }

    [Fact]
    public void ToStandaloneHtml_SameChartTwice_ByteIdentical()
    {
        var a = ChartHtml.ToStandaloneHtml(SeriesChart.Create(Flagged(Observations()), 5), "t");
        var b = ChartHtml.ToStandaloneHtml(SeriesChart.Create(Flagged(Observations()), 5), "t");

        Assert.Equal(a, b);
        Assert.Contains("<div id=\"wb-chart-1\"", a, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStandaloneHtml_HostileSeriesNameAndTitle_NeverMarkup()
    {
        var html = ChartHtml.ToStandaloneHtml(SeriesChart.Create(Observations(Evil), title: "</script>" + Evil), Evil);
        var outside = html.Replace(ChartHtml.PlotlyJs, string.Empty, StringComparison.Ordinal);

        Assert.DoesNotContain("alert(1)</script>", outside, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", outside, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>", outside, StringComparison.Ordinal);
        // Two script elements (plotly.js and the chart), and exactly two closing tags: nothing breaks out.
        Assert.Equal(2, Count(outside, "<script"));
        Assert.Equal(2, Count(outside, "</script"));
        Assert.Contains("\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;", outside, StringComparison.Ordinal);
    }

    [Fact]
    public void ToFigureJson_EscapesScriptBreakingCharacters_ValueUnchangedOnceParsed()
    {
        var chart = SeriesChart.Create("a</script>&\u2028b", [At(0)], [1]);

        var json = ChartHtml.ToFigureJson(chart);

        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.DoesNotContain(">", json, StringComparison.Ordinal);
        Assert.DoesNotContain("&", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2028", json, StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("a&lt;/script&gt;&amp;\u2028b", doc.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void ToFragment_DivAndScriptWithoutPlotly_IdFromContent()
    {
        var chart = SeriesChart.Create(Observations());

        var fragment = ChartHtml.ToFragment(chart);

        Assert.Matches("^<div id=\"wb-[0-9a-f]{16}\" class=\"workbench-chart\"></div>\n<script", fragment);
        Assert.Equal(fragment, ChartHtml.ToFragment(SeriesChart.Create(Observations())));
        Assert.NotEqual(fragment, ChartHtml.ToFragment(SeriesChart.Create(Observations("other"))));
        Assert.DoesNotContain(ChartHtml.PlotlyJs[..200], fragment, StringComparison.Ordinal);
        Assert.Contains("plotly.js is not loaded", fragment, StringComparison.Ordinal);
        Assert.StartsWith("<div id=\"cell-3_a\"", ChartHtml.ToFragment(chart, "cell-3_a"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ChartHtml.ToFragment(chart, "x\" onload=\"alert(1)"));
        Assert.Throws<ArgumentException>(() => ChartHtml.ToFragment(chart, ""));
    }

    [Fact]
    public void Write_CreatesFolderAndWritesUtf8WithoutBom()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wb-charthtml-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "nested", "chart.html");
            var chart = SeriesChart.Create(Observations());

            ChartHtml.Write(chart, path);

            var bytes = File.ReadAllBytes(path);
            Assert.NotEqual(0xEF, bytes[0]);
            Assert.Equal(ChartHtml.ToStandaloneHtml(chart, "chart"), System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            if (Directory.Exists(dir)) { Directory.Delete(dir, recursive: true); }
        }
    }

    internal static int Count(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) { n++; }
        return n;
    }
}
