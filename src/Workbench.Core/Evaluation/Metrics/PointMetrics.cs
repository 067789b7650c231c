namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Point-wise and point-adjusted precision, recall and F1 of boolean flags against boolean labels. Pure functions;
/// several series are pooled by summing their confusion counts (micro average). See <see cref="PointScores"/> for the
/// zero-division convention.
/// </summary>
public static class PointMetrics
{
    /// <summary>Point-wise confusion counts of <paramref name="flags"/> against <paramref name="labels"/> (one series).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public static PointScores Compute(bool[] labels, bool[] flags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        return Compute([labels], [flags]);
    }

    /// <summary>
    /// Point-wise confusion counts pooled over several series: <c>labels[s][i]</c> and <c>flags[s][i]</c> are point
    /// <c>i</c> of series <c>s</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The series counts or the lengths of one series differ.</exception>
    public static PointScores Compute(IReadOnlyList<bool[]> labels, IReadOnlyList<bool[]> flags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        MetricInput.CheckSeriesCount(labels, flags, nameof(flags));
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            var f = MetricInput.NotNull(flags, s, nameof(flags));
            MetricInput.CheckLength(l, f, s, nameof(flags));
            for (var i = 0; i < l.Length; i++)
            {
                if (l[i])
                {
                    if (f[i]) { tp++; } else { fn++; }
                }
                else if (f[i]) { fp++; }
                else { tn++; }
            }
        }

        return new PointScores(tp, fp, fn, tn);
    }

    /// <summary>Point-adjusted confusion counts for one series; see the multi-series overload.</summary>
    public static PointScores PointAdjusted(bool[] labels, int?[]? eventIds, bool[] flags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        return PointAdjusted([labels], eventIds is null ? null : [eventIds], [flags]);
    }

    /// <summary>
    /// Point-adjusted confusion counts (Xu et al., WWW 2018, "Donut"): when any point of a labelled event is flagged,
    /// every point of that event counts as a true positive; otherwise all its points are false negatives. Normal
    /// points count as in <see cref="Compute(IReadOnlyList{bool[]}, IReadOnlyList{bool[]})"/>.
    /// <para><b>Optimistic:</b> one lucky flag inside a long event earns the whole event, so even random flags reach
    /// a high point-adjusted F1 on data with long events. Report it only next to the point-wise and event-wise figures.</para>
    /// Events are defined as in <see cref="EventMetrics"/> (by <paramref name="eventIds"/>, or maximal runs of labelled
    /// points when it is null); events never span series.
    /// </summary>
    /// <exception cref="ArgumentException">Series counts or lengths differ, or event ids are inconsistent with labels.</exception>
    public static PointScores PointAdjusted(IReadOnlyList<bool[]> labels, IReadOnlyList<int?[]>? eventIds, IReadOnlyList<bool[]> flags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        MetricInput.CheckSeriesCount(labels, flags, nameof(flags));
        MetricInput.CheckSeriesCount(labels, eventIds, nameof(eventIds));
        long tp = 0, fp = 0, fn = 0, tn = 0;
        var events = new List<EventSpan>();
        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            var f = MetricInput.NotNull(flags, s, nameof(flags));
            var ids = eventIds is null ? null : MetricInput.NotNull(eventIds, s, nameof(eventIds));
            MetricInput.CheckLength(l, f, s, nameof(flags));
            MetricInput.CheckLength(l, ids, s, nameof(eventIds));
            events.Clear();
            EventSpan.Extract(l, ids, f, s, events);
            foreach (var e in events)
            {
                if (e.FirstFlagRow >= 0) { tp += e.PointCount; } else { fn += e.PointCount; }
            }

            for (var i = 0; i < l.Length; i++)
            {
                if (!l[i])
                {
                    if (f[i]) { fp++; } else { tn++; }
                }
            }
        }

        return new PointScores(tp, fp, fn, tn);
    }
}
