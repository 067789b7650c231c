using Workbench.Evaluation.Nab;
using Workbench.Import;

namespace Workbench.Tests.Evaluation.Nab;

/// <summary>Small synthetic NAB files built by row index.</summary>
internal static class NabTestData
{
    public static readonly DateTime Origin = new(2014, 7, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The windows of realKnownCause/nyc_taxi.csv in rows (nab-scoring.md 7.1).</summary>
    public static readonly (int Start, int End)[] NycTaxiWindows =
        [(5839, 6045), (7080, 7286), (8423, 8629), (8731, 8937), (9977, 10183)];

    public static DateTime[] Timestamps(int n)
    {
        var ts = new DateTime[n];
        for (var i = 0; i < n; i++)
        {
            ts[i] = Origin.AddMinutes(30.0 * i);
        }

        return ts;
    }

    public static NabWindow[] Windows(DateTime[] ts, params (int Start, int End)[] rows)
    {
        var result = new NabWindow[rows.Length];
        for (var w = 0; w < rows.Length; w++)
        {
            result[w] = new NabWindow(ts[rows[w].Start], ts[rows[w].End]);
        }

        return result;
    }

    /// <summary>A file of n rows scoring 1.0 on <paramref name="detections"/> and 0.0 elsewhere.</summary>
    public static NabFileInput File(string name, int n, (int Start, int End)[] windows, params int[] detections)
    {
        var ts = Timestamps(n);
        var scores = new double[n];
        foreach (var d in detections)
        {
            scores[d] = 1.0;
        }

        return new NabFileInput(name, ts, scores, Windows(ts, windows));
    }
}
