using System.Collections;
using System.Globalization;
using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// Small in-memory replay sources for tests and notebooks, and conversions between observation and batch
/// sources. Every source returned here can be enumerated any number of times (as a backward seek needs).
/// </summary>
public static class ObservationSource
{
    /// <summary>
    /// Wraps an array of observations, after checking it is a valid replay source (UTC timestamps in
    /// non-decreasing order, every observation with a series). The array is not copied: do not change it while a
    /// replay reads it. Replays read such a source by index, with no enumerator.
    /// </summary>
    /// <exception cref="ReplaySourceException">An observation breaks the contract (<see cref="ObservationOrderException"/> for order).</exception>
    public static IReadOnlyList<LabeledObservation> FromArray(LabeledObservation[] observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        using var cursor = ObservationCursor.For(observations)();
        while (cursor.MoveNext())
        {
        }

        return new InMemoryObservations(observations);
    }

    /// <summary>
    /// One regular series: observation <c>i</c> has timestamp <c>start + i·step</c>, value <c>values[i]</c> and
    /// label <c>labels[i]</c> (normal when <paramref name="labels"/> is null).
    /// </summary>
    /// <param name="series">The series id; not empty.</param>
    /// <param name="start">The first timestamp; UTC.</param>
    /// <param name="step">The spacing; positive.</param>
    /// <param name="values">The values; null means missing; never NaN or infinite.</param>
    /// <param name="labels">The labels, as many as values; null for all normal.</param>
    /// <exception cref="ArgumentException">An argument is out of its range, a value is NaN/infinite, or the counts differ.</exception>
    public static IReadOnlyList<LabeledObservation> FromSeries(
        string series, DateTime start, TimeSpan step, IReadOnlyList<double?> values, IReadOnlyList<AnomalyLabel>? labels = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(series);
        ArgumentNullException.ThrowIfNull(values);
        if (start.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"The start must be UTC (DateTimeKind.Utc), not {start.Kind}.", nameof(start));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        if (labels is not null && labels.Count != values.Count)
        {
            throw new ArgumentException($"There are {labels.Count} labels for {values.Count} values.", nameof(labels));
        }

        if (values.Count > 0 && (DateTime.MaxValue - start).Ticks / step.Ticks < values.Count - 1)
        {
            throw new ArgumentException($"{values.Count} steps of {step} from {start:O} pass DateTime.MaxValue.", nameof(values));
        }

        var items = new LabeledObservation[values.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var v = values[i];
            if (v is { } x && !double.IsFinite(x))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Value {i} of series '{series}' is {x}; values must be finite (null for missing)."),
                    nameof(values));
            }

            items[i] = new LabeledObservation(series, start.AddTicks(step.Ticks * i), v, labels is null ? AnomalyLabel.Normal : labels[i]);
        }

        return new InMemoryObservations(items);
    }

    /// <summary>
    /// The rows of a batch source as observations, pulling one batch at a time. Each row is copied out when it is
    /// yielded, so the producer may reuse a batch object once the enumeration has moved past it.
    /// </summary>
    public static IEnumerable<LabeledObservation> FromBatches(IEnumerable<ObservationBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return Iterate(batches);

        static IEnumerable<LabeledObservation> Iterate(IEnumerable<ObservationBatch> batches)
        {
            foreach (var batch in batches)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    yield return batch[i];
                }
            }
        }
    }

    /// <summary>
    /// Cuts an observation source into batches of up to <paramref name="batchSize"/> rows, the way a file reader
    /// yields them: ONE batch object is reused for every batch (cleared and refilled when the enumeration moves on),
    /// and the series table grows as new series appear (ids in order of first appearance).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public static IEnumerable<ObservationBatch> ToBatches(IEnumerable<LabeledObservation> source, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Iterate(source, batchSize);

        static IEnumerable<ObservationBatch> Iterate(IEnumerable<LabeledObservation> source, int batchSize)
        {
            var names = new List<string>();
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var batch = new ObservationBatch(names, batchSize);
            foreach (var o in source)
            {
                if (batch.Count == batchSize)
                {
                    yield return batch;
                    batch.Clear();
                }

                if (!ids.TryGetValue(o.Series, out var id))
                {
                    id = names.Count;
                    names.Add(o.Series);
                    ids.Add(o.Series, id);
                }

                batch.Add(id, o.Timestamp, o.Value, o.Label);
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }
}

/// <summary>An array of observations exposed read-only; replays read it by index.</summary>
internal sealed class InMemoryObservations(LabeledObservation[] items) : IReadOnlyList<LabeledObservation>
{
    public LabeledObservation[] Items { get; } = items;

    public int Count => Items.Length;

    public LabeledObservation this[int index] => Items[index];

    public IEnumerator<LabeledObservation> GetEnumerator() => ((IEnumerable<LabeledObservation>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
