using Workbench.Operators.Detection;

namespace Workbench.Operators.Alerting;

/// <summary>The array twin of <see cref="AlertObservable"/>: identical events without Rx.</summary>
public static class AlertBatch
{
    /// <summary>
    /// Runs the alert state machine over <paramref name="scored"/> (in order). Acknowledgements are applied in timestamp
    /// order (stable), each after every observation whose timestamp is ≤ its own — the order a virtual-time scheduler
    /// gives when observations are scheduled before acknowledgements at equal times.
    /// </summary>
    /// <exception cref="ArgumentException">An acknowledgement names an alert not raised before it.</exception>
    public static AlertEvent[] Run(AlertOptions options, IReadOnlyList<ScoredObservation> scored, IReadOnlyList<Acknowledgement>? acknowledgements = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scored);
        var tracker = new AlertTracker(options);
        var acks = (acknowledgements ?? []).OrderBy(a => a.Timestamp).ToArray();
        var events = new List<AlertEvent>();
        var next = 0;
        for (var i = 0; i < scored.Count; i++)
        {
            var o = scored[i].Observation;
            while (next < acks.Length && acks[next].Timestamp < o.Timestamp)
            {
                Add(events, tracker.Acknowledge(acks[next++]));
            }

            Add(events, tracker.Observe(o.Series, o.Timestamp, scored[i].Score));
        }

        while (next < acks.Length)
        {
            Add(events, tracker.Acknowledge(acks[next++]));
        }

        return [.. events];
    }

    private static void Add(List<AlertEvent> events, AlertEvent? e)
    {
        if (e is { } ev)
        {
            events.Add(ev);
        }
    }
}
