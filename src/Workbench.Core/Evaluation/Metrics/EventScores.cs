namespace Workbench.Evaluation.Metrics;

/// <summary>Event-wise figures of flags against labelled events; see <see cref="EventMetrics.Compute(IReadOnlyList{bool[]}, IReadOnlyList{int?[]}?, IReadOnlyList{bool[]}, IReadOnlyList{DateTime[]}?)"/>.</summary>
/// <param name="Events">Every labelled event, by series then first row.</param>
/// <param name="NormalPointCount">Points not labelled as anomalous.</param>
/// <param name="FalseAlarmCount">Maximal runs of consecutive flagged normal points within a series.</param>
/// <param name="ObservedDuration">Sum over series of (last timestamp − first timestamp); null when no timestamps were given.</param>
/// <param name="MeanDelayRows">Mean of <see cref="EventDetection.DelayRows"/> over detected events; null when none is detected.</param>
/// <param name="MedianDelayRows">Median of the same (mean of the two middle values for an even count); null when none is detected.</param>
/// <param name="MeanDelay">Mean detection delay in time over detected events, rounded to the tick; null when none is detected or no timestamps.</param>
/// <param name="MedianDelay">Median detection delay in time (mean of the two middle values, truncated to the tick); null as for <paramref name="MeanDelay"/>.</param>
public sealed record EventScores(
    IReadOnlyList<EventDetection> Events,
    long NormalPointCount,
    long FalseAlarmCount,
    TimeSpan? ObservedDuration,
    double? MeanDelayRows,
    double? MedianDelayRows,
    TimeSpan? MeanDelay,
    TimeSpan? MedianDelay)
{
    /// <summary>Labelled events.</summary>
    public int EventCount => Events.Count;

    /// <summary>Events with at least one flagged point.</summary>
    public int DetectedCount
    {
        get
        {
            var n = 0;
            foreach (var e in Events) { if (e.Detected) { n++; } }
            return n;
        }
    }

    /// <summary>Events without any flagged point; they are excluded from the delay statistics.</summary>
    public int UndetectedCount => EventCount - DetectedCount;

    /// <summary>Detected events / events, in [0, 1]; 0 when there is no event (zero-division convention as <see cref="PointScores"/>).</summary>
    public double Recall => PointScores.Ratio(DetectedCount, EventCount);

    /// <summary>False alarms per 1,000 normal points; 0 when there is no normal point.</summary>
    public double FalseAlarmsPer1000Normal => NormalPointCount == 0 ? 0 : FalseAlarmCount * 1000.0 / NormalPointCount;

    /// <summary>False alarms per day of <see cref="ObservedDuration"/>; null when no timestamps were given or the duration is zero.</summary>
    public double? FalseAlarmsPerDay =>
        ObservedDuration is { } d && d > TimeSpan.Zero ? FalseAlarmCount / d.TotalDays : null;
}
