using Workbench.Evaluation.Metrics;

namespace Workbench.Evaluation.Breakdown;

/// <summary>Event-wise figures of the events of one anomaly kind (pooled over series).</summary>
/// <param name="EventCount">Labelled events of this kind.</param>
/// <param name="DetectedCount">Of those, events with at least one flagged point.</param>
/// <param name="Recall">DetectedCount / EventCount, in [0, 1].</param>
/// <param name="MeanDelayRows">Mean detection delay in rows over detected events of this kind; null when none is detected.</param>
/// <param name="MedianDelayRows">Median detection delay in rows; null when none is detected.</param>
/// <param name="MeanDelay">Mean detection delay in time; null when none is detected or no timestamps were given.</param>
/// <param name="MedianDelay">Median detection delay in time; null as for <paramref name="MeanDelay"/>.</param>
public sealed record KindScores(
    int EventCount,
    int DetectedCount,
    double Recall,
    double? MeanDelayRows,
    double? MedianDelayRows,
    TimeSpan? MeanDelay,
    TimeSpan? MedianDelay);

/// <summary>
/// Event recall and detection delay per anomaly kind, with the overall event-wise figures. False alarms belong to no
/// kind and are reported once, in <paramref name="Overall"/>.
/// </summary>
/// <param name="ByKind">Per <c>anomaly_kind</c> name (events whose kind is null under <see cref="KindBreakdownCalculator.UnknownKind"/>),
/// enumerated in ordinal order of the name. Empty when there is no labelled event.</param>
/// <param name="Overall">Event-wise figures over all events of all kinds, including the false alarms
/// (<see cref="EventScores.FalseAlarmCount"/>, per 1,000 normal points and per day).</param>
public sealed record KindBreakdown(IReadOnlyDictionary<string, KindScores> ByKind, EventScores Overall);
