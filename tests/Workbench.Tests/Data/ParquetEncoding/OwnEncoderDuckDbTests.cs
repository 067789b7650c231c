using System.Globalization;
using Workbench.Core;
using Workbench.Data;
using Workbench.Tests.Import;

namespace Workbench.Tests.Data.ParquetEncoding;

/// <summary>
/// The writer's own Parquet encoder read by an independent engine: DuckDB reads every row of a file back exactly, and
/// the row-group statistics it sees (<c>parquet_metadata</c>) are the true minimum, maximum and null count of each chunk.
/// </summary>
public class OwnEncoderDuckDbTests
{
    // Non-ASCII names, names whose UTF-16 order differs from their UTF-8 byte order (U+FF5E vs U+1F600), and more than
    // 15 series (a list header with a varint count in the footer).
    private static readonly string[] Names =
    [
        "host-b/latency", "Ärger/temp", "host-a/cpu", "温度/sensor", "z", "～wave", "😀/emoji", "A",
        .. Enumerable.Range(0, 12).Select(i => $"extra-{i:D2}"),
    ];

    private const int RowGroupSize = 500;

    [Fact]
    public async Task DuckDb_ReadsEveryRowExactly_AndEachChunksStatisticsAreTheTrueOnes()
    {
        using var dir = new TempDir();
        var path = dir.File("own.parquet");
        var batch = Build();
        await Samples.WriteAsync(path, batch, RowGroupSize);
        var rows = batch.AsObservations().ToList();

        var csv = dir.File("rows.csv");
        DuckDb.Execute(
            $"COPY (SELECT series, series_id, epoch_ms(timestamp) AS t, value, is_anomaly, anomaly_kind, anomaly_id FROM read_parquet('{path}')) TO '{csv}' (HEADER false, NULLSTR '~')");
        var lines = File.ReadAllLines(csv);
        Assert.Equal(rows.Count, lines.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            var f = SplitCsv(lines[i]);
            var o = rows[i];
            Assert.Equal(o.Series, f[0]);
            Assert.Equal(Array.IndexOf(Names, o.Series), int.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.Equal(new DateTimeOffset(o.Timestamp).ToUnixTimeMilliseconds(), long.Parse(f[2], CultureInfo.InvariantCulture));
            Assert.Equal(o.Value, f[3] == "~" ? null : double.Parse(f[3], CultureInfo.InvariantCulture));
            Assert.Equal(o.Label.IsAnomaly, bool.Parse(f[4]));
            Assert.Equal(o.Label.Kind?.Name, f[5] == "~" ? null : f[5]);
            Assert.Equal(o.Label.EventId, f[6] == "~" ? null : int.Parse(f[6], CultureInfo.InvariantCulture));
        }

        var stats = dir.File("stats.csv");
        DuckDb.Execute(
            $"COPY (SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count, num_values FROM parquet_metadata('{path}') ORDER BY row_group_id, column_id) TO '{stats}' (HEADER false, NULLSTR '~')");
        var statLines = File.ReadAllLines(stats);
        var groups = (rows.Count + RowGroupSize - 1) / RowGroupSize;
        Assert.Equal(groups * 7, statLines.Length);
        foreach (var line in statLines)
        {
            var f = SplitCsv(line);
            var g = int.Parse(f[0], CultureInfo.InvariantCulture);
            var group = rows.Skip(g * RowGroupSize).Take(RowGroupSize).ToList();
            Assert.Equal(group.Count, int.Parse(f[5], CultureInfo.InvariantCulture));
            switch (f[1])
            {
                case "series":
                    var names = group.Select(o => o.Series).ToList();
                    Assert.Equal(Utf8Extreme(names, -1), f[2]);
                    Assert.Equal(Utf8Extreme(names, 1), f[3]);
                    Assert.Equal("0", f[4]);
                    break;
                case "series_id":
                    Assert.Equal(group.Min(o => Array.IndexOf(Names, o.Series)).ToString(CultureInfo.InvariantCulture), f[2]);
                    Assert.Equal(group.Max(o => Array.IndexOf(Names, o.Series)).ToString(CultureInfo.InvariantCulture), f[3]);
                    break;
                case "value":
                    var values = group.Where(o => o.Value.HasValue).Select(o => o.Value!.Value).ToList();
                    Assert.Equal(group.Count - values.Count, long.Parse(f[4], CultureInfo.InvariantCulture));
                    Assert.Equal(values.Count == 0 ? (double?)null : values.Min(), f[2] == "~" ? (double?)null : double.Parse(f[2], CultureInfo.InvariantCulture));
                    Assert.Equal(values.Count == 0 ? (double?)null : values.Max(), f[3] == "~" ? (double?)null : double.Parse(f[3], CultureInfo.InvariantCulture));
                    break;
                case "anomaly_kind":
                    var kinds = group.Where(o => o.Label.Kind is not null).Select(o => o.Label.Kind!.Name).ToList();
                    Assert.Equal(group.Count - kinds.Count, long.Parse(f[4], CultureInfo.InvariantCulture));
                    Assert.Equal(kinds.Count == 0 ? "~" : Utf8Extreme(kinds, -1), f[2]);
                    Assert.Equal(kinds.Count == 0 ? "~" : Utf8Extreme(kinds, 1), f[3]);
                    break;
                case "anomaly_id":
                    var ids = group.Where(o => o.Label.EventId is not null).Select(o => o.Label.EventId!.Value).ToList();
                    Assert.Equal(group.Count - ids.Count, long.Parse(f[4], CultureInfo.InvariantCulture));
                    Assert.Equal(ids.Count == 0 ? "~" : ids.Min().ToString(CultureInfo.InvariantCulture), f[2]);
                    Assert.Equal(ids.Count == 0 ? "~" : ids.Max().ToString(CultureInfo.InvariantCulture), f[3]);
                    break;
                case "is_anomaly":
                    Assert.Equal(group.All(o => o.Label.IsAnomaly) ? "true" : "false", f[2]);
                    Assert.Equal(group.Any(o => o.Label.IsAnomaly) ? "true" : "false", f[3]);
                    break;
                case "timestamp":
                    Assert.Equal("0", f[4]);
                    break;
                default:
                    Assert.Fail($"unexpected column {f[1]}");
                    break;
            }
        }

        // Filters that DuckDB answers with the statistics (row groups skipped) still find every matching row.
        string Count(string where)
        {
            var file = dir.File("count.csv");
            DuckDb.Execute($"COPY (SELECT count(*) FROM read_parquet('{path}') WHERE {where}) TO '{file}' (HEADER false)");
            return File.ReadAllText(file).Trim();
        }

        Assert.Equal(rows.Count(o => o.Series == "温度/sensor").ToString(CultureInfo.InvariantCulture), Count("series = '温度/sensor'"));
        Assert.Equal(rows.Count(o => o.Label.Kind?.Name == "spike").ToString(CultureInfo.InvariantCulture), Count("anomaly_kind = 'spike'"));
        Assert.Equal(rows.Count(o => o.Value > 900).ToString(CultureInfo.InvariantCulture), Count("value > 900"));
        Assert.Equal(rows.Count(o => o.Label.IsAnomaly).ToString(CultureInfo.InvariantCulture), Count("is_anomaly"));
        var cut = rows[rows.Count * 2 / 3].Timestamp;
        Assert.Equal(rows.Count(o => o.Timestamp >= cut).ToString(CultureInfo.InvariantCulture),
            Count($"timestamp >= TIMESTAMPTZ '{cut.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}+00'"));
    }

    /// <summary>
    /// Row groups of every shape the encoder distinguishes: all series present (identity dictionary) or a subset (remapped),
    /// one series alone (an RLE run of indices), all values missing, no anomaly (a kind chunk without dictionary), every kind,
    /// negative values and zeros.
    /// </summary>
    private static ObservationBatch Build()
    {
        var batch = new ObservationBatch(Names, 4000);
        var kinds = new[] { AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.Drift, AnomalyKind.Missing, AnomalyKind.Seasonal, AnomalyKind.LabelledWindow, AnomalyKind.FromName("ünusual") };
        var t = Samples.T0;
        var random = new Random(12);
        var rows = 0;
        void Add(int series, double? value, AnomalyLabel label)
        {
            batch.Add(series, t, value, label);
            rows++;
        }

        // Group 0: every series each minute, labels everywhere.
        for (; rows < RowGroupSize; t = t.AddMinutes(1))
        {
            for (var s = 0; s < Names.Length && rows < RowGroupSize; s++)
            {
                var anomalous = random.Next(7) == 0;
                Add(s, random.Next(10) == 0 ? null : Math.Round((random.NextDouble() * 2000) - 1000, 3),
                    anomalous ? new AnomalyLabel(true, random.Next(5) == 0 ? null : kinds[random.Next(kinds.Length)], random.Next(100)) : AnomalyLabel.Normal);
            }
        }

        // Group 1: series 3 alone, all values missing, no anomaly.
        for (; rows < 2 * RowGroupSize; t = t.AddMinutes(1))
        {
            Add(3, null, AnomalyLabel.Normal);
        }

        // Group 2: series 1, 5 and 6 (a subset), zeros and negatives, one spike.
        for (var k = 0; rows < 3 * RowGroupSize; t = t.AddMinutes(1))
        {
            foreach (var s in new[] { 1, 5, 6 })
            {
                if (rows < 3 * RowGroupSize)
                {
                    Add(s, k++ % 3 == 0 ? 0.0 : -k, rows == (2 * RowGroupSize) + 100 ? AnomalyLabel.Anomaly(AnomalyKind.Spike, 1) : AnomalyLabel.Normal);
                }
            }
        }

        // A partial last group: series 0 and 7, every row anomalous.
        for (var k = 0; k < 73; k++, t = t.AddMinutes(1))
        {
            Add(0, k, AnomalyLabel.Anomaly(kinds[k % kinds.Length], k));
            Add(7, -k, AnomalyLabel.Anomaly(AnomalyKind.Drift, k));
        }

        return batch;
    }

    /// <summary>The minimum (<paramref name="sign"/> −1) or maximum (+1) by UTF-8 byte order, the order Parquet statistics of strings use.</summary>
    private static string Utf8Extreme(IEnumerable<string> values, int sign) =>
        values.Aggregate((a, b) => Math.Sign(System.Text.Encoding.UTF8.GetBytes(b).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(a))) == sign ? b : a);

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return [.. fields];
    }
}
