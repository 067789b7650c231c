namespace Workbench.Evaluation.Metrics;

/// <summary>
/// Event-wise recall, false alarms and detection delay of boolean flags against labelled events. Pure functions over
/// one or several series; events and false alarms never span series.
/// </summary>
/// <remarks>
/// <para><b>Events.</b> With event ids, an event is every labelled point of a series that carries the same id (ids are
/// per series: id 1 in two series is two events); adjacent events with different ids stay separate. A labelled point
/// must have an id and a normal point must not (otherwise <see cref="ArgumentException"/>). Without ids, an event is a
/// maximal run of consecutive labelled points, so adjacent events merge into one.</para>
/// <para><b>Detection.</b> An event is detected when at least one of its points is flagged; flags outside it, even
/// just before it, do not count. Delay = row (and time) of the first flagged event point minus the event's first row
/// (and timestamp). Undetected events are left out of the delay statistics and counted in
/// <see cref="EventScores.UndetectedCount"/>.</para>
/// <para><b>False alarms.</b> A false alarm is a maximal run of consecutive flagged normal points in one series, so a
/// detector that holds its flag for ten normal rows raises one alarm, not ten. A flag run that starts inside an event
/// and continues past its end raises one false alarm for its normal part.</para>
/// <para><b>Time.</b> Timestamps must be non-decreasing within a series; durations are tick differences (UTC expected).
/// The per-day rate uses the observed span of each series (last − first timestamp), summed over series.</para>
/// </remarks>
public static class EventMetrics
{
    /// <summary>Event-wise figures for one series; see the multi-series overload.</summary>
    public static EventScores Compute(bool[] labels, int?[]? eventIds, bool[] flags, DateTime[]? timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        return Compute([labels], eventIds is null ? null : [eventIds], [flags], timestamps is null ? null : [timestamps]);
    }

    /// <summary>
    /// Event-wise figures pooled over series: <c>labels[s]</c>, <c>eventIds[s]</c>, <c>flags[s]</c> and
    /// <c>timestamps[s]</c> describe series <c>s</c>. <paramref name="eventIds"/> null = events are maximal labelled runs;
    /// <paramref name="timestamps"/> null = time-based figures are null.
    /// </summary>
    /// <exception cref="ArgumentException">Series counts or lengths differ, event ids contradict labels, or timestamps decrease.</exception>
    public static EventScores Compute(
        IReadOnlyList<bool[]> labels, IReadOnlyList<int?[]>? eventIds, IReadOnlyList<bool[]> flags, IReadOnlyList<DateTime[]>? timestamps)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        MetricInput.CheckSeriesCount(labels, flags, nameof(flags));
        MetricInput.CheckSeriesCount(labels, eventIds, nameof(eventIds));
        MetricInput.CheckSeriesCount(labels, timestamps, nameof(timestamps));

        var spans = new List<EventSpan>();
        var events = new List<EventDetection>();
        long normal = 0, falseAlarms = 0;
        long durationTicks = 0;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = MetricInput.NotNull(labels, s, nameof(labels));
            var f = MetricInput.NotNull(flags, s, nameof(flags));
            var ids = eventIds is null ? null : MetricInput.NotNull(eventIds, s, nameof(eventIds));
            var ts = timestamps is null ? null : MetricInput.NotNull(timestamps, s, nameof(timestamps));
            MetricInput.CheckLength(l, f, s, nameof(flags));
            MetricInput.CheckLength(l, ids, s, nameof(eventIds));
            MetricInput.CheckLength(l, ts, s, nameof(timestamps));
            if (ts is not null)
            {
                for (var i = 1; i < ts.Length; i++)
                {
                    if (ts[i] < ts[i - 1])
                    {
                        throw new ArgumentException(
                            $"Series {s}, row {i}: timestamp {ts[i]:O} is earlier than the previous one {ts[i - 1]:O}.", nameof(timestamps));
                    }
                }

                if (ts.Length > 0) { durationTicks += ts[^1].Ticks - ts[0].Ticks; }
            }

            var inRun = false;
            for (var i = 0; i < l.Length; i++)
            {
                if (l[i]) { inRun = false; continue; }
                normal++;
                if (f[i] && !inRun) { falseAlarms++; }
                inRun = f[i];
            }

            spans.Clear();
            EventSpan.Extract(l, ids, f, s, spans);
            foreach (var e in spans)
            {
                var detected = e.FirstFlagRow >= 0;
                int? firstFlag = detected ? e.FirstFlagRow : null;
                TimeSpan? delay = detected && ts is not null ? ts[e.FirstFlagRow] - ts[e.StartRow] : null;
                events.Add(new EventDetection(
                    s, e.EventId, e.StartRow, e.EndRow, e.PointCount, firstFlag, firstFlag - e.StartRow, delay));
            }
        }

        var rows = new List<long>();
        var ticks = new List<long>();
        foreach (var e in events)
        {
            if (e.DelayRows is { } r) { rows.Add(r); }
            if (e.Delay is { } d) { ticks.Add(d.Ticks); }
        }

        return new EventScores(
            events,
            normal,
            falseAlarms,
            timestamps is null ? null : TimeSpan.FromTicks(durationTicks),
            rows.Count == 0 ? null : Mean(rows),
            rows.Count == 0 ? null : Median(rows),
            ticks.Count == 0 ? null : TimeSpan.FromTicks((long)Math.Round(Mean(ticks))),
            ticks.Count == 0 ? null : TimeSpan.FromTicks(MedianTicks(ticks)));
    }

    private static double Mean(List<long> values)
    {
        double sum = 0;
        foreach (var v in values) { sum += v; }
        return sum / values.Count;
    }

    private static double Median(List<long> values)
    {
        values.Sort();
        var m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + (double)values[m]) / 2;
    }

    private static long MedianTicks(List<long> values)
    {
        values.Sort();
        var m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : values[m - 1] + ((values[m] - values[m - 1]) / 2);
    }
}
