namespace Workbench.Core;

/// <summary>
/// The ground truth attached to one observation: whether it is anomalous, of which kind, and which labelled
/// event (range) it belongs to. A normal point has neither kind nor event id.
/// </summary>
/// <param name="IsAnomaly">Whether the point is labelled anomalous (<c>is_anomaly</c>).</param>
/// <param name="Kind">The anomaly kind (<c>anomaly_kind</c>); null when normal, and may be null for an anomalous
/// point of a dataset that does not record kinds.</param>
/// <param name="EventId">The event id within its series (<c>anomaly_id</c>); null when normal. All points of one
/// injected event or labelled window share it, so events can be evaluated as ranges.</param>
public readonly record struct AnomalyLabel(bool IsAnomaly, AnomalyKind? Kind, int? EventId)
{
    /// <summary>The label of a normal point.</summary>
    public static AnomalyLabel Normal => default;

    /// <summary>An anomalous point of the given kind belonging to event <paramref name="eventId"/>.</summary>
    public static AnomalyLabel Anomaly(AnomalyKind kind, int eventId) => new(true, kind, eventId);

    public override string ToString() => IsAnomaly ? $"{Kind?.Name ?? "anomaly"}#{EventId}" : "normal";
}
