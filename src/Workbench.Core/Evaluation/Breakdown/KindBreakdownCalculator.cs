using Workbench.Core;
using Workbench.Evaluation.Metrics;

namespace Workbench.Evaluation.Breakdown;

/// <summary>
/// Splits event-wise evaluation by anomaly kind: which detector catches spikes, which notices drift or missing data.
/// Each kind's figures are <see cref="EventMetrics"/> computed on the events of that kind only, so the definitions of
/// event, detection and delay are exactly those of <see cref="EventMetrics"/>.
/// </summary>
/// <remarks>
/// <para><b>Events.</b> When any labelled point carries an event id, events are defined by ids (every labelled point must
/// then have one); otherwise an event is a maximal run of labelled points. An event's kind is the kind of its points;
/// points of one event with different kinds are rejected (<see cref="ArgumentException"/> naming series, row and the
/// two kinds) — without ids that also happens when two events of different kinds touch, so give ids in that case.</para>
/// <para>A flag on a point of another kind's event does not detect this kind's event (each event is judged on its own
/// points only, as in <see cref="EventMetrics"/>).</para>
/// </remarks>
public static class KindBreakdownCalculator
{
    /// <summary>Name used for events whose <see cref="AnomalyLabel.Kind"/> is null.</summary>
    public const string UnknownKind = "unknown";

    /// <summary>Breakdown of one series; see the multi-series overload.</summary>
    public static KindBreakdown Compute(AnomalyLabel[] labels, bool[] flags, DateTime[]? timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);
        return Compute([labels], [flags], timestamps is null ? null : [timestamps]);
    }

    /// <summary>
    /// Per-kind event recall and delays, pooled over series: <c>labels[s]</c>, <c>flags[s]</c> and <c>timestamps[s]</c>
    /// describe series <c>s</c>. <paramref name="timestamps"/> null = time delays and per-day rates are null.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ, an event mixes kinds, event ids are inconsistent, or timestamps decrease.</exception>
    public static KindBreakdown Compute(
        IReadOnlyList<AnomalyLabel[]> labels, IReadOnlyList<bool[]> flags, IReadOnlyList<DateTime[]>? timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(flags);

        var isAnomaly = new bool[labels.Count][];
        var ids = new int?[labels.Count][];
        var kinds = new string?[labels.Count][];
        var anyId = false;
        for (var s = 0; s < labels.Count; s++)
        {
            var l = labels[s] ?? throw new ArgumentException($"Series {s}: labels is null.", nameof(labels));
            isAnomaly[s] = new bool[l.Length];
            ids[s] = new int?[l.Length];
            kinds[s] = new string?[l.Length];
            for (var i = 0; i < l.Length; i++)
            {
                isAnomaly[s][i] = l[i].IsAnomaly;
                ids[s][i] = l[i].EventId;
                if (l[i].IsAnomaly)
                {
                    kinds[s][i] = l[i].Kind?.Name ?? UnknownKind;
                    anyId |= l[i].EventId.HasValue;
                }
            }
        }

        var eventIds = anyId ? ids : null;
        var overall = EventMetrics.Compute(isAnomaly, eventIds, flags, timestamps);

        // The kind of every event, checked to be the same on all of its points.
        var kindNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in overall.Events)
        {
            var k = kinds[e.Series];
            var ev = ids[e.Series];
            string? kind = null;
            var firstRow = -1;
            for (var i = e.StartRow; i <= e.EndRow; i++)
            {
                if (k[i] is not { } ki || (eventIds is not null && ev[i] != e.EventId)) { continue; }
                if (kind is null) { kind = ki; firstRow = i; }
                else if (!string.Equals(kind, ki, StringComparison.Ordinal))
                {
                    var what = e.EventId is { } id ? $"event {id}" : $"the event at rows {e.StartRow}-{e.EndRow}";
                    throw new ArgumentException(
                        $"Series {e.Series}, row {i}: {what} has kind '{ki}' here but '{kind}' at row {firstRow}; "
                        + "an event must have one kind (give event ids to separate touching events).",
                        nameof(labels));
                }
            }

            kindNames.Add(kind!);
        }

        var byKind = new SortedDictionary<string, KindScores>(StringComparer.Ordinal);
        foreach (var name in kindNames)
        {
            var subLabels = new bool[labels.Count][];
            var subIds = eventIds is null ? null : new int?[labels.Count][];
            for (var s = 0; s < labels.Count; s++)
            {
                var k = kinds[s];
                subLabels[s] = new bool[k.Length];
                if (subIds is not null) { subIds[s] = new int?[k.Length]; }
                for (var i = 0; i < k.Length; i++)
                {
                    if (!string.Equals(k[i], name, StringComparison.Ordinal)) { continue; }
                    subLabels[s][i] = true;
                    if (subIds is not null) { subIds[s][i] = ids[s][i]; }
                }
            }

            var r = EventMetrics.Compute(subLabels, subIds, flags, timestamps);
            byKind.Add(name, new KindScores(
                r.EventCount, r.DetectedCount, r.Recall, r.MeanDelayRows, r.MedianDelayRows, r.MeanDelay, r.MedianDelay));
        }

        return new KindBreakdown(byKind.AsReadOnly(), overall);
    }
}
