using System.Text.RegularExpressions;
using Plotly.NET;

namespace Workbench.Notebooks;

/// <summary>
/// How notebooks show Plotly.NET charts: an HTML fragment (a <c>div</c> and the script that draws into it, with no
/// plotly.js reference) plus the figure JSON (<c>application/vnd.plotly.v1+json</c>, which Jupyter and VS Code render
/// with their own plotly), and plotly.js itself, embedded once per HTML page by <see cref="NotebookHtmlRenderer"/>.
/// Everything is offline: plotly.js 2.28.0 is read from the resources of <c>Plotly.NET.dll</c>. This is the single place
/// to point at Workbench.Charts' fragment API later.
/// </summary>
public static partial class NotebookCharts
{
    /// <summary>MIME type of the Plotly figure JSON.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>Text every chart fragment contains; the HTML renderer embeds plotly.js when a page has one.</summary>
    public const string FragmentMarker = "Plotly.newPlot(";

    private static readonly Lazy<string> Script = new(LoadPlotlyJs);

    /// <summary>
    /// The chart as an HTML fragment whose element id is <c>wb-chart-</c><paramref name="id"/> (Plotly.NET would use a
    /// random GUID; a caller-chosen id keeps rendered pages deterministic). Needs plotly.js on the page.
    /// </summary>
    public static string Fragment(GenericChart chart, string id)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var html = GenericChart.toChartHTML(chart);
        var match = GuidPattern().Match(html);
        if (match.Success)
        {
            var guid = match.Value;
            html = html.Replace(guid, "wb-chart-" + id, StringComparison.Ordinal)
                       .Replace(guid.Replace("-", string.Empty, StringComparison.Ordinal), "wb_chart_" + id.Replace('-', '_'), StringComparison.Ordinal);
        }

        return html;
    }

    /// <summary>The chart's figure JSON (<c>data</c>, <c>layout</c>, …) for the <see cref="PlotlyMimeType"/> entry.</summary>
    public static string FigureJson(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return GenericChart.toFigureJson(chart);
    }

    /// <summary>A <c>&lt;script&gt;</c> element holding plotly.js (≈ 3.6 MB), for the page head; no network access.</summary>
    public static string PlotlyScriptElement() => "<script type=\"text/javascript\">" + Script.Value + "</script>";

    /// <summary>
    /// plotly.js (≈ 3.6 MB, offline) as a <c>&lt;script&gt;</c> element for a notebook output, for front ends that run
    /// the scripts of HTML outputs but have no plotly of their own (classic Jupyter Notebook). It always sets
    /// <c>window.Plotly</c>, which the chart fragments' scripts call: plotly's UMD header would register an anonymous
    /// RequireJS module instead when the page has RequireJS's <c>define</c> (classic Notebook does) and set nothing, so the
    /// bundle runs inside a function whose <c>define</c>, <c>module</c> and <c>exports</c> parameters are undefined, and the
    /// header falls through to <c>self.Plotly = …</c>.
    /// </summary>
    public static string PlotlyScriptElementForNotebooks() =>
        "<script type=\"text/javascript\">(function (define, module, exports) {\n" + Script.Value + "\n})(undefined, undefined, undefined);</script>";

    private static string LoadPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal) && n.Contains("plotly-", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("plotly.js is not among the resources of Plotly.NET.dll");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();
}
