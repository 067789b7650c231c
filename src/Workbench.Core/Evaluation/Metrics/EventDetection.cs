namespace Workbench.Evaluation.Metrics;

/// <summary>One labelled event and whether and when the flags found it.</summary>
/// <param name="Series">Index of the series (position in the input lists; 0 for single-series calls).</param>
/// <param name="EventId">The event id from the input, or null when events were taken as maximal labelled runs.</param>
/// <param name="StartRow">Row of the event's first labelled point within its series.</param>
/// <param name="EndRow">Row of the event's last labelled point (inclusive).</param>
/// <param name="PointCount">Labelled points belonging to the event (EndRow − StartRow + 1 for a contiguous event).</param>
/// <param name="FirstFlagRow">Row of the first flagged point of the event, or null when none is flagged (undetected).</param>
/// <param name="DelayRows">FirstFlagRow − StartRow (0 = flagged at onset), or null when undetected.</param>
/// <param name="Delay">Time from the event's first timestamp to the first flag's timestamp; null when undetected or no timestamps were given.</param>
public sealed record EventDetection(
    int Series, int? EventId, int StartRow, int EndRow, int PointCount, int? FirstFlagRow, int? DelayRows, TimeSpan? Delay)
{
    /// <summary>Whether at least one point of the event is flagged.</summary>
    public bool Detected => FirstFlagRow.HasValue;
}
