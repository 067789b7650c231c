using Workbench.Reports;
using static Workbench.Tests.Reports.ChartHtmlTests;
using static Workbench.Tests.Reports.ReportTestData;

namespace Workbench.Tests.Reports;

public class HtmlReportTests
{
    [Fact]
    public void ToHtml_FiveCharts_PlotlyEmbeddedOnce_DivIdsInOrder()
    {
        var html = Report().ToHtml();

        Assert.Equal(1, Count(html, ChartHtml.PlotlyJs));
        Assert.Equal(1, Count(html, "plotly.js v" + ChartHtml.PlotlyJsVersion));
        for (var i = 1; i <= 5; i++) { Assert.Equal(1, Count(html, $"<div id=\"wb-chart-{i}\"")); }
        Assert.Equal(5, Count(html.Replace(ChartHtml.PlotlyJs, string.Empty, StringComparison.Ordinal), "Plotly.newPlot("));
    }

    [Fact]
    public void ToHtml_SameReportTwice_ByteIdentical()
    {
        Assert.Equal(Report().ToHtml(), Report().ToHtml());
    }

    [Fact]
    public void ToHtml_HostileTextEverywhere_EscapedNeverMarkup()
    {
        var html = Report().ToHtml();
        var outside = html.Replace(ChartHtml.PlotlyJs, string.Empty, StringComparison.Ordinal);

        Assert.DoesNotContain("<script>alert", outside, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)</script>", outside, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(2)</script>", outside, StringComparison.Ordinal);
        // plotly.js plus one script per chart; every '</script' closes one of them.
        Assert.Equal(6, Count(outside, "<script"));
        Assert.Equal(6, Count(outside, "</script"));
        Assert.Contains("<title>Evaluation of &lt;script&gt;alert(1)&lt;/script&gt;</title>", outside, StringComparison.Ordinal);
        Assert.Contains("<p>Dataset: &lt;script&gt;alert(1)&lt;/script&gt;</p>", outside, StringComparison.Ordinal);
        Assert.Contains("<td>zscore(window=10,name=&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;)</td>", outside, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"wb-pre\">zscore(window=10,name=&lt;/script&gt;", outside, StringComparison.Ordinal);
        Assert.Contains("<figcaption>series of &lt;script&gt;", outside, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_MarkedColumns_CssClassHeaderMarkAndLegend()
    {
        var html = Report().ToHtml();

        Assert.Contains("<th class=\"oracle\">best F1<sup>‡</sup></th>", html, StringComparison.Ordinal);
        Assert.Contains("<th class=\"optimistic\">PA-F1<sup>†</sup></th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num oracle\">0.750</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num optimistic na\">–</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">0.500</td>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"wb-marks\"><span class=\"oracle\">‡</span> " + HtmlReport.MarkExplanations[ColumnMark.Oracle], html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"optimistic\">†</span> " + HtmlReport.MarkExplanations[ColumnMark.Optimistic], html, StringComparison.Ordinal);
        Assert.Contains("<caption>scores</caption>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_WithoutMarks_NoLegend()
    {
        var html = new HtmlReport("r").Table(new ReportTable("a", "b").AddRow("1", "2")).ToHtml();

        Assert.DoesNotContain("wb-marks\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>1</td><td>2</td></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_NoChart_NoPlotly()
    {
        var report = new HtmlReport("text only").Heading("h").Paragraph("p");

        var html = report.ToHtml();

        Assert.Equal(0, report.ChartCount);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("<h1>text only</h1>\n<h2>h</h2>\n<p>p</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var table = new ReportTable("a", "b");

        var e = Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
        Assert.Contains("Row 0 has 1 cells but the table has 2 columns", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ReportTable(Array.Empty<ReportColumn>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HtmlReport("r").Heading("h", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HtmlReport("r").Heading("h", 5));
    }

    [Fact]
    public void Format_InvariantCultureAndNullForMissing()
    {
        Assert.Equal("0.125", ReportTable.Format(0.125));
        Assert.Equal("12.5%", ReportTable.Format(0.125, "0.0%"));
        Assert.Null(ReportTable.Format(null));
        Assert.Null(ReportTable.Format(double.NaN));
    }

    [Fact]
    public void Write_WritesToHtml()
    {
        var path = Path.Combine(Path.GetTempPath(), "wb-report-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            var report = new HtmlReport("r").Paragraph("x");
            report.Write(path);
            Assert.Equal(report.ToHtml(), File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
