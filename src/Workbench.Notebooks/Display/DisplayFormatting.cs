using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Workbench.Notebooks;

/// <summary>
/// Turns a value into a Jupyter MIME bundle with Microsoft.DotNet.Interactive.Formatting: <c>text/plain</c> and
/// <c>text/html</c> for every value; Plotly.NET charts get a <see cref="NotebookCharts"/> fragment as <c>text/html</c>
/// and the figure JSON as <c>application/vnd.plotly.v1+json</c>. The Formatting library's registry is process-wide.
/// </summary>
public static class DisplayFormatting
{
    /// <summary><c>text/plain</c>.</summary>
    public const string PlainText = "text/plain";

    /// <summary><c>text/html</c>.</summary>
    public const string Html = "text/html";

    /// <summary>The MIME bundle of <paramref name="value"/>; <paramref name="chartId"/> names the element of a chart.</summary>
    public static MimeBundle ToBundle(object? value, string chartId)
    {
        var bundle = new MimeBundle();
        if (value is GenericChart chart)
        {
            bundle.Set(PlainText, "Plotly chart");
            bundle.Set(Html, NotebookCharts.Fragment(chart, chartId));
            bundle.Set(NotebookCharts.PlotlyMimeType, NotebookCharts.FigureJson(chart));
            return bundle;
        }

        bundle.Set(PlainText, Formatter.ToDisplayString(value, PlainText));
        bundle.Set(Html, Formatter.ToDisplayString(value, Html));
        return bundle;
    }

    /// <summary>An empty metadata object for a display or result output.</summary>
    internal static JsonObject EmptyMetadata() => [];
}
