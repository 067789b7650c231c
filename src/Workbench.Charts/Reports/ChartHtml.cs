using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Plotly.NET;
using Workbench.Charts;

namespace Workbench.Reports;

/// <summary>
/// Offline HTML for Plotly figures. plotly.js is embedded from the copy shipped inside Plotly.NET (version
/// <see cref="PlotlyJsVersion"/>), never loaded from a CDN, and every id is derived deterministically, so the same chart
/// always gives byte-identical HTML.
/// </summary>
/// <remarks>
/// The figure JSON is escaped for a script block: <c>&lt; &gt; &amp;</c> and U+2028/U+2029 are written as <c>\uXXXX</c>
/// escapes (same value once parsed), so no text — not even <c>&lt;/script&gt;</c> in a series name — can close the script
/// or start markup. Text the figure builders put into the figure is HTML-escaped as well (plotly.js shows it literally).
/// </remarks>
public static class ChartHtml
{
    /// <summary>The version of the embedded plotly.js.</summary>
    public const string PlotlyJsVersion = "2.28.0";

    private const string ResourceName = "Plotly.NET.plotly-" + PlotlyJsVersion + ".min.js";

    private static readonly Lazy<string> Js = new(LoadPlotlyJs);

    /// <summary>The plotly.js library source (≈ 3.6 MB), as shipped inside Plotly.NET.</summary>
    public static string PlotlyJs => Js.Value;

    /// <summary>
    /// A <c>&lt;script&gt;</c> element that embeds plotly.js. Put it once in a page or notebook, before the first chart
    /// fragment (<see cref="ToFragment"/>).
    /// </summary>
    public static string PlotlyScriptTag() => "<script type=\"text/javascript\">" + PlotlyJs + "</script>";

    /// <summary>
    /// The figure as JSON (<c>{"data":[…],"layout":{…},"config":{…}}</c>), escaped so it can sit inside a script block.
    /// </summary>
    public static string ToFigureJson(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var json = GenericChart.toJson(chart);
        var sb = new StringBuilder(json.Length + 64);
        foreach (var c in json)
        {
            switch (c)
            {
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The text/html fragment of a chart for a notebook or a page: a <c>div</c> and a script that draws into it. It expects
    /// plotly.js to be present once in the page (<see cref="PlotlyScriptTag"/>); without it the div says so instead.
    /// </summary>
    /// <param name="chart">The figure.</param>
    /// <param name="divId">The div id; null = <c>wb-</c> plus the first 16 hex digits of the SHA-256 of the figure JSON
    /// (deterministic; pass your own id to show the same figure twice in one page).</param>
    /// <exception cref="ArgumentException"><paramref name="divId"/> is empty or has characters other than ASCII letters,
    /// digits, <c>-</c> and <c>_</c>.</exception>
    public static string ToFragment(GenericChart chart, string? divId = null)
    {
        var json = ToFigureJson(chart);
        if (divId is null)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(json));
            divId = "wb-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
        }
        else
        {
            CheckId(divId);
        }

        return Fragment(json, divId);
    }

    /// <summary>
    /// One self-contained offline HTML page showing the chart: plotly.js embedded, no network access needed, no external
    /// URL referenced by the page itself.
    /// </summary>
    /// <param name="chart">The figure.</param>
    /// <param name="title">The page title (HTML-escaped).</param>
    public static string ToStandaloneHtml(GenericChart chart, string title)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(title);
        var sb = new StringBuilder(PlotlyJs.Length + 4096);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(Html.Escape(title))
          .Append("</title>\n")
          .Append(PlotlyScriptTag())
          .Append("\n</head>\n<body>\n")
          .Append(Fragment(ToFigureJson(chart), "wb-chart-1"))
          .Append("\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToStandaloneHtml"/> to <paramref name="path"/> (UTF-8 without BOM), creating the folder.</summary>
    /// <param name="chart">The figure.</param>
    /// <param name="path">The file to write (overwritten).</param>
    /// <param name="title">The page title; null = the file name without extension.</param>
    public static void Write(GenericChart chart, string path, string? title = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        WriteText(path, ToStandaloneHtml(chart, title ?? Path.GetFileNameWithoutExtension(path)));
    }

    internal static void WriteText(string path, string html)
    {
        // Through a temporary file renamed over the target: a kill or a full disk never leaves half a page.
        Workbench.Data.SafeFile.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The div and the drawing script for already-escaped figure JSON.</summary>
    internal static string Fragment(string escapedJson, string divId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<div id=\"{divId}\" class=\"workbench-chart\"></div>\n<script type=\"text/javascript\">(function () {{\n  var figure = {escapedJson};\n  var el = document.getElementById(\"{divId}\");\n  if (!window.Plotly) {{ el.textContent = \"plotly.js is not loaded: add it once to the page before the charts.\"; return; }}\n  Plotly.newPlot(el, figure.data, figure.layout, figure.config);\n}})();</script>");

    private static void CheckId(string id)
    {
        if (id.Length == 0)
        {
            throw new ArgumentException("The div id is empty.", "divId");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                throw new ArgumentException($"The div id '{id}' has the character '{c}'; use ASCII letters, digits, '-' and '_'.", "divId");
            }
        }
    }

    private static string LoadPlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Plotly.NET does not contain the resource '{ResourceName}'; the plotly.js version embedded in Plotly.NET has changed.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var js = reader.ReadToEnd();
        if (js.Contains("</script", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The embedded plotly.js contains '</script' and cannot be inlined in a script element.");
        }

        return js;
    }
}
