using Workbench.Core;

namespace Workbench.Import;

/// <summary>What a NAB import did, with every repair counted.</summary>
/// <param name="Files">Data files read (one series each).</param>
/// <param name="Rows">Rows read and written (every row is kept).</param>
/// <param name="Windows">Labelled windows over all files.</param>
/// <param name="SeriesWithWindows">Series with at least one window.</param>
/// <param name="AnomalousRows">Rows inside a window.</param>
/// <param name="ReorderedRows">Rows whose position within their series changed because the file's timestamps go
/// backwards there (they are stably sorted by timestamp; NAB's machine_temperature_system_failure repeats an hour).</param>
/// <param name="DuplicateTimestampRows">Rows whose timestamp equals the previous row's in the same series after
/// sorting (kept, in file order; the dataset is written with the duplicate-timestamp policy <c>keep</c>).</param>
public sealed record NabImportReport(
    int Files, long Rows, int Windows, int SeriesWithWindows, long AnomalousRows, long ReorderedRows, long DuplicateTimestampRows);

/// <summary>
/// Converts the NAB corpus into labelled observations: series = the file's path under <c>data/</c> without
/// <c>.csv</c>; a row is anomalous when its timestamp lies inside a labelled window (ends inclusive), with kind
/// <see cref="AnomalyKind.LabelledWindow"/> and anomaly id = the window's index within its file. Every row is
/// kept. Output is in canonical order (timestamp, then series id = the file's index in key order).
/// </summary>
public sealed class NabImporter
{
    private readonly NabCorpus _corpus;
    private readonly int[][] _order;

    /// <summary>Prepares the import of <paramref name="corpus"/> (sorts each series stably by timestamp).</summary>
    public NabImporter(NabCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        _corpus = corpus;
        SeriesNames = corpus.Files.Select(f => f.Series).ToArray();
        _order = new int[corpus.Files.Count][];
        long reordered = 0, duplicates = 0, anomalous = 0;
        for (var s = 0; s < corpus.Files.Count; s++)
        {
            var file = corpus.Files[s];
            var order = Enumerable.Range(0, file.Count).ToArray();
            // Stable sort by timestamp (Array.Sort is not stable: sort by (timestamp, file row)).
            var keys = new (DateTime, int)[file.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = (file.Timestamps[i], i);
            }

            Array.Sort(keys, order);
            for (var i = 0; i < order.Length; i++)
            {
                if (order[i] != i)
                {
                    reordered++;
                }

                if (i > 0 && file.Timestamps[order[i]] == file.Timestamps[order[i - 1]])
                {
                    duplicates++;
                }

                if (file.WindowIndexOf(file.Timestamps[i]) >= 0)
                {
                    anomalous++;
                }
            }

            _order[s] = order;
        }

        Report = new NabImportReport(
            corpus.Files.Count, corpus.RowCount, corpus.WindowCount, corpus.Files.Count(f => f.Windows.Count > 0),
            anomalous, reordered, duplicates);
    }

    /// <summary>The series table (index = series id), in the corpus' key order.</summary>
    public IReadOnlyList<string> SeriesNames { get; }

    /// <summary>The import's counts.</summary>
    public NabImportReport Report { get; }

    /// <summary>A recipe describing this import, for the dataset metadata.</summary>
    public DatasetRecipe Recipe => DatasetRecipe.Create(
        "import-nab",
        $"{{\"files\":{Report.Files},\"rows\":{Report.Rows},\"windows\":{Report.Windows},\"timestamps\":\"UTC (NAB's are zoneless)\"," +
        $"\"reorderedRows\":{Report.ReorderedRows},\"duplicateTimestampRows\":{Report.DuplicateTimestampRows}}}",
        null);

    /// <summary>
    /// The observations as batches of at most <paramref name="batchRows"/> rows in canonical order: a k-way merge
    /// of the series by (timestamp, series id); within a series, rows with equal timestamps keep file order.
    /// </summary>
    public IEnumerable<ObservationBatch> ReadBatches(int batchRows = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        var files = _corpus.Files;
        var cursor = new int[files.Count];
        var heap = new PriorityQueue<int, (DateTime, int)>(files.Count);
        for (var s = 0; s < files.Count; s++)
        {
            if (files[s].Count > 0)
            {
                heap.Enqueue(s, (files[s].Timestamps[_order[s][0]], s));
            }
        }

        var batch = new ObservationBatch(SeriesNames, batchRows);
        while (heap.TryDequeue(out var s, out _))
        {
            var file = files[s];
            var row = _order[s][cursor[s]++];
            var ts = file.Timestamps[row];
            var window = file.WindowIndexOf(ts);
            var label = window >= 0 ? AnomalyLabel.Anomaly(AnomalyKind.LabelledWindow, window) : AnomalyLabel.Normal;
            batch.Add(s, ts, file.Values[row], label);
            if (cursor[s] < file.Count)
            {
                heap.Enqueue(s, (file.Timestamps[_order[s][cursor[s]]], s));
            }

            if (batch.Count == batchRows)
            {
                yield return batch;
                batch = new ObservationBatch(SeriesNames, batchRows);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
