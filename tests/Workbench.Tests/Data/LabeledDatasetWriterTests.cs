using Parquet;
using Workbench.Core;
using Workbench.Data;

namespace Workbench.Tests.Data;

public class LabeledDatasetWriterTests
{
    [Fact]
    public async Task RoundTrip_EveryField_IncludingNullsAndUnknownKinds()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var batch = Samples.Batch(minutes: 8);
        await Samples.WriteAsync(path, batch);

        var read = Samples.ReadAll(path);

        Assert.Equal(batch.AsObservations(), read);
        Assert.Contains(read, o => o.Value is null);
        Assert.Contains(read, o => o.Label.Kind?.Name == "contextual" && !AnomalyKind.IsWellKnown("contextual"));
        Assert.Contains(read, o => o.Label is { IsAnomaly: true, Kind: null, EventId: not null });
        Assert.All(read, o => Assert.Equal(DateTimeKind.Utc, o.Timestamp.Kind));
        Assert.Same(AnomalyKind.Spike, read.First(o => o.Label.Kind?.Name == "spike").Label.Kind);
    }

    [Fact]
    public async Task RoundTrip_SmallRowGroups_StreamsOneBatchPerRowGroup()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var batch = Samples.Batch(minutes: 7); // 21 rows
        await Samples.WriteAsync(path, batch, rowGroupSize: 4);

        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        Assert.Equal(21, reader.RowCount);
        Assert.Equal(6, reader.RowGroupCount);
        var sizes = new List<int>();
        var rows = new List<LabeledObservation>();
        await foreach (var b in reader.ReadBatchesAsync())
        {
            Assert.True(b.Count <= 4);
            Assert.Same(reader.SeriesNames, b.SeriesNames);
            sizes.Add(b.Count);
            rows.AddRange(b.AsObservations());
        }

        Assert.Equal([4, 4, 4, 4, 4, 1], sizes);
        Assert.Equal(batch.AsObservations(), rows);
        Assert.Equal(new DatasetReadReport(21, 21, 0, 0), reader.Report);
    }

    [Fact]
    public async Task WriteAsync_BatchesLargerAndSmallerThanRowGroup_AndReusedByCaller()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var source = Samples.Batch(minutes: 10); // 30 rows
        var reused = new ObservationBatch(Samples.Names, 11);
        await using (var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe, new DatasetWriterOptions { RowGroupSize = 7 }))
        {
            for (var start = 0; start < source.Count; start += reused.Capacity)
            {
                reused.Clear();
                for (var i = start; i < Math.Min(start + reused.Capacity, source.Count); i++)
                {
                    reused.Add(source.SeriesIds[i], source.Timestamps[i], source.Values[i], new AnomalyLabel(source.IsAnomaly[i], source.Kinds[i], source.AnomalyIds[i]));
                }

                await writer.WriteAsync(reused);
                Assert.Equal(Math.Min(start + reused.Capacity, source.Count), writer.RowsWritten);
            }

            // Overwrite the caller's batch after the last call: the file must not see it.
            reused.Clear();
            reused.Add(0, Samples.Minute(999), -1, AnomalyLabel.Normal);
            reused.Clear();
        }

        using var reader = LabeledDatasetReader.Open(path);
        Assert.Equal(5, reader.RowGroupCount);
        Assert.Equal(source.AsObservations(), reader.ReadObservations());
    }

    [Fact]
    public async Task Metadata_HoldsFormatSeriesTableAndRecipe()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        await Samples.WriteAsync(path, Samples.Batch());

        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            var meta = parquet.CustomMetadata;
            Assert.Equal("workbench-labelled/1", meta["workbench.format"]);
            Assert.Equal("""["host-1/latency","host-2/latency","host-3/cpu"]""", meta["workbench.series"]);
            Assert.Equal("generate", meta["workbench.recipe.source"]);
            Assert.Equal("""{"series":3}""", meta["workbench.recipe.spec"]);
            Assert.Equal("42", meta["workbench.recipe.seed"]);
            Assert.Equal("0.1.0-test", meta["workbench.tool_version"]);
            Assert.Equal(
                ["series", "series_id", "timestamp", "value", "is_anomaly", "anomaly_kind", "anomaly_id"],
                parquet.Schema.DataFields.Select(f => f.Name));
        }

        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        Assert.Equal(Samples.Recipe, reader.Recipe);
        Assert.Equal(Samples.Names, reader.SeriesNames);
        Assert.True(reader.UsesSeriesIdColumn);
    }

    [Fact]
    public async Task Metadata_NullSeed_IsOmitted_AndReadsBackNull()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var recipe = Samples.Recipe with { Seed = null, Spec = "ünïcode \"quoted\"" };
        await Samples.WriteAsync(path, Samples.Batch(), recipe: recipe);

        await using (var parquet = await ParquetReader.CreateAsync(path))
        {
            Assert.False(parquet.CustomMetadata.ContainsKey("workbench.recipe.seed"));
        }

        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        Assert.Equal(recipe, reader.Recipe);
    }

    [Fact]
    public async Task Encoding_SeriesIsDictionaryEncoded_AndTimestampStatisticsAreMilliseconds()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var batch = Samples.Batch(minutes: 6);
        await Samples.WriteAsync(path, batch, rowGroupSize: 9);

        await using var parquet = await ParquetReader.CreateAsync(path);
        var series = parquet.Schema.DataFields.Single(f => f.Name == "series");
        var timestamp = parquet.Schema.DataFields.Single(f => f.Name == "timestamp");
        for (var g = 0; g < parquet.RowGroupCount; g++)
        {
            var group = parquet.OpenRowGroupReader(g);
            Assert.Contains(group.GetMetadata(series)!.MetaData!.Encodings, e => e is Parquet.Meta.Encoding.RLE_DICTIONARY or Parquet.Meta.Encoding.PLAIN_DICTIONARY);
            var stats = group.GetStatistics(timestamp)!;
            // Parquet.Net hands the statistics back as the stored INT64: they must be Unix milliseconds.
            Assert.Equal(UnixMillis(batch.Timestamps[g * 9]), Assert.IsType<long>(stats.MinValue));
            Assert.Equal(UnixMillis(batch.Timestamps[Math.Min((g * 9) + 8, batch.Count - 1)]), Assert.IsType<long>(stats.MaxValue));
        }
    }

    private static long UnixMillis(DateTime t) => new DateTimeOffset(t).ToUnixTimeMilliseconds();

    [Fact]
    public async Task SameInput_GivesByteIdenticalFiles_DifferentInputDifferentBytes()
    {
        using var dir = new TempDir();
        await Samples.WriteAsync(dir.File("a.parquet"), Samples.Batch(minutes: 9), rowGroupSize: 10);
        await Samples.WriteAsync(dir.File("b.parquet"), Samples.Batch(minutes: 9), rowGroupSize: 10);
        var changedValue = Samples.Batch(minutes: 9);
        changedValue.Values[5] = 123.0;
        await Samples.WriteAsync(dir.File("c.parquet"), changedValue, rowGroupSize: 10);
        await Samples.WriteAsync(dir.File("d.parquet"), Samples.Batch(minutes: 9), rowGroupSize: 10, recipe: Samples.Recipe with { Seed = 43 });

        var a = await File.ReadAllBytesAsync(dir.File("a.parquet"));
        Assert.Equal(a, await File.ReadAllBytesAsync(dir.File("b.parquet")));
        Assert.NotEqual(a, await File.ReadAllBytesAsync(dir.File("c.parquet")));
        Assert.NotEqual(a, await File.ReadAllBytesAsync(dir.File("d.parquet")));
    }

    [Fact]
    public async Task WriteObservations_BuildsSeriesTableInOrderOfFirstAppearance()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        LabeledObservation[] rows =
        [
            LabeledObservation.Normal("zeta", Samples.Minute(0), 1),
            new("zeta", Samples.Minute(1), 2, AnomalyLabel.Anomaly(AnomalyKind.Drift, 3)),
            LabeledObservation.Normal("alpha", Samples.Minute(1), null),
            LabeledObservation.Normal("mid", Samples.Minute(1), 3),
        ];

        await LabeledDatasetWriter.WriteAsync(path, rows, Samples.Recipe);

        using var reader = LabeledDatasetReader.Open(path);
        Assert.Equal(["zeta", "alpha", "mid"], reader.SeriesNames);
        Assert.Equal([0, 0, 1, 2], reader.ReadBatches().Single().SeriesIds);
        Assert.Equal(rows, reader.ReadObservations());
    }

    [Fact]
    public async Task WriteObservations_NotCanonicalForFirstAppearanceTable_Throws_AndLeavesNoFile()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        LabeledObservation[] rows =
        [
            LabeledObservation.Normal("b", Samples.Minute(0), 1),
            LabeledObservation.Normal("a", Samples.Minute(0), 1),
            LabeledObservation.Normal("a", Samples.Minute(1), 1), // a is series 1, b is series 0: b must come first
            LabeledObservation.Normal("b", Samples.Minute(1), 1),
        ];

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetWriter.WriteAsync(path, rows, Samples.Recipe));
        Assert.Equal(3, ex.Row);
        Assert.Equal("b", ex.Series);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task EmptyFile_HasNoRowsAndStillCarriesTheSeriesTable()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        await LabeledDatasetWriter.WriteAsync(path, Samples.Names, [], Samples.Recipe);

        using var reader = LabeledDatasetReader.Open(path);
        Assert.Equal(0, reader.RowCount);
        Assert.Equal(0, reader.RowGroupCount);
        Assert.Equal(Samples.Names, reader.SeriesNames);
        Assert.Empty(reader.ReadBatches());
    }

    public static TheoryData<string, int, string, string?, string> BadRows()
    {
        // name, row to break, expected field, expected series, expected text in the message
        return new()
        {
            { "nan", 4, "value", "host-2/latency", "NaN" },
            { "+inf", 4, "value", "host-2/latency", "Infinity" },
            { "-inf", 0, "value", "host-1/latency", "-Infinity" },
            { "unknown-id", 5, "series_id", null, "unknown series id 7" },
            { "negative-id", 5, "series_id", null, "unknown series id -1" },
            { "local", 3, "timestamp", "host-1/latency", "Kind=Local" },
            { "unspecified", 3, "timestamp", "host-1/latency", "Kind=Unspecified" },
            { "sub-ms", 3, "timestamp", "host-1/latency", "sub-millisecond" },
            { "duplicate", 3, "timestamp", "host-1/latency", "duplicate timestamp" },
            { "out-of-order", 6, "timestamp", "host-1/latency", "out of order within the series" },
            { "not-canonical", 4, "timestamp", "host-1/latency", "canonical order" },
            { "normal-with-kind", 7, "anomaly_kind", "host-2/latency", "is_anomaly is false but anomaly_kind is 'spike'" },
            { "normal-with-id", 7, "anomaly_id", "host-2/latency", "is_anomaly is false but anomaly_id is 9" },
            { "anomaly-without-id", 7, "anomaly_id", "host-2/latency", "is_anomaly is true but anomaly_id is null" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task WriteAsync_BadRow_ThrowsNamingFileRowSeriesField_AndLeavesNoFile(string name, int row, string field, string? series, string text)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.parquet");
        var batch = Samples.Batch(minutes: 4);
        Break(batch, name, row);

        // The error is in the second WriteAsync call: the row index counts rows of earlier batches.
        var first = new ObservationBatch(Samples.Names, 3);
        for (var i = 0; i < 3; i++)
        {
            first.Add(batch.SeriesIds[i], batch.Timestamps[i], batch.Values[i], new AnomalyLabel(batch.IsAnomaly[i], batch.Kinds[i], batch.AnomalyIds[i]));
        }

        var rest = new ObservationBatch(Samples.Names, batch.Count - 3);
        for (var i = 3; i < batch.Count; i++)
        {
            rest.Add(batch.SeriesIds[i], batch.Timestamps[i], batch.Values[i], new AnomalyLabel(batch.IsAnomaly[i], batch.Kinds[i], batch.AnomalyIds[i]));
        }

        DatasetFormatException ex;
        await using (var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe, new DatasetWriterOptions { RowGroupSize = 2 }))
        {
            if (row < first.Count)
            {
                ex = await Assert.ThrowsAsync<DatasetFormatException>(() => writer.WriteAsync(first));
            }
            else
            {
                await writer.WriteAsync(first);
                ex = await Assert.ThrowsAsync<DatasetFormatException>(() => writer.WriteAsync(rest));
            }

            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(rest));
        }

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(row, ex.Row);
        Assert.Equal(field, ex.Field);
        Assert.Equal(series, ex.Series);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"row {row}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"field '{field}'", ex.Message, StringComparison.Ordinal);
        if (series is not null)
        {
            Assert.Contains($"series '{series}'", ex.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(dir.Files());
    }

    private static void Break(ObservationBatch b, string name, int row)
    {
        switch (name)
        {
            case "nan": b.Values[row] = double.NaN; break;
            case "+inf": b.Values[row] = double.PositiveInfinity; break;
            case "-inf": b.Values[row] = double.NegativeInfinity; break;
            case "unknown-id": b.SeriesIds[row] = 7; break;
            case "negative-id": b.SeriesIds[row] = -1; break;
            case "local": b.Timestamps[row] = DateTime.SpecifyKind(b.Timestamps[row], DateTimeKind.Local); break;
            case "unspecified": b.Timestamps[row] = DateTime.SpecifyKind(b.Timestamps[row], DateTimeKind.Unspecified); break;
            case "sub-ms": b.Timestamps[row] = b.Timestamps[row].AddTicks(1); break;
            case "duplicate": b.Timestamps[row] = b.Timestamps[row - 3]; break; // same series, previous minute's timestamp
            case "out-of-order": b.Timestamps[row] = b.Timestamps[row - 6].AddSeconds(-30); break;
            case "not-canonical": (b.SeriesIds[row], b.SeriesIds[row - 1]) = (b.SeriesIds[row - 1], b.SeriesIds[row]); break;
            case "normal-with-kind": b.IsAnomaly[row] = false; b.Kinds[row] = AnomalyKind.Spike; b.AnomalyIds[row] = null; break;
            case "normal-with-id": b.IsAnomaly[row] = false; b.Kinds[row] = null; b.AnomalyIds[row] = 9; break;
            case "anomaly-without-id": b.IsAnomaly[row] = true; b.Kinds[row] = AnomalyKind.Spike; b.AnomalyIds[row] = null; break;
            default: throw new ArgumentException(name);
        }
    }

    [Fact]
    public async Task CreateAsync_DuplicateSeriesNames_Throws()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetWriter.CreateAsync(path, ["a", "b", "a"], Samples.Recipe));
        Assert.Equal("a", ex.Series);
        Assert.Equal("series", ex.Field);
        Assert.Null(ex.Row);
        Assert.Contains("duplicate series name", ex.Message, StringComparison.Ordinal);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task WriteAsync_BatchWithAnotherSeriesTable_ThrowsArgumentException()
    {
        using var dir = new TempDir();
        await using var writer = await LabeledDatasetWriter.CreateAsync(dir.File("a.parquet"), Samples.Names, Samples.Recipe);
        var other = new ObservationBatch(["x", "y", "z"], 1);
        other.Add(0, Samples.T0, 1, AnomalyLabel.Normal);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(other));

        // An equal table in another list object is accepted.
        var equal = new ObservationBatch([.. Samples.Names], 1);
        equal.Add(0, Samples.T0, 1, AnomalyLabel.Normal);
        await writer.WriteAsync(equal);
        Assert.Equal(1, writer.RowsWritten);
    }

    [Fact]
    public async Task FailedWrite_LeavesExistingTargetUntouched()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        await File.WriteAllTextAsync(path, "previous content");
        var batch = Samples.Batch();
        batch.Values[2] = double.NaN;

        await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetWriter.WriteAsync(path, Samples.Names, [batch], Samples.Recipe));

        Assert.Equal("previous content", await File.ReadAllTextAsync(path));
        Assert.Equal(["a.parquet"], dir.Files());
    }

    [Fact]
    public async Task WriteBatches_EnumerationFails_LeavesNoFile()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");

        static IEnumerable<ObservationBatch> Failing()
        {
            yield return Samples.Batch();
            throw new InvalidOperationException("generator broke");
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => LabeledDatasetWriter.WriteAsync(path, Samples.Names, Failing(), Samples.Recipe, new DatasetWriterOptions { RowGroupSize = 2 }));
        Assert.Equal("generator broke", ex.Message);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Abort_DiscardsEverything_AndTempFileExistsOnlyWhileWriting()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe, new DatasetWriterOptions { RowGroupSize = 2 });
        await writer.WriteAsync(Samples.Batch());
        var temp = Assert.Single(dir.Files());
        Assert.StartsWith(".a.parquet.", temp, StringComparison.Ordinal);
        Assert.EndsWith(".tmp", temp, StringComparison.Ordinal);

        writer.Abort();
        await writer.DisposeAsync();

        Assert.Empty(dir.Files());
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Samples.Batch()));
    }

    [Fact]
    public async Task Cancellation_AbortsTheWrite()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LabeledDatasetWriter.WriteAsync(path, Samples.Names, [Samples.Batch()], Samples.Recipe, null, cts.Token));
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task SyncDispose_CommitsTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        using (var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe))
        {
            await writer.WriteAsync(Samples.Batch());
        }

        Assert.Equal(Samples.Batch().AsObservations(), Samples.ReadAll(path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(DatasetWriterOptions.MaxRowGroupSize + 1)]
    public async Task Options_RowGroupSizeOutOfRange_Throws(int size)
    {
        using var dir = new TempDir();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LabeledDatasetWriter.CreateAsync(dir.File("a.parquet"), Samples.Names, Samples.Recipe, new DatasetWriterOptions { RowGroupSize = size }));
        Assert.Empty(dir.Files());
    }
}
