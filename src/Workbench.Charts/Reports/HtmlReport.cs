using System.Globalization;
using System.Text;
using Plotly.NET;
using Workbench.Charts;

namespace Workbench.Reports;

/// <summary>
/// Builds one self-contained offline HTML page of several sections: headings, paragraphs, preformatted text, tables and
/// Plotly figures. plotly.js is embedded once per page (only when the page has a figure) however many figures there are;
/// figure divs get the ids <c>wb-chart-1</c>, <c>wb-chart-2</c>, … in order, so the same report gives byte-identical HTML.
/// Every text given to the builder is HTML-escaped: dataset-provided names and specs never become markup.
/// </summary>
public sealed class HtmlReport
{
    /// <summary>The explanation of each column mark, written in the legend under a table that uses it.</summary>
    public static IReadOnlyDictionary<ColumnMark, string> MarkExplanations { get; } = new Dictionary<ColumnMark, string>
    {
        [ColumnMark.Oracle] = "oracle: uses the labels to choose a setting (e.g. the best-F1 threshold); an upper bound no online detector can reach.",
        [ColumnMark.Optimistic] = "optimistic: a metric known to overstate performance (e.g. point-adjusted F1); compare with care.",
    };

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
        h1, h2, h3, h4 { font-weight: 600; }
        table.wb-table { border-collapse: collapse; margin: 1em 0 0.3em; font-size: 0.92em; }
        table.wb-table caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
        table.wb-table th, table.wb-table td { border: 1px solid #ccc; padding: 0.3em 0.6em; }
        table.wb-table th { background: #f3f3f3; }
        table.wb-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.wb-table .oracle { background: #fff4e0; }
        table.wb-table .optimistic { background: #f1e8fb; }
        table.wb-table td.na { color: #999; }
        p.wb-marks { font-size: 0.85em; color: #555; margin-top: 0.2em; }
        p.wb-marks span.oracle { background: #fff4e0; padding: 0 0.3em; }
        p.wb-marks span.optimistic { background: #f1e8fb; padding: 0 0.3em; }
        figure.wb-figure { margin: 1em 0; }
        figure.wb-figure figcaption { font-size: 0.9em; color: #555; }
        pre.wb-pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; }
        """;

    private readonly List<string> _sections = [];
    private readonly StringBuilder _scratch = new();

    /// <summary>A report with this page title (also its first heading).</summary>
    public HtmlReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>The number of figures added so far.</summary>
    public int ChartCount { get; private set; }

    /// <summary>The mark shown on a marked column's header.</summary>
    public static string MarkSymbol(ColumnMark mark) => mark switch
    {
        ColumnMark.Oracle => "‡",
        ColumnMark.Optimistic => "†",
        _ => string.Empty,
    };

    /// <summary>Adds a heading.</summary>
    /// <param name="text">The heading text.</param>
    /// <param name="level">2 (section, default) to 4; the page title is the only level-1 heading.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside 2–4.</exception>
    public HtmlReport Heading(string text, int level = 2)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 4);
        _sections.Add(string.Create(CultureInfo.InvariantCulture, $"<h{level}>{Html.Escape(text)}</h{level}>"));
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _sections.Add("<p>" + Html.Escape(text) + "</p>");
        return this;
    }

    /// <summary>Adds preformatted text (e.g. a dataset recipe or a list of specs), in a monospaced block.</summary>
    public HtmlReport Preformatted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _sections.Add("<pre class=\"wb-pre\">" + Html.Escape(text) + "</pre>");
        return this;
    }

    /// <summary>
    /// Adds a table. Marked columns carry the CSS class <c>oracle</c> or <c>optimistic</c> on their header and cells and
    /// a mark († / ‡) after the header; a legend line under the table explains each mark used.
    /// </summary>
    public HtmlReport Table(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sb = _scratch.Clear();
        sb.Append("<table class=\"wb-table\">\n");
        if (table.Caption is not null)
        {
            sb.Append("<caption>").Append(Html.Escape(table.Caption)).Append("</caption>\n");
        }

        sb.Append("<thead><tr>");
        foreach (var c in table.Columns)
        {
            var cls = MarkClass(c.Mark);
            sb.Append(cls is null ? "<th>" : $"<th class=\"{cls}\">").Append(Html.Escape(c.Header));
            if (c.Mark != ColumnMark.None) { sb.Append("<sup>").Append(MarkSymbol(c.Mark)).Append("</sup>"); }
            sb.Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                var col = table.Columns[i];
                var classes = new List<string>(3);
                if (col.Numeric) { classes.Add("num"); }
                if (MarkClass(col.Mark) is { } m) { classes.Add(m); }
                if (row[i] is null) { classes.Add("na"); }
                sb.Append(classes.Count == 0 ? "<td>" : $"<td class=\"{string.Join(' ', classes)}\">")
                  .Append(row[i] is { } text ? Html.Escape(text) : "–")
                  .Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>");
        var marks = table.Columns.Select(c => c.Mark).Where(m => m != ColumnMark.None).Distinct().Order().ToList();
        if (marks.Count > 0)
        {
            sb.Append("\n<p class=\"wb-marks\">");
            for (var i = 0; i < marks.Count; i++)
            {
                if (i > 0) { sb.Append("<br>"); }
                sb.Append("<span class=\"").Append(MarkClass(marks[i])).Append("\">").Append(MarkSymbol(marks[i])).Append("</span> ")
                  .Append(Html.Escape(MarkExplanations[marks[i]]));
            }

            sb.Append("</p>");
        }

        _sections.Add(sb.ToString());
        return this;
    }

    /// <summary>Adds a figure, with an optional caption under it.</summary>
    public HtmlReport Chart(GenericChart chart, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ChartCount++;
        var id = "wb-chart-" + ChartCount.ToString(CultureInfo.InvariantCulture);
        var figure = "<figure class=\"wb-figure\">\n" + ChartHtml.Fragment(ChartHtml.ToFigureJson(chart), id)
            + (caption is null ? string.Empty : "\n<figcaption>" + Html.Escape(caption) + "</figcaption>") + "\n</figure>";
        _sections.Add(figure);
        return this;
    }

    /// <summary>The whole page: UTF-8 HTML with the styles inline and plotly.js embedded once when there is a figure.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder((ChartCount > 0 ? ChartHtml.PlotlyJs.Length : 0) + 8192);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
          .Append(Html.Escape(Title)).Append("</title>\n<style>\n").Append(Css).Append("\n</style>\n");
        if (ChartCount > 0) { sb.Append(ChartHtml.PlotlyScriptTag()).Append('\n'); }
        sb.Append("</head>\n<body>\n<h1>").Append(Html.Escape(Title)).Append("</h1>\n");
        foreach (var s in _sections) { sb.Append(s).Append('\n'); }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/> (UTF-8 without BOM, overwritten), creating the folder.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ChartHtml.WriteText(path, ToHtml());
    }

    private static string? MarkClass(ColumnMark mark) => mark switch
    {
        ColumnMark.Oracle => "oracle",
        ColumnMark.Optimistic => "optimistic",
        _ => null,
    };
}
