namespace Workbench.Core;

/// <summary>
/// Counts over a labelled dataset: rows, series, missing values, labelled points and distinct events per kind.
/// Built in one streaming pass over batches (<see cref="Add(ObservationBatch)"/>), so any file size works.
/// </summary>
public sealed class DatasetSummary
{
    /// <summary>Key used for anomalous points whose kind is not recorded.</summary>
    public const string UnknownKind = "unknown";

    private readonly SortedDictionary<string, long> _points = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(int Series, int Event)>> _events = new(StringComparer.Ordinal);
    private readonly HashSet<int> _seriesSeen = [];
    private long _seriesWithAnomalies;
    private bool[] _anomalousSeries = [];

    /// <summary>Rows seen.</summary>
    public long Rows { get; private set; }

    /// <summary>Distinct series seen.</summary>
    public int Series => _seriesSeen.Count;

    /// <summary>Series with at least one labelled point.</summary>
    public long SeriesWithAnomalies => _seriesWithAnomalies;

    /// <summary>Rows whose value is missing (null).</summary>
    public long MissingValues { get; private set; }

    /// <summary>Earliest timestamp seen (null when empty).</summary>
    public DateTime? First { get; private set; }

    /// <summary>Latest timestamp seen (null when empty).</summary>
    public DateTime? Last { get; private set; }

    /// <summary>Labelled points per kind name.</summary>
    public IReadOnlyDictionary<string, long> AnomalyPoints => _points;

    /// <summary>Distinct (series, anomaly id) events per kind name.</summary>
    public IReadOnlyDictionary<string, long> AnomalyEvents =>
        _events.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => (long)e.Value.Count);

    /// <summary>Adds a batch's rows to the counts.</summary>
    public void Add(ObservationBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_anomalousSeries.Length < batch.SeriesNames.Count)
        {
            Array.Resize(ref _anomalousSeries, batch.SeriesNames.Count);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var s = batch.SeriesIds[i];
            _seriesSeen.Add(s);
            var ts = batch.Timestamps[i];
            if (First is null || ts < First)
            {
                First = ts;
            }

            if (Last is null || ts > Last)
            {
                Last = ts;
            }

            if (!batch.Values[i].HasValue)
            {
                MissingValues++;
            }

            if (batch.IsAnomaly[i])
            {
                var kind = batch.Kinds[i]?.Name ?? UnknownKind;
                _points[kind] = _points.GetValueOrDefault(kind) + 1;
                if (!_events.TryGetValue(kind, out var set))
                {
                    _events[kind] = set = [];
                }

                set.Add((s, batch.AnomalyIds[i] ?? -1));
                if (!_anomalousSeries[s])
                {
                    _anomalousSeries[s] = true;
                    _seriesWithAnomalies++;
                }
            }
        }

        Rows += batch.Count;
    }

    /// <summary>Summarises all <paramref name="batches"/>.</summary>
    public static DatasetSummary Of(IEnumerable<ObservationBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var summary = new DatasetSummary();
        foreach (var batch in batches)
        {
            summary.Add(batch);
        }

        return summary;
    }
}
