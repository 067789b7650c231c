using Workbench.Core;
using Workbench.Data;

namespace Workbench.Import;

/// <summary>The NAB corpus as an in-memory <see cref="LabeledSeriesSet"/>, for the general evaluation metrics.</summary>
public static class NabSeriesSet
{
    /// <summary>
    /// One series per NAB file (named by <see cref="NabFile.Series"/>, e.g. <c>realKnownCause/nyc_taxi</c>), rows in time
    /// order: like <see cref="NabImporter"/>, the few rows that go back in time are moved (stably) next to their timestamp,
    /// so the result can differ from NAB's own file order in those rows. A row inside a labelled window is an anomaly of kind
    /// <see cref="AnomalyKind.LabelledWindow"/> whose event id is the window's index in its file, as
    /// <see cref="NabImporter"/> labels it.
    /// </summary>
    public static LabeledSeriesSet ToSeriesSet(this NabCorpus corpus, string name = "nab")
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var series = new List<LabeledSeries>(corpus.Files.Count);
        foreach (var file in corpus.Files)
        {
            var n = file.Count;
            var order = TimeOrder(file);
            var keys = new DateTime[n];
            for (var i = 0; i < n; i++) { keys[i] = file.Timestamps[order[i]]; }

            var values = new double?[n];
            var labels = new AnomalyLabel[n];
            for (var i = 0; i < n; i++)
            {
                var row = order[i];
                values[i] = file.Values[row];
                var window = file.WindowIndexOf(keys[i]);
                labels[i] = window >= 0 ? AnomalyLabel.Anomaly(AnomalyKind.LabelledWindow, window) : AnomalyLabel.Normal;
            }

            series.Add(new LabeledSeries(file.Series, keys, values, labels));
        }

        return new LabeledSeriesSet(name, series);
    }

    /// <summary>
    /// The rows of <paramref name="file"/> in time order: <c>order[i]</c> is the file row that becomes row <c>i</c> of its
    /// series in <see cref="ToSeriesSet"/> (a stable sort: equal timestamps keep the file's order).
    /// </summary>
    public static int[] TimeOrder(NabFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var n = file.Count;
        var order = new int[n];
        for (var i = 0; i < n; i++) { order[i] = i; }
        var keys = (DateTime[])file.Timestamps.Clone();
        Array.Sort(keys, order, Comparer<DateTime>.Default);

        // Array.Sort is not stable: restore file order among equal timestamps.
        for (var i = 0; i < n;)
        {
            var j = i + 1;
            while (j < n && keys[j] == keys[i]) { j++; }
            if (j - i > 1) { Array.Sort(order, i, j - i); }
            i = j;
        }

        return order;
    }
}
