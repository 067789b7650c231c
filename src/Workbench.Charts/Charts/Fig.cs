using System.Globalization;
using DynamicObj;
using Microsoft.FSharp.Collections;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;

namespace Workbench.Charts;

/// <summary>
/// Small helpers that build Plotly.NET's dynamic objects property by property (the F# <c>init</c> functions take every
/// optional argument positionally, which reads badly from C#), plus the text and time conventions of every figure.
/// </summary>
internal static class Fig
{
    /// <summary>Sets one plotly.js attribute and returns the object, for chaining.</summary>
    public static T With<T>(this T obj, string key, object? value) where T : DynamicObj.DynamicObj
    {
        obj.SetProperty(key, value);
        return obj;
    }

    /// <summary>
    /// Text shown by plotly.js (titles, trace names, tick labels, annotations, hover). plotly.js interprets a subset of
    /// HTML tags and entities in such text, so dataset-provided text is HTML-escaped here: it then shows literally
    /// (<c>&lt;</c> is decoded back to <c>&lt;</c> by plotly.js) and can never become markup.
    /// </summary>
    public static string Text(string text) => Html.Escape(text);

    /// <summary>The x value of a timestamp: <c>yyyy-MM-dd HH:mm:ss[.fffffff]</c> in UTC, the form plotly.js parses as a date.</summary>
    /// <exception cref="ArgumentException">The timestamp is <see cref="DateTimeKind.Local"/>.</exception>
    public static string Time(DateTime t, string series, int row)
    {
        if (t.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException($"Series '{series}', row {row}: timestamp {t:o} is local time; Workbench timestamps are UTC.");
        }

        return t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
    }

    /// <summary>A finite value, or an exception naming the series, row and field.</summary>
    public static double? Finite(double? v, string series, int row, string field)
    {
        if (v.HasValue && !double.IsFinite(v.Value))
        {
            throw new ArgumentException($"Series '{series}', row {row}: {field} is {v.Value.ToString(CultureInfo.InvariantCulture)}; only finite values or null (missing) can be drawn.");
        }

        return v;
    }

    public static Trace2D Scatter(string name, string mode) =>
        new Trace2D("scatter").With("name", Text(name)).With("mode", mode);

    public static Line Line(string color, double width, string? dash = null)
    {
        var line = new Line().With("color", color).With("width", width);
        return dash is null ? line : line.With("dash", dash);
    }

    public static Marker Marker(string color, double size, string symbol) =>
        new Marker().With("color", color).With("size", size).With("symbol", symbol);

    public static Title Title(string text) => new Title().With("text", Text(text));

    /// <summary>A legend-only entry (no drawn data) in the colour of a shaded span kind.</summary>
    public static Trace2D LegendSwatch(string label, string color, string group) =>
        Scatter(label, "markers")
            .With("x", new object?[] { null })
            .With("y", new object?[] { null })
            .With("marker", Marker(ColorScheme.WithOpacity(color, 0.5), 14, "square"))
            .With("legendgroup", group)
            .With("hoverinfo", "skip")
            .With("showlegend", true);

    /// <summary>The chart: traces in order, the layout, and a config without the plotly logo link.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout)
    {
        var config = new Config().With("displaylogo", false).With("responsive", true);
        return GenericChart.NewMultiChart(ListModule.OfSeq(traces), layout, config, new DisplayOptions());
    }

    /// <summary>The base layout every Workbench figure shares.</summary>
    public static Layout Layout(string? title, int height)
    {
        var layout = new Layout()
            .With("height", height)
            .With("paper_bgcolor", "#ffffff")
            .With("plot_bgcolor", "#ffffff")
            .With("margin", new DynamicObj.DynamicObj().With("l", 70).With("r", 30).With("t", title is null ? 30 : 60).With("b", 50))
            .With("hovermode", "closest");
        return title is null ? layout : layout.With("title", Title(title));
    }

    /// <summary>A checked list argument of the given length, or an exception naming it.</summary>
    public static void CheckLength<T>(IReadOnlyList<T>? list, int expected, string series, string field)
    {
        if (list is not null && list.Count != expected)
        {
            throw new ArgumentException($"Series '{series}': {field} has {list.Count} entries but the series has {expected} rows.", field);
        }
    }
}
