using Workbench.Data;
using Workbench.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Import;

/// <summary>
/// Parquet files written by DuckDB (an independent engine, from SQL in the test) in the layouts pandas, polars and
/// DuckDB users have: float32/int64 values, int 0/1 labels, naive nanosecond timestamps, rows sorted by series then time,
/// TIMESTAMPTZ with DECIMAL values, Unix-millisecond integers, wide tables.
/// </summary>
public sealed class ForeignParquetImportTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    internal static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>pandas' layout: <c>df.sort_values(["series","timestamp"]).to_parquet()</c> with float32 values, an int64
    /// count, int 0/1 labels and naive datetime64[ns] timestamps.</summary>
    internal static void WritePandasLayout(string path, int points = 10) => DuckDb.Execute($"""
        COPY (
            SELECT s.name AS series,
                   CAST(TIMESTAMP '2024-01-01 00:00:00' + to_minutes(CAST(i AS BIGINT)) AS TIMESTAMP_NS) AS timestamp,
                   CAST(i * 0.1 + (CASE s.name WHEN 'b' THEN 100 ELSE 0 END) AS FLOAT) AS value,
                   CAST(i AS BIGINT) AS count,
                   CAST(CASE WHEN i IN (3, 4, 7) THEN 1 ELSE 0 END AS BIGINT) AS is_anomaly
            FROM range(0, {points}) r(i), (VALUES ('b'), ('a')) s(name)
            ORDER BY series, timestamp
        ) TO '{Quote(path)}' (FORMAT parquet)
        """);

    [Fact]
    public async Task PandasLayout_Float32Int64LabelsNaiveNanos_SortedBySeries_IsImported()
    {
        using var dir = new TempDirectory();
        var input = dir.File("pandas.parquet");
        WritePandasLayout(input);
        var output = dir.File("out.parquet");

        var report = await DatasetImporter.ImportAsync([input], ImportFormat.Parquet, output);

        await using (var reader = await LabeledDatasetReader.OpenAsync(output, new DatasetReaderOptions { Validation = DatasetValidation.Full }))
        {
            Assert.False(reader.IsUnlabelled);
            Assert.Equal(["a", "b"], reader.SeriesNames); // first appearance in the input (sorted by series)
        }

        var set = await LabeledSeriesSet.LoadAsync(output);
        var a = set.Series[0];
        Assert.Equal(Enumerable.Range(0, 10).Select(i => T0.AddMinutes(i)), a.Timestamps);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double?)(float)(i * 0.1)), a.Values); // float32 widened exactly
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i is 3 or 4 or 7), a.IsAnomaly);
        Assert.Equal([null, null, null, 0, 0, null, null, 1, null, null], a.EventIds);
        Assert.Equal(20, report.Rows);
        Assert.Equal(4, report.Events);
        Assert.True(report.ReorderedRows > 0); // series-then-time became time-then-series
        Assert.Contains("label=is_anomaly", report.Mapping, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuckDbSixColumns_TimestampTzDecimalValues_KindsAndEventIds_AreImported()
    {
        using var dir = new TempDirectory();
        var input = dir.File("duck.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT 'host-' || CAST(i % 2 AS VARCHAR) AS series,
                       to_timestamp(1704067200 + i * 60) AS timestamp,
                       CAST(i AS DECIMAL(10, 3)) / 8 AS value,
                       i = 5 AS is_anomaly,
                       CASE WHEN i = 5 THEN 'spike' END AS anomaly_kind,
                       CAST(CASE WHEN i = 5 THEN 42 END AS INTEGER) AS anomaly_id
                FROM range(0, 8) r(i)
            ) TO '{Quote(input)}' (FORMAT parquet)
            """);
        var output = dir.File("out.parquet");

        await DatasetImporter.ImportAsync([input], ImportFormat.Parquet, output);

        var set = await LabeledSeriesSet.LoadAsync(output);
        var h1 = set.Series.Single(s => s.Name == "host-1");
        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(3), T0.AddMinutes(5), T0.AddMinutes(7)], h1.Timestamps);
        Assert.Equal([0.125, 0.375, 0.625, 0.875], h1.Values);
        Assert.Equal(new AnomalyLabelView(true, "spike", 42), AnomalyLabelView.Of(h1.Labels[2]));
        Assert.Equal(new AnomalyLabelView(false, null, null), AnomalyLabelView.Of(h1.Labels[1]));
    }

    [Fact]
    public async Task UnixMillisecondIntegers_Wide_AndNaiveTimesInAZone()
    {
        using var dir = new TempDirectory();
        var input = dir.File("wide.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT CAST(1704067200000 + i * 1000 AS BIGINT) AS ts, CAST(i AS INTEGER) AS cpu, CAST(i * 2 AS DOUBLE) AS mem
                FROM range(0, 3) r(i)
            ) TO '{Quote(input)}' (FORMAT parquet)
            """);
        var output = dir.File("out.parquet");

        var report = await DatasetImporter.ImportAsync([input], ImportFormat.Parquet, output, new ImportOptions { SeriesFromColumns = true, TimestampColumn = "ts" });

        var set = await LabeledSeriesSet.LoadAsync(output);
        Assert.Equal(["cpu", "mem"], set.Series.Select(s => s.Name));
        Assert.Equal([T0, T0.AddSeconds(1), T0.AddSeconds(2)], set.Series[1].Timestamps);
        Assert.Equal([0.0, 2, 4], set.Series[1].Values);
        Assert.False(report.Labelled);
        Assert.Contains("Unix milliseconds", report.Mapping, StringComparison.Ordinal);

        var naive = dir.File("naive.parquet");
        DuckDb.Execute($"COPY (SELECT TIMESTAMP '2024-01-01 01:00:00' AS timestamp, 1.5 AS value) TO '{Quote(naive)}' (FORMAT parquet)");
        await DatasetImporter.ImportAsync([naive], ImportFormat.Parquet, output, new ImportOptions { TimeZone = "Europe/Berlin" });
        Assert.Equal(T0, (await LabeledSeriesSet.LoadAsync(output)).Series[0].Timestamps[0]);
    }

    [Fact]
    public async Task SubMillisecondNanos_AreRejected_NamingRowAndColumn_NothingWritten()
    {
        using var dir = new TempDirectory();
        var input = dir.File("ns.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT CAST(TIMESTAMP '2024-01-01 00:00:00' AS TIMESTAMP_NS) + to_microseconds(CAST(i * 1500 AS BIGINT)) AS timestamp, 1.0 AS value
                FROM range(0, 4) r(i)
            ) TO '{Quote(input)}' (FORMAT parquet)
            """);
        var output = dir.File("out.parquet");

        var e = await Assert.ThrowsAsync<ImportException>(() => DatasetImporter.ImportAsync([input], ImportFormat.Parquet, output));

        Assert.Equal("row 1", e.Location); // 1.5 ms
        Assert.Equal("timestamp", e.Column);
        Assert.Contains("--sub-millisecond floor", e.Fix, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task NanosBelowTheTick_AreNotTruncatedSilently_RejectedOrFlooredAndCounted()
    {
        // Parquet.Net decodes TIMESTAMP_NS to 100 ns ticks: 50 ns past a whole millisecond must still count as
        // sub-millisecond precision, not arrive as the whole millisecond.
        using var dir = new TempDirectory();
        var input = dir.File("ns50.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT * FROM (VALUES
                    (TIMESTAMP_NS '2024-01-01 00:00:00', 1.0),
                    (TIMESTAMP_NS '2024-01-01 00:00:01.000000050', 2.0),
                    (TIMESTAMP_NS '2024-01-01 00:00:02.002', 3.0)) t(timestamp, value)
            ) TO '{Quote(input)}' (FORMAT parquet)
            """);

        var e = await Assert.ThrowsAsync<ImportException>(() => DatasetImporter.ImportAsync([input], ImportFormat.Parquet, dir.File("a.parquet")));
        Assert.Equal("row 1", e.Location);
        Assert.Equal("timestamp", e.Column);

        var report = await DatasetImporter.ImportAsync([input], ImportFormat.Parquet, dir.File("b.parquet"), new ImportOptions { SubMillisecond = SubMillisecondPolicy.Floor });
        Assert.Equal(1, report.FlooredTimestamps);
        var set = await LabeledSeriesSet.LoadAsync(dir.File("b.parquet"));
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal([t0, t0.AddSeconds(1), t0.AddSeconds(2).AddMilliseconds(2)], Assert.Single(set.Series).Timestamps);
    }

    [Fact]
    public async Task BadCells_NameRowColumnAndFix()
    {
        using var dir = new TempDirectory();
        var input = dir.File("bad.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT to_timestamp(1704067200 + i) AS timestamp, 1.0 AS value, CAST(CASE WHEN i = 2 THEN 5 ELSE 0 END AS INTEGER) AS label
                FROM range(0, 4) r(i)
            ) TO '{Quote(input)}' (FORMAT parquet)
            """);

        var e = await Assert.ThrowsAsync<ImportException>(() => DatasetImporter.ImportAsync([input], ImportFormat.Parquet, dir.File("out.parquet")));

        Assert.Equal($"{input}, row 2, column 'label': the label is 5, not 0 or 1; fix: give every row a label: true/false, 1/0, yes/no or anomaly/normal", e.Message);
    }

    [Fact]
    public async Task NotParquet_IsOneClearError()
    {
        using var dir = new TempDirectory();
        var input = dir.File("junk.parquet");
        await File.WriteAllTextAsync(input, "timestamp,value\n");

        var e = await Assert.ThrowsAsync<ImportException>(() => DatasetImporter.ImportAsync([input], ImportFormat.Parquet, dir.File("out.parquet")));

        Assert.Contains("not a readable Parquet file", e.Message, StringComparison.Ordinal);
    }

    private sealed record AnomalyLabelView(bool IsAnomaly, string? Kind, int? EventId)
    {
        public static AnomalyLabelView Of(Workbench.Core.AnomalyLabel l) => new(l.IsAnomaly, l.Kind?.Name, l.EventId);
    }
}
