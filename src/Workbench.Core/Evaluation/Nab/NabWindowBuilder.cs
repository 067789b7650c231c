using Workbench.Import;

namespace Workbench.Evaluation.Nab;

/// <summary>
/// Builds NAB windows from anomaly points as NAB's labeler does (<c>nab-scoring.md</c> section 2, steps 3-6):
/// window length L = trunc(0.10 n / k) rows for k points in n rows, half-width h = floor(L / 2), each window centred
/// on its point and clipped to the file, the first window dropped if it starts inside the probationary period,
/// then overlapping or touching windows merged in one left-to-right pass. Step 1 (combining several labellers'
/// marks) and NAB's manual override for one file are not part of this: pass the final anomaly points.
/// </summary>
public static class NabWindowBuilder
{
    /// <summary>
    /// The windows, as inclusive row ranges in row order, for anomaly points at <paramref name="anomalyRows"/>
    /// (any order; each in [0, n)) in a file of <paramref name="rowCount"/> rows. No points ⇒ no windows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A row is outside the file.</exception>
    public static (int Start, int End)[] WindowRows(int rowCount, IReadOnlyList<int> anomalyRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentNullException.ThrowIfNull(anomalyRows);
        var k = anomalyRows.Count;
        if (k == 0)
        {
            return [];
        }

        var points = new int[k];
        for (var j = 0; j < k; j++)
        {
            var a = anomalyRows[j];
            if (a < 0 || a >= rowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(anomalyRows), $"NAB labeler: anomaly point {j} at row {a} is outside the file's {rowCount} rows");
            }

            points[j] = a;
        }

        Array.Sort(points);
        var length = (int)Math.Truncate(0.10 * rowCount / k);
        var half = length / 2;
        var windows = new List<(int Start, int End)>(k);
        foreach (var a in points)
        {
            windows.Add((Math.Max(a - half, 0), Math.Min(a + half, rowCount - 1)));
        }

        if (windows[0].Start < NabScorer.ProbationaryRows(rowCount))
        {
            windows.RemoveAt(0);
        }

        var merged = new List<(int Start, int End)>(windows.Count);
        foreach (var w in windows)
        {
            if (merged.Count > 0 && w.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = (Math.Min(last.Start, w.Start), Math.Max(last.End, w.End));
            }
            else
            {
                merged.Add(w);
            }
        }

        return [.. merged];
    }

    /// <summary>
    /// The windows, as timestamps of their first and last rows, for anomaly points given by timestamp.
    /// Each point is located at the first row carrying exactly its timestamp.
    /// </summary>
    /// <param name="timestamps">The file's row timestamps in file order.</param>
    /// <param name="anomalies">The anomaly points' timestamps (as in <c>combined_labels.json</c>).</param>
    /// <param name="fileName">Named in the error when a point is not a row of the file.</param>
    /// <exception cref="ArgumentException">A point's timestamp is not a row of the file.</exception>
    public static NabWindow[] Windows(DateTime[] timestamps, IReadOnlyList<DateTime> anomalies, string fileName = "(file)")
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(anomalies);
        var rows = new int[anomalies.Count];
        for (var j = 0; j < rows.Length; j++)
        {
            rows[j] = Array.IndexOf(timestamps, anomalies[j]);
            if (rows[j] < 0)
            {
                throw new ArgumentException($"NAB labeler: file '{fileName}': anomaly point {j} at {anomalies[j]:O} is not a row of the file", nameof(anomalies));
            }
        }

        var ranges = WindowRows(timestamps.Length, rows);
        var result = new NabWindow[ranges.Length];
        for (var w = 0; w < ranges.Length; w++)
        {
            result[w] = new NabWindow(timestamps[ranges[w].Start], timestamps[ranges[w].End]);
        }

        return result;
    }
}
