using Workbench.Core;

namespace Workbench.Generation;

/// <summary>The outcome of <see cref="AnomalyInjector.Inject(string, ReadOnlySpan{DateTime}, Span{double?}, Span{AnomalyLabel}, IReadOnlyList{AnomalyInjection}, ConflictPolicy, int)"/>.</summary>
/// <param name="Events">The events that started, in time order, with their covered length (an event truncated by a
/// conflict or by the end of the array covers fewer points than its options ask).</param>
/// <param name="EventsSkipped">Events not started under <see cref="ConflictPolicy.Skip"/>.</param>
/// <param name="EventsTruncated">Events ended early at a labelled point under <see cref="ConflictPolicy.Skip"/>.</param>
/// <param name="PointsLabelled">Points changed and labelled.</param>
public sealed record InjectionResult(IReadOnlyList<InjectedEvent> Events, long EventsSkipped, long EventsTruncated, long PointsLabelled);

/// <summary>
/// Anomaly injection on the arrays of one series: a value span and a label span of equal length, index <c>i</c>
/// being the series' observation <c>i</c> (or <c>firstIndex + i</c>). The Rx operators of
/// <see cref="InjectionObservableExtensions"/> run the same per-series logic, so for the same input and injections
/// both give identical values, labels and event ids.
/// </summary>
public static class AnomalyInjector
{
    /// <summary>
    /// Applies <paramref name="injections"/> to one series, like the Rx operator <c>InjectAnomalies</c> would on the
    /// same observations. Atomic: on an exception the spans are left untouched.
    /// </summary>
    /// <param name="series">The series name (selects triggers and seeds their per-series streams).</param>
    /// <param name="timestamps">The observation timestamps (used by <see cref="InjectionTriggerMode.AtTimestamp"/>); same length as <paramref name="values"/>.</param>
    /// <param name="values">The values, changed in place; null means missing.</param>
    /// <param name="labels">The labels, changed in place; a labelled point is never overwritten.</param>
    /// <param name="injections">The injections, evaluated in list order at each observation.</param>
    /// <param name="policy">What to do when an event meets an already-labelled point.</param>
    /// <param name="firstEventId">The smallest event id to assign (≥ 0, default 0); ids also stay above every id seen
    /// so far in the series. Set it above the ids of an already-labelled input to avoid an id clash.</param>
    /// <exception cref="InjectionConflictException">A conflict under <see cref="ConflictPolicy.Fail"/>, or an event id clash.</exception>
    public static InjectionResult Inject(
        string series,
        ReadOnlySpan<DateTime> timestamps,
        Span<double?> values,
        Span<AnomalyLabel> labels,
        IReadOnlyList<AnomalyInjection> injections,
        ConflictPolicy policy = ConflictPolicy.Fail,
        int firstEventId = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(series);
        var checkedInjections = CheckInjections(injections, nameof(injections));
        CheckPolicy(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(firstEventId);
        if (timestamps.Length != values.Length || labels.Length != values.Length)
        {
            throw new ArgumentException($"timestamps ({timestamps.Length}), values ({values.Length}) and labels ({labels.Length}) must have the same length.");
        }

        var newValues = values.ToArray();
        var newLabels = labels.ToArray();
        var counters = new InjectionCounters();
        var events = new List<InjectedEvent>();
        var injector = new SeriesInjector(series, checkedInjections, policy, firstEventId, counters, events);
        for (var i = 0; i < newValues.Length; i++)
        {
            injector.Process(timestamps[i], ref newValues[i], ref newLabels[i]);
        }

        injector.Finish();
        newValues.CopyTo(values);
        newLabels.CopyTo(labels);
        return new InjectionResult(events, counters.EventsSkipped, counters.EventsTruncated, counters.PointsLabelled);
    }

    /// <summary>Applies one injection; see the list overload.</summary>
    public static InjectionResult Inject(
        string series,
        ReadOnlySpan<DateTime> timestamps,
        Span<double?> values,
        Span<AnomalyLabel> labels,
        AnomalyInjection injection,
        ConflictPolicy policy = ConflictPolicy.Fail,
        int firstEventId = 0)
    {
        ArgumentNullException.ThrowIfNull(injection);
        return Inject(series, timestamps, values, labels, [injection], policy, firstEventId);
    }

    /// <summary>
    /// Applies one already-placed event (as planned by the generator) to a window of its series: span index
    /// <c>i</c> is series index <c>firstIndex + i</c>; the part of the event outside the window is ignored. Changed
    /// points get the event's label. Atomic: the window is checked for labelled points first.
    /// </summary>
    /// <returns>The number of points changed and labelled.</returns>
    /// <exception cref="InjectionConflictException">A point of the window covered by the event is already labelled.</exception>
    public static int Apply(InjectedEvent injectedEvent, Span<double?> values, Span<AnomalyLabel> labels, long firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(injectedEvent);
        injectedEvent.Options.Validate();
        if (injectedEvent.Options.NeedsDirection)
        {
            throw new ArgumentException("The event's direction must be Up or Down, not Random.", nameof(injectedEvent));
        }

        if (labels.Length != values.Length)
        {
            throw new ArgumentException($"values ({values.Length}) and labels ({labels.Length}) must have the same length.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        var from = Math.Max(injectedEvent.Start, firstIndex);
        var to = Math.Min(injectedEvent.End, firstIndex + values.Length);
        for (var t = from; t < to; t++)
        {
            var label = labels[(int)(t - firstIndex)];
            if (label.IsAnomaly)
            {
                throw new InjectionConflictException(injectedEvent.Series, t, null, injectedEvent.Kind, InjectionConflictReason.LabelledPoint,
                    $"event {injectedEvent.EventId} would cover an observation already labelled {label}");
            }
        }

        var labelled = 0;
        var eventLabel = injectedEvent.Label;
        for (var t = from; t < to; t++)
        {
            var i = (int)(t - firstIndex);
            var changed = injectedEvent.Options.Apply(t, t - injectedEvent.Start, values[i]);
            if (InjectionOptions.IsChange(values[i], changed))
            {
                values[i] = changed;
                labels[i] = eventLabel;
                labelled++;
            }
        }

        return labelled;
    }

    internal static AnomalyInjection[] CheckInjections(IEnumerable<AnomalyInjection> injections, string paramName)
    {
        ArgumentNullException.ThrowIfNull(injections, paramName);
        var array = injections.ToArray();
        if (array.Length == 0)
        {
            throw new ArgumentException("At least one injection is required.", paramName);
        }

        foreach (var injection in array)
        {
            if (injection is null)
            {
                throw new ArgumentException("An injection is null.", paramName);
            }

            injection.Validate();
        }

        return array;
    }

    internal static void CheckPolicy(ConflictPolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not a defined ConflictPolicy.");
        }
    }
}
