using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// One injected (or planned) anomaly event of one series.
/// </summary>
/// <param name="Series">The series name, e.g. <c>host-0017/latency</c>.</param>
/// <param name="EventId">The event id within the series (the <c>anomaly_id</c> of its labelled points).</param>
/// <param name="Start">The series index (0-based observation number) of the event's first point.</param>
/// <param name="Length">The number of points the event covers (for an event lasting to the series end: up to the end).</param>
/// <param name="Options">The concrete parameters (a random direction already drawn).</param>
public sealed record InjectedEvent(string Series, int EventId, long Start, long Length, InjectionOptions Options)
{
    /// <summary>The event's kind.</summary>
    public AnomalyKind Kind => Options.Kind;

    /// <summary>The series index just past the event's last point.</summary>
    public long End => Start + Length;

    /// <summary>The label its changed points carry.</summary>
    public AnomalyLabel Label => AnomalyLabel.Anomaly(Options.Kind, EventId);
}
