using Workbench.Notebooks;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookHtmlRendererTests
{
    [Fact]
    public void Render_EscapesMarkdownSourceAndStreams()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown("# T <i>\nSee [docs](https://example.org/a) and `x<y`.\n\n- one\n- two <b>"));
        var cell = NotebookCell.CSharp("var s = \"<script>alert(1)</script>\";");
        cell.Outputs.Add(new StreamOutput("stdout", "<script>alert(2)</script>\n"));
        cell.Outputs.Add(new ErrorOutput("E", "<img src=x>", []));
        nb.Cells.Add(cell);
        var html = NotebookHtmlRenderer.Render(nb, "t<");
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("<h1>T &lt;i&gt;</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/a\">docs</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>x&lt;y</code>", html, StringComparison.Ordinal);
        Assert.Contains("<li>two &lt;b&gt;</li>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(2)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("plotly", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Render_Charts_EmbedPlotlyOnceAndNoExternalScript()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\nfor (var i = 0; i < 3; i++) display(Plotly.NET.CSharp.Chart.Line<int, int, string>(new[] { 1, 2 }, new[] { i, 4 }));");
        Assert.Equal(CellStatus.Ok, r.Status);
        var nb = Notebook.CreateCSharp();
        var cell = NotebookCell.CSharp("charts");
        cell.Outputs.AddRange(r.Outputs);
        nb.Cells.Add(cell);
        var html = NotebookHtmlRenderer.Render(nb, "charts");
        Assert.Equal(3, CountOf(html, NotebookCharts.FragmentMarker + "'wb-chart-"));
        Assert.Equal(1, CountOf(html, "plotly.js v2.28.0"));
        Assert.DoesNotContain("cdn.plot.ly/plotly-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
