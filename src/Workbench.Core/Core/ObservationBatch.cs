namespace Workbench.Core;

/// <summary>
/// A column-oriented block of labelled observations: the unit the Parquet reader and writer, the generator and
/// file replay exchange. Series are referred to by their index in <see cref="SeriesNames"/> (the dataset's
/// series table), so a hot path never compares or decodes a series string per row.
/// Rows are in the dataset's canonical order: timestamp ascending, ties by series index ascending.
/// </summary>
public sealed class ObservationBatch
{
    /// <summary>Creates a batch with room for <paramref name="capacity"/> rows.</summary>
    public ObservationBatch(IReadOnlyList<string> seriesNames, int capacity)
    {
        ArgumentNullException.ThrowIfNull(seriesNames);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        SeriesNames = seriesNames;
        SeriesIds = new int[capacity];
        Timestamps = new DateTime[capacity];
        Values = new double?[capacity];
        IsAnomaly = new bool[capacity];
        Kinds = new AnomalyKind?[capacity];
        AnomalyIds = new int?[capacity];
    }

    /// <summary>The dataset's series table: series id → series name.</summary>
    public IReadOnlyList<string> SeriesNames { get; }

    /// <summary>The number of rows in use (the arrays may be longer).</summary>
    public int Count { get; set; }

    /// <summary>The capacity of the column arrays.</summary>
    public int Capacity => SeriesIds.Length;

    public int[] SeriesIds { get; }
    public DateTime[] Timestamps { get; }
    public double?[] Values { get; }
    public bool[] IsAnomaly { get; }
    public AnomalyKind?[] Kinds { get; }
    public int?[] AnomalyIds { get; }

    /// <summary>The row <paramref name="index"/> as an observation.</summary>
    public LabeledObservation this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has {Count} rows.");
            }

            return new LabeledObservation(
                SeriesNames[SeriesIds[index]],
                Timestamps[index],
                Values[index],
                new AnomalyLabel(IsAnomaly[index], Kinds[index], AnomalyIds[index]));
        }
    }

    /// <summary>Appends one row. Throws when the batch is full.</summary>
    public void Add(int seriesId, DateTime timestamp, double? value, AnomalyLabel label)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"The batch is full ({Capacity} rows).");
        }

        var i = Count++;
        SeriesIds[i] = seriesId;
        Timestamps[i] = timestamp;
        Values[i] = value;
        IsAnomaly[i] = label.IsAnomaly;
        Kinds[i] = label.Kind;
        AnomalyIds[i] = label.EventId;
    }

    /// <summary>Empties the batch so its arrays can be reused.</summary>
    public void Clear() => Count = 0;

    /// <summary>The rows as observations, in order.</summary>
    public IEnumerable<LabeledObservation> AsObservations()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }
}
