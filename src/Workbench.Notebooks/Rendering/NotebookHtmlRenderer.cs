using System.Globalization;
using System.Net;
using System.Text;

namespace Workbench.Notebooks;

/// <summary>
/// Renders an (executed) notebook as one self-contained HTML page, offline: Markdown cells through
/// <see cref="MarkdownHtml"/>, code cells as escaped source with their outputs (stream and error text escaped in
/// <c>pre</c>; display and result bundles as their <c>text/html</c> when present, else escaped <c>text/plain</c>), and
/// plotly.js embedded once in the head when any output holds a chart. No external URL is referenced.
/// </summary>
public static class NotebookHtmlRenderer
{
    /// <summary>The HTML page for <paramref name="notebook"/>, titled <paramref name="title"/>.</summary>
    public static string Render(Notebook notebook, string title)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(title);
        var body = new StringBuilder();
        var hasChart = false;
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            switch (cell.CellType)
            {
                case NotebookCellType.Markdown:
                    body.Append("<section class=\"md\">\n").Append(MarkdownHtml.ToHtml(cell.Source)).Append("</section>\n");
                    break;
                case NotebookCellType.Raw:
                    body.Append("<pre class=\"raw\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre>\n");
                    break;
                default:
                    var count = cell.ExecutionCount is { } n ? n.ToString(CultureInfo.InvariantCulture) : " ";
                    body.Append("<section class=\"code\" id=\"cell-").Append(i + 1).Append("\">\n<div class=\"in\"><span class=\"prompt\">[")
                        .Append(count).Append("]</span><pre><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre></div>\n");
                    foreach (var output in cell.Outputs)
                    {
                        body.Append(Output(output, ref hasChart));
                    }

                    body.Append("</section>\n");
                    break;
            }
        }

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append("<style>\nbody{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
            .Append("pre{background:#f6f8fa;padding:.6em;overflow:auto}\n.in pre{border-left:3px solid #4a7fd4}\n.prompt{color:#888;font-family:monospace}\n")
            .Append(".out{margin:.3em 0 1em 0}\n.stderr pre{background:#fff4f4}\n.error pre{background:#fdd;color:#900}\n</style>\n");
        if (hasChart)
        {
            page.Append(NotebookCharts.PlotlyScriptElement()).Append('\n');
        }

        page.Append("</head>\n<body>\n").Append(body).Append("</body>\n</html>\n");
        return page.ToString();
    }

    private static string Output(NotebookOutput output, ref bool hasChart)
    {
        switch (output)
        {
            case StreamOutput s:
                return $"<div class=\"out {(s.Name == StreamOutput.StdErr ? "stderr" : "stdout")}\"><pre>{WebUtility.HtmlEncode(s.Text)}</pre></div>\n";
            case ErrorOutput e:
                var text = e.EName + ": " + e.EValue + (e.Traceback.Count > 0 ? "\n" + string.Join('\n', e.Traceback) : string.Empty);
                return $"<div class=\"out error\"><pre>{WebUtility.HtmlEncode(text)}</pre></div>\n";
            case DisplayDataOutput d:
                return Bundle(d.Data, ref hasChart);
            case ExecuteResultOutput r:
                return Bundle(r.Data, ref hasChart);
            default:
                return string.Empty;
        }
    }

    private static string Bundle(MimeBundle data, ref bool hasChart)
    {
        if (data.TryGetValue(DisplayFormatting.Html, out var html))
        {
            hasChart |= html.Contains(NotebookCharts.FragmentMarker, StringComparison.Ordinal);
            return $"<div class=\"out html\">{html}</div>\n";
        }

        return data.TryGetValue(DisplayFormatting.PlainText, out var plain)
            ? $"<div class=\"out\"><pre>{WebUtility.HtmlEncode(plain)}</pre></div>\n"
            : string.Empty;
    }
}
