using Parquet;
using Workbench.Core;
using Workbench.Data;
using Workbench.Data.Decoding;
using Workbench.Data.ParquetEncoding;
using Workbench.Generation;
using Workbench.Tests.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Data;

/// <summary>
/// The reader's own column-chunk decoder (<c>Data/Decoding/</c>, issue 12 part 2) against Parquet.Net
/// (<see cref="DatasetReaderOptions.ForceParquetNetDecoder"/>): the same observations, reports and errors on every
/// layout it takes; a fall-back to Parquet.Net for a layout it does not; one typed error for damage; no allocation per
/// row group once its buffers have grown.
/// </summary>
public class OwnDecoderTests
{
    private static readonly DatasetReaderOptions ParquetNet = new() { ForceParquetNetDecoder = true };

    public static TheoryData<string> Sources() =>
    [
        "committed default.parquet", "every kind, nulls, 7-row groups", "default-small", "ops-metrics (all-normal row groups)", "kept duplicates",
        "Parquet.Net, no digests, snappy", "Parquet.Net, no digests, uncompressed", "no series table", "one-row groups",
    ];

    private static async Task<string> WriteAsync(TempDir dir, string source)
    {
        var path = dir.File("data.parquet");
        switch (source)
        {
            case "committed default.parquet":
                return Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");
            case "every kind, nulls, 7-row groups":
                await Samples.WriteAsync(path, Samples.Batch(minutes: 40), rowGroupSize: 7);
                break;
            case "default-small":
                await WriteGeneratedAsync(path, Presets.Get(Presets.DefaultSmall).WithOverrides(sources: 3, points: 2000, seed: 11), 1000);
                break;
            case "ops-metrics (all-normal row groups)":
                await WriteGeneratedAsync(path, Presets.Get(Presets.OpsMetrics).WithOverrides(sources: 4, points: 1440, seed: 5), 613);
                break;
            case "kept duplicates":
                var batch = new ObservationBatch(Samples.Names, 8);
                batch.Add(0, Samples.Minute(0), 1, AnomalyLabel.Normal);
                batch.Add(0, Samples.Minute(0), 2, AnomalyLabel.Normal);
                batch.Add(1, Samples.Minute(0), null, AnomalyLabel.Anomaly(AnomalyKind.Spike, 3));
                batch.Add(0, Samples.Minute(1), 3, AnomalyLabel.Normal);
                batch.Add(1, Samples.Minute(1), 4, AnomalyLabel.Normal);
                batch.Add(1, Samples.Minute(1), 5, AnomalyLabel.Normal);
                await using (var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe,
                    new DatasetWriterOptions { RowGroupSize = 4, DuplicateTimestamps = DuplicateTimestampPolicy.Keep }))
                {
                    await writer.WriteAsync(batch);
                }

                break;
            case "Parquet.Net, no digests, snappy":
                await Raw(30).WriteAsync(path, rowGroupSize: 40);
                break;
            case "Parquet.Net, no digests, uncompressed":
                {
                    var raw = Raw(30);
                    await RawFile.WriteColumnsAsync(path, raw.Columns(), raw.Metadata(), 40, new ParquetOptions { CompressionMethod = CompressionMethod.None });
                    break;
                }

            case "no series table":
                {
                    var raw = Raw(20);
                    var metadata = raw.Metadata();
                    metadata.Remove(LabeledDatasetFormat.SeriesKey);
                    await RawFile.WriteColumnsAsync(path, raw.Columns(drop: LabeledDatasetFormat.SeriesIdColumn), metadata, 16);
                    break;
                }

            case "one-row groups":
                await Samples.WriteAsync(path, Samples.Batch(minutes: 3), rowGroupSize: 1);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, null);
        }

        return path;
    }

    /// <summary>Rows written by Parquet.Net directly (no digests): 3 series, every third row an anomaly with a kind, some nulls.</summary>
    private static RawFile Raw(int minutes)
    {
        var raw = new RawFile(minutes * 3);
        string?[] kinds = ["spike", "level_shift", null, "drift"];
        for (var m = 0; m < minutes; m++)
        {
            for (var s = 0; s < 3; s++)
            {
                var r = (m * 3) + s;
                raw.Series[r] = Samples.Names[s];
                raw.SeriesId[r] = s;
                raw.Timestamp[r] = Samples.Minute(m);
                raw.Value[r] = r % 7 == 2 ? null : (r * 1.25) - 40;
                if (r % 3 == 1 && m % 4 != 0)
                {
                    raw.IsAnomaly[r] = true;
                    raw.Kind[r] = kinds[r % kinds.Length];
                    raw.Id[r] = r;
                }
            }
        }

        return raw;
    }

    private static async Task WriteGeneratedAsync(string path, DatasetSpec spec, int rowGroupSize)
    {
        var generator = new DatasetGenerator(spec);
        await LabeledDatasetWriter.WriteAsync(path, generator.SeriesNames, generator.Generate(),
            DatasetRecipe.Create("generate", spec.ToJson(), spec.Seed), new DatasetWriterOptions { RowGroupSize = rowGroupSize });
    }

    private sealed record Outcome(List<LabeledObservation> Rows, List<DateTimeKind> Kinds, DatasetReadReport Report, string? Error, int Own, int ParquetNet, int Verified);

    private static Outcome Read(string path, DatasetReaderOptions options)
    {
        using var reader = LabeledDatasetReader.Open(path, options);
        var rows = new List<LabeledObservation>();
        string? error = null;
        try
        {
            foreach (var row in reader.ReadObservations())
            {
                rows.Add(row);
            }
        }
        catch (DatasetFormatException e)
        {
            error = e.Message;
        }

        return new Outcome(rows, [.. rows.Select(r => r.Timestamp.Kind).Distinct()], reader.Report, error,
            reader.OwnDecodedChunks, reader.ParquetNetDecodedChunks, reader.VerifiedChunks);
    }

    private static void AssertSame(Outcome own, Outcome net)
    {
        Assert.Equal(net.Error, own.Error);
        Assert.Equal(net.Rows.Count, own.Rows.Count);
        Assert.Equal(net.Rows, own.Rows);
        Assert.Equal(net.Kinds, own.Kinds);
        Assert.Equal(net.Report, own.Report);
        Assert.Equal(net.Verified, own.Verified);
        Assert.Equal(0, net.Own);
        Assert.True(net.ParquetNet > 0);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task OwnDecoder_ReadsWhatParquetNetReads_AndTakesEveryChunk(string source)
    {
        using var dir = new TempDir();
        var path = await WriteAsync(dir, source);
        foreach (var options in new[]
        {
            DatasetReaderOptions.Default,
            new DatasetReaderOptions { Validation = DatasetValidation.Full },
            new DatasetReaderOptions { Prefetch = false, ReuseBatches = true },
            new DatasetReaderOptions { OutOfOrder = InvalidRowPolicy.Skip, DuplicateTimestamps = InvalidRowPolicy.Skip },
        })
        {
            var own = Read(path, options);
            var net = Read(path, options with { ForceParquetNetDecoder = true });
            Assert.Null(own.Error);
            Assert.NotEmpty(own.Rows);
            AssertSame(own, net);
            Assert.True(own.Own > 0);
            Assert.Equal(0, own.ParquetNet);
        }
    }

    [Fact]
    public async Task DuckDbFile_DecodesIdentically_OrFallsBack()
    {
        // An independent writer's layout (dictionary page offset set, its own page sizes, optional columns, micros).
        using var dir = new TempDir();
        var path = dir.File("duck.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT s.name AS series,
                       TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS timestamp,
                       CASE WHEN i % 11 = 5 THEN NULL ELSE CAST(i AS DOUBLE) * 0.5 - s.k END AS value,
                       i % 9 = 4 AS is_anomaly,
                       CASE WHEN i % 9 = 4 THEN (CASE WHEN i % 2 = 0 THEN 'spike' ELSE 'drift' END) END AS anomaly_kind,
                       CASE WHEN i % 9 = 4 THEN CAST(i AS INTEGER) END AS anomaly_id
                FROM range(0, 3000) r(i), (VALUES ('a', CAST(1 AS DOUBLE)), ('b', CAST(2 AS DOUBLE))) s(name, k)
                ORDER BY timestamp, series
            ) TO '{ForeignParquetImportTests.Quote(path)}' (FORMAT parquet, ROW_GROUP_SIZE 2048)
            """);

        var own = Read(path, DatasetReaderOptions.Default);
        var net = Read(path, ParquetNet);
        Assert.Null(own.Error);
        Assert.Equal(6000, own.Rows.Count);
        AssertSame(own, net);
        Assert.True(own.Own > 0 && own.ParquetNet == 0, $"own {own.Own}, Parquet.Net {own.ParquetNet} chunks");
    }

    [Fact]
    public void DuckDbParquetV2File_FallsBackPerChunk_ToParquetNetsOwnError()
    {
        // PARQUET_VERSION V2: DELTA_BINARY_PACKED timestamps (in DATA_PAGE v1 pages: DuckDB writes no DATA_PAGE_V2 pages,
        // see OwnDecoderDataPageV2Tests), outside the own decoder's contract:
        // that chunk falls back to Parquet.Net, which (6.1) cannot decode it either — the reader must give exactly the
        // error it gave before the own decoder existed, after decoding the chunks before it itself.
        using var dir = new TempDir();
        var path = dir.File("duck-v2.parquet");
        DuckDb.Execute($"""
            COPY (
                SELECT s.name AS series,
                       TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS timestamp,
                       CASE WHEN i % 11 = 5 THEN NULL ELSE CAST(i AS DOUBLE) * 0.5 - s.k END AS value,
                       i % 9 = 4 AS is_anomaly,
                       CASE WHEN i % 9 = 4 THEN (CASE WHEN i % 2 = 0 THEN 'spike' ELSE 'drift' END) END AS anomaly_kind,
                       CASE WHEN i % 9 = 4 THEN CAST(i AS INTEGER) END AS anomaly_id
                FROM range(0, 3000) r(i), (VALUES ('a', CAST(1 AS DOUBLE)), ('b', CAST(2 AS DOUBLE))) s(name, k)
                ORDER BY timestamp, series
            ) TO '{ForeignParquetImportTests.Quote(path)}' (FORMAT parquet, ROW_GROUP_SIZE 2048, PARQUET_VERSION V2)
            """);

        var own = Read(path, DatasetReaderOptions.Default);
        var net = Read(path, ParquetNet);
        Assert.NotNull(own.Error);
        Assert.Contains("field 'timestamp'", own.Error, StringComparison.Ordinal);
        Assert.Contains("DELTA_BINARY_PACKED", own.Error, StringComparison.Ordinal);
        AssertSame(own, net);
        Assert.True(own.Own > 0 && own.ParquetNet > 0, $"own {own.Own}, Parquet.Net {own.ParquetNet} chunks");
    }

    [Fact]
    public async Task DigestFile_FlippedPageHeader_FailsTheDigestCheck_BeforeEitherDecoder()
    {
        using var dir = new TempDir();
        var path = dir.File("d.parquet");
        await IntegrityTests.WriteGeneratedAsync(path);
        var (start, _, _) = await IntegrityTests.ChunkRangeAsync(path, 2, LabeledDatasetFormat.TimestampColumn);
        IntegrityTests.FlipBytes(path, start + 1, 2);

        var own = Read(path, DatasetReaderOptions.Default);
        var net = Read(path, ParquetNet);
        Assert.Contains("row group 2", own.Error, StringComparison.Ordinal);
        Assert.Contains(LabeledDatasetFormat.TimestampColumn, own.Error, StringComparison.Ordinal);
        Assert.Contains("does not match its recorded digest", own.Error, StringComparison.Ordinal);
        AssertSame(own, net);
    }

    [Fact]
    public async Task DigestFreeFile_FlippedPageHeaderBytes_GiveOneTypedErrorOrARead_NeverAnotherException()
    {
        using var dir = new TempDir();
        var clean = dir.File("clean.parquet");
        await Raw(30).WriteAsync(clean, rowGroupSize: 40);
        var expected = Read(clean, DatasetReaderOptions.Default);
        var bytes = File.ReadAllBytes(clean);
        var errors = 0;
        foreach (var column in new[] { LabeledDatasetFormat.SeriesIdColumn, LabeledDatasetFormat.TimestampColumn, LabeledDatasetFormat.ValueColumn, LabeledDatasetFormat.AnomalyKindColumn })
        {
            var (start, _, _) = await IntegrityTests.ChunkRangeAsync(clean, 1, column);
            for (var offset = 0; offset < 24; offset++)
            {
                var path = dir.File($"flip-{column}-{offset}.parquet");
                var damaged = (byte[])bytes.Clone();
                damaged[start + offset] ^= 0x5A;
                File.WriteAllBytes(path, damaged);

                // Any damage either reads (a changed count in statistics, say) or fails with one typed error naming the row group's column.
                var own = Read(path, DatasetReaderOptions.Default);
                Assert.True(own.Own > 0);
                if (own.Error is not null)
                {
                    errors++;
                    Assert.Contains("row group 1", own.Error, StringComparison.Ordinal);
                }

                File.Delete(path);
            }
        }

        Assert.Null(expected.Error);
        Assert.True(errors > 10, $"only {errors} of 96 flips failed the read");
    }

    [Fact]
    public async Task DigestFreeFile_FlippedPageType_NamesTheColumn_LikeParquetNet()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        await Raw(30).WriteAsync(path, rowGroupSize: 40);
        var (start, _, _) = await IntegrityTests.ChunkRangeAsync(path, 1, LabeledDatasetFormat.ValueColumn);

        // The page header's first field is its type (field header 0x15, then the zigzag type): 0 → 7 is no page type.
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x15, bytes[start]);
        bytes[start + 1] = 0x0E;
        File.WriteAllBytes(path, bytes);

        var own = Read(path, DatasetReaderOptions.Default);
        var net = Read(path, ParquetNet);
        Assert.NotNull(own.Error);
        Assert.NotNull(net.Error);
        var ownError = Assert.Throws<DatasetFormatException>(() => LabeledDatasetReader.Open(path).ReadObservations().ToList());
        Assert.Equal(1, ownError.RowGroup);
        Assert.Equal(LabeledDatasetFormat.ValueColumn, ownError.Field);
        Assert.IsType<ChunkDecodeException>(ownError.InnerException);
        var netError = Assert.Throws<DatasetFormatException>(() => LabeledDatasetReader.Open(path, ParquetNet).ReadObservations().ToList());
        Assert.Equal(netError.RowGroup, ownError.RowGroup);
        Assert.Equal(netError.Field, ownError.Field);
        Assert.Equal(net.Rows, own.Rows);
    }

    [Fact]
    public async Task DigestFreeFile_DictionaryIndexOutOfRange_IsOneTypedError()
    {
        // Without digests, written with the dataset writer's options (kinds dictionary-encoded); page headers are never
        // compressed, so the kind column's dictionary page header can be edited: it claims 1 entry instead of 2.
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = Raw(30);
        await RawFile.WriteColumnsAsync(path, raw.Columns(), raw.Metadata(), 90, DatasetSchema.CreateWriteOptions());
        var (start, dataPage, _) = await IntegrityTests.ChunkRangeAsync(path, 0, LabeledDatasetFormat.AnomalyKindColumn);
        var bytes = File.ReadAllBytes(path);
        var header = PageHeader.Parse(bytes.AsSpan((int)start));
        Assert.Equal(ParquetPageType.DictionaryPage, header.Kind);
        Assert.Equal(2, header.ValueCount); // spike, drift

        // The dictionary header's num_values: field 1, i32 (0x15), zigzag 2 = 0x04.
        // (The header's own first field, the page type DICTIONARY_PAGE = 2, is also 0x15 0x04: search after it.)
        var at = 2 + bytes.AsSpan((int)start + 2, header.HeaderSize - 2).IndexOf(new byte[] { 0x15, 0x04 });
        Assert.True(at > 2);
        bytes[start + at + 1] = 0x02;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DatasetFormatException>(() => LabeledDatasetReader.Open(path).ReadObservations().ToList());
        Assert.Equal(0, error.RowGroup);
        Assert.Equal(LabeledDatasetFormat.AnomalyKindColumn, error.Field);
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
        Assert.True(dataPage >= start);
    }

    [Fact]
    public async Task TruncatedChunk_EveryLength_IsADecodeError_NeverAnotherException()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = Raw(30);
        await raw.WriteAsync(path, rowGroupSize: 90);
        var bytes = File.ReadAllBytes(path);
        var (start, _, end) = await IntegrityTests.ChunkRangeAsync(path, 0, LabeledDatasetFormat.AnomalyKindColumn);
        var chunk = bytes.AsSpan((int)start, (int)(end - start)).ToArray();
        var decoder = new ColumnChunkDecoder();
        var values = new StringColumnValues(new ReadOnlyMemory<char>[90]);
        var levels = new int[90];

        Assert.Equal(raw.Kind.Count(k => k is not null), decoder.Decode(chunk, ParquetCodec.Snappy, nullable: true, 90, values, levels));
        for (var length = 0; length < chunk.Length; length++)
        {
            Assert.Throws<ChunkDecodeException>(() => decoder.Decode(chunk.AsSpan(0, length), ParquetCodec.Snappy, nullable: true, 90, values, levels));
        }
    }

    [Fact]
    public async Task SteadyState_DecodingARowGroup_AllocatesNothingThatGrowsWithTheRows()
    {
        // Snappier allocates its 80-byte decompressor per call, i.e. per page: a few hundred bytes per row group (about
        // one page per column chunk here), never per row. Two files alike but for their row-group size (20×) must
        // allocate about the same.
        using var dir = new TempDir();
        var spec = Presets.Get(Presets.OpsMetrics).WithOverrides(sources: 12, points: 3000, seed: 3);
        var small = dir.File("small.parquet");
        var large = dir.File("large.parquet");
        await WriteGeneratedAsync(small, spec, 1_000);
        await WriteGeneratedAsync(large, spec, 20_000);
        var failures = new List<string>();
        foreach (var options in new[] { DatasetReaderOptions.Default, new DatasetReaderOptions { Validation = DatasetValidation.Full }, new DatasetReaderOptions { VerifyIntegrity = false } })
        {
            var perGroup = new List<long>();
            foreach (var path in new[] { small, large })
            {
                await using var reader = await LabeledDatasetReader.OpenAsync(path, options with { Prefetch = false });
                Assert.True(reader.RowGroupCount > 3);
                perGroup.Add(Least(() => reader.DecodeAllocations(1)));
                perGroup.Add(Least(() => reader.DecodeAllocations(2)));
                Assert.Equal(0, reader.ParquetNetDecodedChunks);
                Assert.True(reader.OwnDecodedChunks > 0);
            }

            // 80 bytes per page, 6–9 pages per row group, whether it has 1,000 rows or 20,000.
            if (perGroup.Max() > 1024 || perGroup[2] > perGroup[0] + 240)
            {
                failures.Add($"{options.Validation}, verify {options.VerifyIntegrity}: [{string.Join(", ", perGroup)}] bytes allocated decoding a row group");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task SteadyState_UncompressedFile_DecodingARowGroup_AllocatesNothing()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        var raw = Raw(400);
        await RawFile.WriteColumnsAsync(path, raw.Columns(), raw.Metadata(), 200, new ParquetOptions { CompressionMethod = CompressionMethod.None });
        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { Prefetch = false, Validation = DatasetValidation.Full });
        Assert.True(reader.RowGroupCount > 3);
        Assert.Equal(0, Least(() => reader.DecodeAllocations(1)));
        Assert.Equal(0, Least(() => reader.DecodeAllocations(2)));
        Assert.Equal(0, reader.ParquetNetDecodedChunks);
    }

    /// <summary>
    /// The least of three measurements: the runtime may now and then allocate on the test thread for its own reasons
    /// (a JIT tier-up, say); an allocation the decoder makes shows in every one of them.
    /// </summary>
    private static long Least(Func<long> measure) => Math.Min(measure(), Math.Min(measure(), measure()));
}
