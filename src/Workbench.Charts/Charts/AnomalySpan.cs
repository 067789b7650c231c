using Workbench.Core;

namespace Workbench.Charts;

/// <summary>
/// One labelled anomaly drawn as a shaded span: the timestamps of its first and last labelled observation (inclusive)
/// and its kind. Charts widen the shading by half the sampling step on each side, so a single-point spike is visible.
/// </summary>
/// <param name="Start">The first labelled observation's timestamp (UTC).</param>
/// <param name="End">The last labelled observation's timestamp (UTC); not before <paramref name="Start"/>.</param>
/// <param name="Kind">The anomaly kind; null when the dataset does not record kinds.</param>
public readonly record struct AnomalySpan(DateTime Start, DateTime End, AnomalyKind? Kind)
{
    /// <summary>
    /// The labelled events of one series' observations, in order of their first row. Points sharing an event id form
    /// one span (first to last occurrence, of the first point's kind); anomalous points without an event id form one
    /// span per maximal run of consecutive anomalous points of the same kind.
    /// </summary>
    /// <param name="observations">The observations of one series, in time order.</param>
    public static IReadOnlyList<AnomalySpan> FromLabels(IReadOnlyList<LabeledObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var spans = new List<AnomalySpan>();
        var byEvent = new Dictionary<int, int>();
        var runIndex = -1; // index in spans of the open run of id-less anomalous points
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            var label = o.Label;
            if (!label.IsAnomaly)
            {
                runIndex = -1;
                continue;
            }

            if (label.EventId is int id)
            {
                runIndex = -1;
                if (byEvent.TryGetValue(id, out var k))
                {
                    spans[k] = spans[k] with { End = o.Timestamp };
                }
                else
                {
                    byEvent.Add(id, spans.Count);
                    spans.Add(new AnomalySpan(o.Timestamp, o.Timestamp, label.Kind));
                }

                continue;
            }

            if (runIndex >= 0 && spans[runIndex].Kind == label.Kind)
            {
                spans[runIndex] = spans[runIndex] with { End = o.Timestamp };
            }
            else
            {
                runIndex = spans.Count;
                spans.Add(new AnomalySpan(o.Timestamp, o.Timestamp, label.Kind));
            }
        }

        return spans;
    }
}
