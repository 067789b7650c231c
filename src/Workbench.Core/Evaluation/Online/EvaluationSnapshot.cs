using Workbench.Evaluation.Metrics;
using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Online;

/// <summary>
/// The running evaluation of a flagged stream after one input (or at completion), as emitted by
/// <see cref="OnlineEvaluationObservable.EvaluateOnline"/>. Immutable. All series seen so far are pooled exactly as the
/// batch metrics pool them (<see cref="PointMetrics"/>, <see cref="EventMetrics"/>, <see cref="RangeMetrics"/>).
/// </summary>
/// <remarks>
/// <para><b>Open and closed.</b> A labelled event is <i>open</i> while its series' latest point belongs to it; it closes
/// when the next point of that series is normal or belongs to another event, or at completion. A predicted range (a
/// maximal run of flagged points of one series) is open while the series' latest point is flagged. Figures named
/// "provisional" count open events and ranges as if they ended now; the others use closed ones only and cannot change
/// any more (except that, with event ids, an id reappearing later in its series reopens its event, as
/// <see cref="EventMetrics"/> treats all points of one id as one event).</para>
/// <para><b>Final snapshot.</b> At completion every open event and range closes and a snapshot with
/// <see cref="IsFinal"/> set is emitted; its figures equal the batch metrics on the whole input split per series
/// (counts exactly; range means up to floating-point summation order, about 1e-15 relative).</para>
/// </remarks>
public sealed record EvaluationSnapshot
{
    /// <summary>Inputs consumed so far (all series).</summary>
    public long Observations { get; init; }

    /// <summary>The input after which this snapshot was taken; null for the final snapshot (and before any input).</summary>
    public FlaggedObservation? Trigger { get; init; }

    /// <summary>Timestamp (UTC) of <see cref="Trigger"/>; for the final snapshot the latest timestamp seen; null when nothing was seen.</summary>
    public DateTime? Time { get; init; }

    /// <summary>Whether this is the snapshot taken at completion, after every open event and range was closed.</summary>
    public bool IsFinal { get; init; }

    /// <summary>Whether at least one labelled event closed with the trigger (for the final snapshot: at completion).</summary>
    public bool EventClosed { get; init; }

    // ---- point-wise ----

    /// <summary>Labelled points that are flagged.</summary>
    public long TruePositives { get; init; }

    /// <summary>Normal points that are flagged.</summary>
    public long FalsePositives { get; init; }

    /// <summary>Labelled points that are not flagged.</summary>
    public long FalseNegatives { get; init; }

    /// <summary>Normal points that are not flagged.</summary>
    public long TrueNegatives { get; init; }

    /// <summary>The point-wise counts as <see cref="PointScores"/> (allocated on each read).</summary>
    public PointScores Points => new(TruePositives, FalsePositives, FalseNegatives, TrueNegatives);

    /// <summary>Point-wise precision TP/(TP+FP) in [0, 1]; 0 when nothing is flagged.</summary>
    public double PointPrecision => PointScores.Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Point-wise recall TP/(TP+FN) in [0, 1]; 0 when nothing is labelled.</summary>
    public double PointRecall => PointScores.Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Point-wise F1 = 2TP/(2TP+FP+FN) in [0, 1]; 0 when TP = FP = FN = 0.</summary>
    public double PointF1 => PointScores.Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives);

    // ---- events ----

    /// <summary>Labelled events that have closed.</summary>
    public int ClosedEvents { get; init; }

    /// <summary>Closed events with at least one flagged point.</summary>
    public int DetectedClosedEvents { get; init; }

    /// <summary>Labelled events still open (at most one per series); 0 in the final snapshot.</summary>
    public int OpenEvents { get; init; }

    /// <summary>Open events already detected (a detection is never undone).</summary>
    public int DetectedOpenEvents { get; init; }

    /// <summary>All events seen so far, open or closed.</summary>
    public int Events => ClosedEvents + OpenEvents;

    /// <summary>All detected events so far, open or closed.</summary>
    public int DetectedEvents => DetectedClosedEvents + DetectedOpenEvents;

    /// <summary>Event recall over closed events: <see cref="DetectedClosedEvents"/> / <see cref="ClosedEvents"/>, in [0, 1]; 0 when none has closed.</summary>
    public double EventRecall => PointScores.Ratio(DetectedClosedEvents, ClosedEvents);

    /// <summary>
    /// Provisional event recall including open events: <see cref="DetectedEvents"/> / <see cref="Events"/>, in [0, 1]; 0
    /// when there is no event. An open undetected event may still be detected, so this can rise or fall.
    /// </summary>
    public double ProvisionalEventRecall => PointScores.Ratio(DetectedEvents, Events);

    /// <summary>
    /// Mean detection delay in rows (first flagged point of the event − its first point) over all
    /// <see cref="DetectedEvents"/> (open or closed: a delay is fixed by the event's first flag); null when none.
    /// </summary>
    public double? MeanDelayRows { get; init; }

    /// <summary>Median detection delay in rows (mean of the two middle values for an even count); null when none.</summary>
    public double? MedianDelayRows { get; init; }

    /// <summary>Mean detection delay in time, rounded to the tick; null when no event is detected.</summary>
    public TimeSpan? MeanDelay { get; init; }

    /// <summary>Median detection delay in time (two middle values averaged, truncated to the tick); null when no event is detected.</summary>
    public TimeSpan? MedianDelay { get; init; }

    // ---- false alarms ----

    /// <summary>Normal (unlabelled) points so far.</summary>
    public long NormalPoints { get; init; }

    /// <summary>False alarms: maximal runs of flagged normal points within a series (a run still going counts once).</summary>
    public long FalseAlarms { get; init; }

    /// <summary>False alarms per 1,000 normal points; 0 when there is no normal point.</summary>
    public double FalseAlarmsPer1000Normal => NormalPoints == 0 ? 0 : FalseAlarms * 1000.0 / NormalPoints;

    /// <summary>Sum over series of (latest − first timestamp).</summary>
    public TimeSpan ObservedDuration { get; init; }

    /// <summary>False alarms per day of <see cref="ObservedDuration"/>; null while that duration is zero.</summary>
    public double? FalseAlarmsPerDay => ObservedDuration > TimeSpan.Zero ? FalseAlarms / ObservedDuration.TotalDays : null;

    // ---- range-based ----

    /// <summary>
    /// Range-based precision/recall/F1 (Tatbul et al.) from closed ranges only: recall is the mean over closed events,
    /// precision the mean over closed predicted ranges; counts are closed ranges. Each term is final once its range has
    /// closed (a closed event's overlap and cardinality cannot change).
    /// </summary>
    public required RangeScores RangeScoresFinal { get; init; }

    /// <summary>
    /// Range-based scores with every open event and open predicted range treated as if it ended at the latest point of
    /// its series: exactly <see cref="RangeMetrics.Compute(IReadOnlyList{bool[]}, IReadOnlyList{int?[]}?, IReadOnlyList{bool[]}, RangeMetricOptions?)"/>
    /// on the input seen so far. Equals <see cref="RangeScoresFinal"/> when nothing is open.
    /// </summary>
    public required RangeScores RangeScoresProvisional { get; init; }
}
