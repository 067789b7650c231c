using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Workbench.Core;

namespace Workbench.Charts;

/// <summary>The parts shared by the series chart and the replay view: the value line and the shaded anomaly spans.</summary>
internal static class SeriesPanel
{
    /// <summary>Checks the timestamps (non-decreasing, not local) and formats them as x values.</summary>
    public static string[] XValues(string series, IReadOnlyList<DateTime> timestamps, out DateTime[] sorted)
    {
        sorted = new DateTime[timestamps.Count];
        var x = new string[timestamps.Count];
        for (var i = 0; i < timestamps.Count; i++)
        {
            var t = timestamps[i];
            if (i > 0 && t < sorted[i - 1])
            {
                throw new ArgumentException($"Series '{series}', row {i}: timestamp {t:o} is before the previous row's {sorted[i - 1]:o}; charts need time order.", nameof(timestamps));
            }

            sorted[i] = t;
            x[i] = Fig.Time(t, series, i);
        }

        return x;
    }

    /// <summary>The value line: gaps (not interpolation) where the value is missing.</summary>
    public static Trace2D ValueTrace(string series, string[] x, IReadOnlyList<double?> values, string color, string yAxis, bool showLegend)
    {
        var y = new double?[values.Count];
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = Fig.Finite(values[i], series, i, "value");
        }

        return Fig.Scatter(series, "lines")
            .With("x", x)
            .With("y", y)
            .With("connectgaps", false)
            .With("line", Fig.Line(color, 1.5))
            .With("xaxis", "x")
            .With("yaxis", yAxis)
            .With("showlegend", showLegend);
    }

    /// <summary>
    /// One rectangle per span, from half a sampling step before its start to half a step after its end (the step to the
    /// neighbouring row; the other side's step at the series' ends; one second for a one-row series), filled with the
    /// kind's colour, below the data. <paramref name="yRef"/> is <c>paper</c> or an axis domain such as <c>y2 domain</c>.
    /// </summary>
    public static void AddSpanShapes(string series, DateTime[] timestamps, IReadOnlyList<AnomalySpan> spans, string yRef,
        List<Shape> shapes, List<AnomalyKind?> kindsSeen)
    {
        for (var s = 0; s < spans.Count; s++)
        {
            var span = spans[s];
            if (span.End < span.Start)
            {
                throw new ArgumentException($"Series '{series}', anomaly span {s}: end {span.End:o} is before start {span.Start:o}.", nameof(spans));
            }

            var x0 = span.Start - HalfStep(timestamps, span.Start, before: true);
            var x1 = span.End + HalfStep(timestamps, span.End, before: false);
            var color = ColorScheme.ForKind(span.Kind);
            shapes.Add(new Shape()
                .With("type", "rect")
                .With("name", Fig.Text(ColorScheme.KindLabel(span.Kind)))
                .With("xref", "x")
                .With("yref", yRef)
                .With("x0", Fig.Time(x0, series, s))
                .With("x1", Fig.Time(x1, series, s))
                .With("y0", 0)
                .With("y1", 1)
                .With("fillcolor", ColorScheme.WithOpacity(color, ColorScheme.SpanOpacity))
                .With("line", new Line().With("width", 0))
                .With("layer", "below"));
            if (!kindsSeen.Contains(span.Kind)) { kindsSeen.Add(span.Kind); }
        }
    }

    /// <summary>One legend entry per kind seen, in order of first appearance.</summary>
    public static IEnumerable<Trace> KindLegend(IReadOnlyList<AnomalyKind?> kinds)
    {
        foreach (var kind in kinds)
        {
            var label = ColorScheme.KindLabel(kind);
            yield return Fig.LegendSwatch(label, ColorScheme.ForKind(kind), "kind:" + label);
        }
    }

    private static TimeSpan HalfStep(DateTime[] t, DateTime at, bool before)
    {
        if (t.Length < 2) { return TimeSpan.FromSeconds(0.5); }

        // Neighbour strictly before `at` (for the start) or strictly after it (for the end); else the other side's step.
        var lo = LowerBound(t, at);          // first index with t >= at
        var hi = UpperBound(t, at);          // first index with t > at
        TimeSpan? prev = lo > 0 ? at - t[lo - 1] : null;
        TimeSpan? next = hi < t.Length ? t[hi] - at : null;
        var step = before ? prev ?? next : next ?? prev;
        return step is { } s && s > TimeSpan.Zero ? s / 2 : TimeSpan.FromSeconds(0.5);
    }

    private static int LowerBound(DateTime[] t, DateTime at)
    {
        int lo = 0, hi = t.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (t[mid] < at) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private static int UpperBound(DateTime[] t, DateTime at)
    {
        int lo = 0, hi = t.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (t[mid] <= at) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }
}
