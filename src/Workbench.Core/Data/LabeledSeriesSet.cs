using Workbench.Core;

namespace Workbench.Data;

/// <summary>
/// One series held in memory as parallel columns: the shape evaluation, charts and notebooks work on.
/// Rows are in the order they were read (time order for files written by Workbench).
/// </summary>
public sealed class LabeledSeries
{
    private bool[]? _isAnomaly;
    private int?[]? _eventIds;

    /// <summary>Creates a series from columns of equal length.</summary>
    /// <exception cref="ArgumentException">The columns differ in length or the name is empty.</exception>
    public LabeledSeries(string name, DateTime[] timestamps, double?[] values, AnomalyLabel[] labels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(labels);
        if (values.Length != timestamps.Length || labels.Length != timestamps.Length)
        {
            throw new ArgumentException(
                $"Series '{name}': {timestamps.Length} timestamps, {values.Length} values and {labels.Length} labels; they must be equal.");
        }

        Name = name;
        Timestamps = timestamps;
        Values = values;
        Labels = labels;
    }

    /// <summary>The series id.</summary>
    public string Name { get; }

    /// <summary>UTC timestamps, one per row.</summary>
    public DateTime[] Timestamps { get; }

    /// <summary>Values, null where missing.</summary>
    public double?[] Values { get; }

    /// <summary>Ground-truth labels, one per row.</summary>
    public AnomalyLabel[] Labels { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Timestamps.Length;

    /// <summary><see cref="AnomalyLabel.IsAnomaly"/> of every row (computed once).</summary>
    public bool[] IsAnomaly => _isAnomaly ??= Array.ConvertAll(Labels, l => l.IsAnomaly);

    /// <summary><see cref="AnomalyLabel.EventId"/> of every row (computed once).</summary>
    public int?[] EventIds => _eventIds ??= Array.ConvertAll(Labels, l => l.EventId);

    /// <summary>True when at least one labelled row carries an event id (then events are grouped by id, not by runs).</summary>
    public bool HasEventIds => Array.Exists(Labels, l => l.IsAnomaly && l.EventId.HasValue);

    /// <summary>The rows as observations.</summary>
    public IEnumerable<LabeledObservation> Observations()
    {
        for (var i = 0; i < Timestamps.Length; i++)
        {
            yield return new LabeledObservation(Name, Timestamps[i], Values[i], Labels[i]);
        }
    }
}

/// <summary>
/// A labelled dataset held in memory, split by series (series in order of first appearance).
/// Memory is about 40 bytes per row, so this suits evaluation-sized data (millions of rows), not the
/// 100-million-row files that streaming replay handles.
/// </summary>
public sealed class LabeledSeriesSet
{
    /// <summary>Creates a set from series with distinct names.</summary>
    /// <exception cref="ArgumentException">Two series share a name.</exception>
    public LabeledSeriesSet(string name, IReadOnlyList<LabeledSeries> series)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(series);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(series));
            if (!seen.Add(s.Name))
            {
                throw new ArgumentException($"Dataset '{name}': series '{s.Name}' appears twice.", nameof(series));
            }
        }

        Name = name;
        Series = series;
    }

    /// <summary>The dataset's name (for a file, its file name without extension).</summary>
    public string Name { get; }

    /// <summary>The series.</summary>
    public IReadOnlyList<LabeledSeries> Series { get; }

    /// <summary>Total rows over all series.</summary>
    public long RowCount => Series.Sum(s => (long)s.Count);

    /// <summary>Reads a whole labelled dataset — a file, a part folder or a glob (see docs/DATASET_FORMAT.md) — into memory.</summary>
    /// <exception cref="DatasetFormatException">The file is not a valid labelled dataset (names file, row and field).</exception>
    public static async Task<LabeledSeriesSet> LoadAsync(string path, DatasetReaderOptions? options = null, CancellationToken ct = default)
    {
        await using var reader = await DatasetPartsReader.OpenAsync(path, options, ct).ConfigureAwait(false);
        var builders = new Builder[reader.SeriesNames.Count];
        var order = new List<int>();
        await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var id = batch.SeriesIds[i];
                var b = builders[id];
                if (b is null)
                {
                    b = builders[id] = new Builder();
                    order.Add(id);
                }

                b.Timestamps.Add(batch.Timestamps[i]);
                b.Values.Add(batch.Values[i]);
                b.Labels.Add(new AnomalyLabel(batch.IsAnomaly[i], batch.Kinds[i], batch.AnomalyIds[i]));
            }
        }

        var series = order.Select(id => builders[id].Build(reader.SeriesNames[id])).ToList();
        return new LabeledSeriesSet(reader.Location.IsMultiPart && !DatasetLocation.IsGlob(path)
            ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)))
            : Path.GetFileNameWithoutExtension(path), series);
    }

    /// <summary>Groups observations by series, keeping their order within each series.</summary>
    public static LabeledSeriesSet FromObservations(string name, IEnumerable<LabeledObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var builders = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var o in observations)
        {
            if (!builders.TryGetValue(o.Series, out var b))
            {
                builders.Add(o.Series, b = new Builder());
                order.Add(o.Series);
            }

            b.Timestamps.Add(o.Timestamp);
            b.Values.Add(o.Value);
            b.Labels.Add(o.Label);
        }

        return new LabeledSeriesSet(name, order.Select(n => builders[n].Build(n)).ToList());
    }

    private sealed class Builder
    {
        public List<DateTime> Timestamps { get; } = [];

        public List<double?> Values { get; } = [];

        public List<AnomalyLabel> Labels { get; } = [];

        public LabeledSeries Build(string name) => new(name, [.. Timestamps], [.. Values], [.. Labels]);
    }
}
