using Microsoft.Data.Analysis;
using Parquet.Schema;
using Workbench.Core;
using Workbench.Data;

namespace Workbench.Tests.Data;

public class LabeledDatasetReaderTests
{
    private static async Task<DatasetFormatException> ReadFailsAsync(string path, DatasetReaderOptions? options = null)
    {
        return await Assert.ThrowsAsync<DatasetFormatException>(async () =>
        {
            await using var reader = await LabeledDatasetReader.OpenAsync(path, options);
            await foreach (var unused in reader.ReadBatchesAsync())
            {
            }
        });
    }

    [Fact]
    public async Task ValidRawFile_ReadsBack()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        await RawFile.Valid().WriteAsync(path);

        var rows = Samples.ReadAll(path);

        Assert.Equal(12, rows.Count);
        Assert.Equal(new LabeledObservation("host-2/latency", Samples.Minute(2), 10.5, AnomalyLabel.Anomaly(AnomalyKind.Spike, 0)), rows[7]);
        Assert.Null(rows[4].Value);
    }

    [Theory]
    [InlineData("series")]
    [InlineData("timestamp")]
    [InlineData("value")]
    [InlineData("is_anomaly")]
    [InlineData("anomaly_kind")]
    [InlineData("anomaly_id")]
    public async Task Schema_MissingColumn_ThrowsNamingFileAndField(string column)
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        await RawFile.WriteColumnsAsync(path, raw.Columns(drop: column), raw.Metadata());

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(column, ex.Field);
        Assert.Null(ex.Row);
        Assert.Contains("missing column", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> WrongTypes() => ["series_id:long", "value:float", "is_anomaly:int", "anomaly_id:long", "series:int", "anomaly_kind:int"];

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task Schema_WrongType_ThrowsNamingField(string change)
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        var column = change.Split(':')[0];
        (DataField, Array) replacement = change.Split(':')[1] switch
        {
            "long" => (new DataField<long>(column, nullable: false), new long[12]),
            "float" => (new DataField<float?>(column), new float?[12]),
            "int" => (new DataField<int>(column, nullable: false), new int[12]),
            _ => throw new ArgumentException(change),
        };
        await RawFile.WriteColumnsAsync(path, raw.Columns(replace: replacement), raw.Metadata());

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path));

        Assert.Equal(column, ex.Field);
        Assert.Contains("wrong type", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> WrongTimestamps() => ["int96", "local", "legacy-millis", "string"];

    [Theory]
    [MemberData(nameof(WrongTimestamps))]
    public async Task Schema_WrongTimestampLogicalType_Throws(string kind)
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        (DataField, Array) replacement = kind switch
        {
            "int96" => (new DateTimeDataField("timestamp", DateTimeFormat.Impala, isNullable: false), raw.Timestamp),
            "local" => (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: false), raw.Timestamp),
            "legacy-millis" => (new DateTimeDataField("timestamp", DateTimeFormat.DateAndTime, isNullable: false), raw.Timestamp),
            "string" => (new DataField<string>("timestamp", nullable: false), raw.Timestamp.Select(t => (string?)t.ToString("O")).ToArray()),
            _ => throw new ArgumentException(kind),
        };
        await RawFile.WriteColumnsAsync(path, raw.Columns(replace: replacement), raw.Metadata());

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path));

        Assert.Equal("timestamp", ex.Field);
        Assert.Equal(path, ex.FilePath);
    }

    public static TheoryData<string, long, string, string, string> BadRows() => new()
    {
        // name, row, field, series, message text
        { "unsorted", 6, "timestamp", "host-1/latency", "out of order within the series" },
        { "not-canonical", 4, "timestamp", "host-1/latency", "canonical order" },
        { "duplicate", 6, "timestamp", "host-1/latency", "duplicate timestamp" },
        { "nan", 5, "value", "host-3/cpu", "NaN" },
        { "+inf", 5, "value", "host-3/cpu", "Infinity" },
        { "-inf", 5, "value", "host-3/cpu", "-Infinity" },
        { "normal-with-kind", 9, "anomaly_kind", "host-1/latency", "is_anomaly is false but anomaly_kind is 'drift'" },
        { "normal-with-id", 9, "anomaly_id", "host-1/latency", "is_anomaly is false but anomaly_id is 4" },
        { "anomaly-without-id", 9, "anomaly_id", "host-1/latency", "is_anomaly is true but anomaly_id is null" },
        { "empty-kind", 9, "anomaly_kind", "host-1/latency", "anomaly_kind is empty" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task BadRow_ThrowsNamingFileRowSeriesField(string name, long row, string field, string series, string text)
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        Break(raw, name);
        await raw.WriteAsync(path, rowGroupSize: 5);

        var ex = await ReadFailsAsync(path);

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(row, ex.Row);
        Assert.Equal(field, ex.Field);
        Assert.Equal(series, ex.Series);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"row {row}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"series '{series}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"field '{field}'", ex.Message, StringComparison.Ordinal);
    }

    private static void Break(RawFile raw, string name)
    {
        switch (name)
        {
            case "unsorted":
                raw.Timestamp[6] = Samples.Minute(0).AddSeconds(-1);
                break;
            case "not-canonical":
                (raw.SeriesId[3], raw.SeriesId[4], raw.Series[3], raw.Series[4]) = (1, 0, raw.Series[4], raw.Series[3]);
                (raw.Value[3], raw.Value[4]) = (raw.Value[4], raw.Value[3]);
                break;
            case "duplicate":
                raw.Timestamp[6] = raw.Timestamp[3];
                break;
            case "nan":
                raw.Value[5] = double.NaN;
                break;
            case "+inf":
                raw.Value[5] = double.PositiveInfinity;
                break;
            case "-inf":
                raw.Value[5] = double.NegativeInfinity;
                break;
            case "normal-with-kind":
                raw.Kind[9] = "drift";
                break;
            case "normal-with-id":
                raw.Id[9] = 4;
                break;
            case "anomaly-without-id":
                raw.IsAnomaly[9] = true;
                raw.Kind[9] = "spike";
                break;
            case "empty-kind":
                raw.IsAnomaly[9] = true;
                raw.Kind[9] = "";
                raw.Id[9] = 1;
                break;
            default:
                throw new ArgumentException(name);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public async Task SeriesIdOutOfRange_Throws(int id)
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        raw.SeriesId[10] = id;
        await raw.WriteAsync(path);

        var ex = await ReadFailsAsync(path);

        Assert.Equal(10, ex.Row);
        Assert.Equal("series_id", ex.Field);
        Assert.Contains($"series_id {id} is out of range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeriesDisagreesWithSeriesId_ThrowsOnlyUnderFullValidation()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        raw.Series[8] = "host-9/other";
        await raw.WriteAsync(path, rowGroupSize: 4);

        // Fast does not decode the strings: the row is read as series_id says.
        Assert.Equal("host-3/cpu", Samples.ReadAll(path)[8].Series);

        var ex = await ReadFailsAsync(path, new DatasetReaderOptions { Validation = DatasetValidation.Full });
        Assert.Equal(8, ex.Row);
        Assert.Equal("series", ex.Field);
        Assert.Equal("host-9/other", ex.Series);
        Assert.Contains("disagrees with series_id 2 ('host-3/cpu'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullValidation_ValidFile_ReadsSameRowsAsFast()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var batch = Samples.Batch(minutes: 6);
        await Samples.WriteAsync(path, batch, rowGroupSize: 5);

        Assert.Equal(batch.AsObservations(), Samples.ReadAll(path, new DatasetReaderOptions { Validation = DatasetValidation.Full }));
        Assert.Equal(batch.AsObservations(), Samples.ReadAll(path, new DatasetReaderOptions { Prefetch = false, ReuseBatches = true }));
    }

    [Fact]
    public async Task SkipPolicies_LeaveRowsOutAndCountThem()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        raw.Timestamp[6] = raw.Timestamp[3];                      // duplicate within host-1 (row 6)
        raw.Timestamp[7] = Samples.Minute(0).AddSeconds(30);      // out of order within host-2 (row 7)
        (raw.SeriesId[10], raw.Series[10]) = (2, "host-3/cpu");   // host-3 at minute 3 twice: row 11 duplicates row 10
        raw.SeriesId[9] = 0;
        await raw.WriteAsync(path, rowGroupSize: 4);

        // Defaults: the first problem is an error.
        var ex = await ReadFailsAsync(path);
        Assert.Equal(6, ex.Row);

        var onlyDuplicates = new DatasetReaderOptions { DuplicateTimestamps = InvalidRowPolicy.Skip };
        Assert.Equal(7, (await ReadFailsAsync(path, onlyDuplicates)).Row);

        var options = new DatasetReaderOptions { DuplicateTimestamps = InvalidRowPolicy.Skip, OutOfOrder = InvalidRowPolicy.Skip };
        await using var reader = await LabeledDatasetReader.OpenAsync(path, options);
        var batches = new List<int>();
        var rows = new List<LabeledObservation>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            batches.Add(b.Count);
            rows.AddRange(b.AsObservations());
        }

        Assert.Equal([4, 2, 3], batches);
        Assert.Equal(new DatasetReadReport(12, 9, 1, 2), reader.Report);
        Assert.Equal(3, reader.Report.RowsSkipped);
        Assert.DoesNotContain(rows, o => o.Series == "host-2/latency" && o.Timestamp == Samples.Minute(0).AddSeconds(30));
        Assert.Equal(rows.OrderBy(o => o.Timestamp).ThenBy(o => Array.IndexOf(Samples.Names, o.Series)), rows);
    }

    [Fact]
    public async Task SkipOutOfOrder_RowBeforePreviousRowAcrossSeries_IsSkipped()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        (raw.SeriesId[3], raw.SeriesId[4], raw.Series[3], raw.Series[4]) = (1, 0, raw.Series[4], raw.Series[3]);

        await raw.WriteAsync(path);

        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { OutOfOrder = InvalidRowPolicy.Skip });
        var rows = reader.ReadObservations().ToList();
        Assert.Equal(11, rows.Count);
        Assert.Equal(new DatasetReadReport(12, 11, 1, 0), reader.Report);
    }

    [Fact]
    public async Task ForeignFile_WithoutSeriesIdOrMetadata_BuildsTableByFirstAppearance()
    {
        using var dir = new TempDir();
        var path = dir.File("foreign.parquet");
        var raw = RawFile.Valid();
        // Another tool: no series_id, no metadata, every column optional (as pandas/pyarrow and DuckDB write them).
        var timestamps = raw.Timestamp.Select(t => (DateTime?)t).ToArray();
        var anomalies = raw.IsAnomaly.Select(a => (bool?)a).ToArray();
        List<(DataField, Array)> columns =
        [
            (new DataField<string>("value_unit", nullable: true), raw.Series.Select(_ => (string?)"ms").ToArray()),
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true), timestamps),
            (new DataField<string>("series", nullable: true), raw.Series),
            (new DataField<double?>("value"), raw.Value),
            (new DataField<bool?>("is_anomaly"), anomalies),
            (new DataField<string>("anomaly_kind", nullable: true), raw.Kind),
            (new DataField<int?>("anomaly_id"), raw.Id),
        ];
        await RawFile.WriteColumnsAsync(path, columns, metadata: null, rowGroupSize: 5);

        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { Validation = DatasetValidation.Full });

        Assert.False(reader.UsesSeriesIdColumn);
        Assert.Null(reader.Recipe);
        Assert.Equal(Samples.Names, reader.SeriesNames);
        var expected = new List<LabeledObservation>();
        await RawFile.Valid().WriteAsync(dir.File("reference.parquet"));
        expected.AddRange(Samples.ReadAll(dir.File("reference.parquet")));
        Assert.Equal(expected, reader.ReadObservations());
    }

    [Fact]
    public async Task ForeignFile_NullInRequiredColumn_Throws()
    {
        using var dir = new TempDir();
        var path = dir.File("foreign.parquet");
        var raw = RawFile.Valid();
        raw.Series[7] = null;
        var columns = raw.Columns(drop: "series_id");
        columns[0] = (new DataField<string>("series", nullable: true), raw.Series);
        await RawFile.WriteColumnsAsync(path, columns, metadata: null, rowGroupSize: 5);

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path));
        Assert.Equal(7, ex.Row);
        Assert.Equal("series", ex.Field);
        Assert.Contains("null in a required column", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TableWithoutSeriesIdColumn_MapsNamesThroughTheTable()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        raw.Table = ["host-1/latency", "host-2/latency", "host-3/cpu", "unused"];
        await RawFile.WriteColumnsAsync(path, raw.Columns(drop: "series_id"), raw.Metadata());
        using (var reader = LabeledDatasetReader.Open(path))
        {
            Assert.False(reader.UsesSeriesIdColumn);
            Assert.Equal(4, reader.SeriesNames.Count);
            Assert.Equal(12, reader.ReadObservations().Count());
        }

        raw.Series[5] = "not-in-table";
        await RawFile.WriteColumnsAsync(path, raw.Columns(drop: "series_id"), raw.Metadata());
        var ex = await ReadFailsAsync(path);
        Assert.Equal(5, ex.Row);
        Assert.Equal("not-in-table", ex.Series);
    }

    [Fact]
    public async Task Metadata_UnsupportedFormat_BadSeriesTable_BadSeed_Throw()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();

        var meta = raw.Metadata();
        meta["workbench.format"] = "workbench-labelled/2";
        await RawFile.WriteColumnsAsync(path, raw.Columns(), meta);
        Assert.Equal("workbench.format", (await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path))).Field);

        meta = raw.Metadata();
        meta["workbench.series"] = "{\"not\": \"an array\"}";
        await RawFile.WriteColumnsAsync(path, raw.Columns(), meta);
        Assert.Equal("workbench.series", (await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path))).Field);

        meta = raw.Metadata();
        meta["workbench.series"] = "[\"a\", \"a\"]";
        await RawFile.WriteColumnsAsync(path, raw.Columns(), meta);
        var dup = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path));
        Assert.Equal("a", dup.Series);
        Assert.Contains("duplicate series name", dup.Message, StringComparison.Ordinal);

        meta = raw.Metadata();
        meta["workbench.recipe.source"] = "generate";
        meta["workbench.recipe.seed"] = "forty-two";
        await RawFile.WriteColumnsAsync(path, raw.Columns(), meta);
        Assert.Equal("workbench.recipe.seed", (await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path))).Field);
    }

    [Fact]
    public async Task NotAParquetFile_Throws_MissingFile_ThrowsFileNotFound()
    {
        using var dir = new TempDir();
        var path = dir.File("text.parquet");
        await File.WriteAllTextAsync(path, "series,timestamp\nx,2024-01-01\n");

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetReader.OpenAsync(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains("does not start with the Parquet magic 'PAR1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("it is not a Parquet file", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() => LabeledDatasetReader.OpenAsync(dir.File("missing.parquet")));
    }

    [Theory]
    [InlineData(false, 1)] // one object refilled
    [InlineData(true, 2)]  // two in turn: the worker fills the next while the consumer holds this one
    public async Task ReuseBatches_RefillsOneObjectOrTwoInTurn(bool prefetch, int objects)
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var batch = Samples.Batch(minutes: 5);
        await Samples.WriteAsync(path, batch, rowGroupSize: 4);

        using var reader = LabeledDatasetReader.Open(path, new DatasetReaderOptions { ReuseBatches = true, Prefetch = prefetch });
        var seen = new List<ObservationBatch>();
        var rows = new List<LabeledObservation>();
        foreach (var b in reader.ReadBatches())
        {
            seen.Add(b);
            rows.AddRange(b.AsObservations());
        }

        Assert.True(reader.RowGroupCount > 2);
        Assert.Equal(reader.RowGroupCount, seen.Count);
        Assert.Equal(objects, seen.Distinct().Count());
        for (var g = 1; g < seen.Count; g++)
        {
            // With prefetch the batch in hand is never the one being refilled.
            Assert.Equal(objects == 1, ReferenceEquals(seen[g - 1], seen[g]));
        }

        Assert.Equal(batch.AsObservations(), rows);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EarlyEnd_ReportCountsOnlyTheRowGroupsHandedOut(bool prefetch)
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = RawFile.Valid();
        raw.Timestamp[6] = raw.Timestamp[3];                      // duplicate within host-1 (row 6, row group 1)
        raw.Timestamp[7] = Samples.Minute(0).AddSeconds(30);      // out of order within host-2 (row 7, row group 1)
        await raw.WriteAsync(path, rowGroupSize: 4);
        var options = new DatasetReaderOptions { DuplicateTimestamps = InvalidRowPolicy.Skip, OutOfOrder = InvalidRowPolicy.Skip, Prefetch = prefetch };

        await using var reader = await LabeledDatasetReader.OpenAsync(path, options);
        async Task<DatasetReadReport> ReadGroupsAsync(int groups)
        {
            var n = 0;
            await foreach (var unused in reader.ReadBatchesAsync())
            {
                if (++n == groups)
                {
                    break;
                }
            }

            return reader.Report;
        }

        // With prefetch the reader has already materialized (and counted the skips of) the row group after the last
        // one handed out; ending the pass must take those counts back.
        Assert.Equal(new DatasetReadReport(4, 4, 0, 0), await ReadGroupsAsync(1));
        Assert.Equal(new DatasetReadReport(8, 6, 1, 1), await ReadGroupsAsync(2));
        Assert.Equal(new DatasetReadReport(12, 10, 1, 1), await ReadGroupsAsync(3));
    }

    [Fact]
    public async Task SecondPass_ReadsAgainFromTheStart_ConcurrentPassThrows()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        await Samples.WriteAsync(path, Samples.Batch(minutes: 5), rowGroupSize: 4);

        using var reader = LabeledDatasetReader.Open(path);
        using (var e = reader.ReadBatches().GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.Throws<InvalidOperationException>(() => reader.ReadBatches().GetEnumerator().MoveNext());
        }

        Assert.Equal(15, reader.ReadObservations().Count());
        Assert.Equal(15, reader.ReadObservations().Count());
        Assert.Equal(new DatasetReadReport(15, 15, 0, 0), reader.Report);
    }

    [Fact]
    public async Task ToDataFrame_HasTheSpecColumnsWithNulls_AndHonoursMaxRows()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var batch = Samples.Batch(minutes: 8);
        await Samples.WriteAsync(path, batch, rowGroupSize: 5);

        var frame = LabeledDataset.ReadDataFrame(path);

        Assert.Equal(["series", "timestamp", "value", "is_anomaly", "anomaly_kind", "anomaly_id"], frame.Columns.Select(c => c.Name));
        Assert.IsType<StringDataFrameColumn>(frame.Columns["series"]);
        Assert.IsType<PrimitiveDataFrameColumn<DateTime>>(frame.Columns["timestamp"]);
        Assert.IsType<DoubleDataFrameColumn>(frame.Columns["value"]);
        Assert.IsType<BooleanDataFrameColumn>(frame.Columns["is_anomaly"]);
        Assert.IsType<StringDataFrameColumn>(frame.Columns["anomaly_kind"]);
        Assert.IsType<Int32DataFrameColumn>(frame.Columns["anomaly_id"]);
        Assert.Equal(batch.Count, frame.Rows.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var o = batch[i];
            Assert.Equal(o.Series, frame.Columns["series"][i]);
            Assert.Equal(o.Timestamp, frame.Columns["timestamp"][i]);
            Assert.Equal(o.Value, (double?)frame.Columns["value"][i]);
            Assert.Equal(o.Label.IsAnomaly, frame.Columns["is_anomaly"][i]);
            Assert.Equal(o.Label.Kind?.Name, frame.Columns["anomaly_kind"][i]);
            Assert.Equal(o.Label.EventId, (int?)frame.Columns["anomaly_id"][i]);
        }

        Assert.True(frame.Columns["value"].NullCount > 0);
        Assert.True(frame.Columns["anomaly_id"].NullCount > 0);

        using var reader = LabeledDatasetReader.Open(path);
        var first7 = reader.ToDataFrame(maxRows: 7);
        Assert.Equal(7, first7.Rows.Count);
        Assert.Equal(batch[6].Timestamp, first7.Columns["timestamp"][6]);
        Assert.Equal(0, reader.ToDataFrame(maxRows: 0).Rows.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ToDataFrame(maxRows: -1));
    }

    [Fact]
    public async Task Cancellation_StopsReading()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        await Samples.WriteAsync(path, Samples.Batch(minutes: 5), rowGroupSize: 4);
        using var cts = new CancellationTokenSource();
        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        var batches = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in reader.ReadBatchesAsync(cts.Token))
            {
                batches++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, batches);
        Assert.Equal(15, reader.ReadObservations().Count());
    }
}
