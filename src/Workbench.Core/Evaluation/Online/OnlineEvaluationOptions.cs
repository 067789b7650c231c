using Workbench.Evaluation.Metrics;

namespace Workbench.Evaluation.Online;

/// <summary>
/// Configuration of <see cref="OnlineEvaluationObservable.EvaluateOnline"/>, <see cref="OnlineEvaluation.Run"/> and
/// <see cref="OnlineEvaluator"/>; captured (and validated) when the pipeline is built. Defaults: a snapshot after every
/// input plus the final one, no extra snapshot on event close, event ids honoured, default
/// <see cref="RangeMetricOptions"/>.
/// </summary>
public sealed record OnlineEvaluationOptions
{
    /// <summary>The defaults.</summary>
    public static OnlineEvaluationOptions Default { get; } = new();

    /// <summary>Parameters of the range-based (Tatbul) precision and recall. Default <c>new RangeMetricOptions()</c> (α = 0, flat bias, reciprocal γ).</summary>
    public RangeMetricOptions Range { get; init; } = new();

    /// <summary>
    /// Emit a snapshot after every <c>EmitEvery</c>-th input (counted over all series): 1 = after every input (default),
    /// 0 = never by count (only on event close, when <see cref="EmitOnEventClose"/> is set, and the final snapshot).
    /// Range 0 .. <see cref="int.MaxValue"/>.
    /// </summary>
    public int EmitEvery { get; init; } = 1;

    /// <summary>
    /// Also emit a snapshot after an input that closes a labelled event (in any series). Default false. The final
    /// snapshot at completion is always emitted.
    /// </summary>
    public bool EmitOnEventClose { get; init; }

    /// <summary>
    /// Whether <see cref="Core.AnomalyLabel.EventId"/> defines events (default true). True: a series whose labelled points
    /// carry ids groups them by id, exactly as <see cref="EventMetrics"/> with event ids; a series whose labelled points
    /// carry none uses maximal runs; mixing the two within a series, or an id on a normal point, is an error. False: ids
    /// are ignored and every event is a maximal run of labelled points (as <see cref="EventMetrics"/> with null ids).
    /// </summary>
    public bool UseEventIds { get; init; } = true;

    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> when <see cref="Range"/> is null, <see cref="ArgumentOutOfRangeException"/>
    /// when <see cref="EmitEvery"/> is negative or the range options are invalid.
    /// </summary>
    public void Validate()
    {
        if (Range is null)
        {
            throw new ArgumentNullException(nameof(Range), "range metric options are required");
        }

        Range.Validate();
        if (EmitEvery < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(EmitEvery), EmitEvery, "emitEvery must be >= 0 (0 = never by count)");
        }
    }
}
