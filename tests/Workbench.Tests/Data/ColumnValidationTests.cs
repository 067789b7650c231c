using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Tests.Support;

namespace Workbench.Tests.Data;

/// <summary>
/// The reader's column path (issue 12 part 2: rules checked over whole columns, columns copied in bulk) against its row
/// path (the row-by-row loop it replaced, still taken under a skip policy or <see cref="DatasetValidation.Full"/>): the
/// same observations, counts and errors; and no allocation that grows with the rows of a row group.
/// </summary>
public class ColumnValidationTests
{
    // Forces the row path for a valid file without changing what is read: nothing is out of order, so nothing is skipped.
    private static readonly DatasetReaderOptions RowPath = new() { OutOfOrder = InvalidRowPolicy.Skip };

    public static TheoryData<string> Sources() => ["committed default.parquet", "every kind, nulls", "default-small", "ops-metrics", "kept duplicates"];

    private static async Task<string> WriteAsync(TempDir dir, string source)
    {
        var path = dir.File("data.parquet");
        switch (source)
        {
            case "committed default.parquet":
                return Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");
            case "every kind, nulls":
                await Samples.WriteAsync(path, Samples.Batch(minutes: 40), rowGroupSize: 7);
                break;
            case "default-small":
                await WriteGeneratedAsync(path, Presets.Get(Presets.DefaultSmall).WithOverrides(sources: 3, points: 2000, seed: 11), 1000);
                break;
            case "ops-metrics":
                await WriteGeneratedAsync(path, Presets.Get(Presets.OpsMetrics).WithOverrides(sources: 4, points: 1440, seed: 5), 4099);
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
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, null);
        }

        return path;
    }

    private static async Task WriteGeneratedAsync(string path, DatasetSpec spec, int rowGroupSize)
    {
        var generator = new DatasetGenerator(spec);
        await LabeledDatasetWriter.WriteAsync(path, generator.SeriesNames, generator.Generate(),
            DatasetRecipe.Create("generate", spec.ToJson(), spec.Seed), new DatasetWriterOptions { RowGroupSize = rowGroupSize });
    }

    private static (List<LabeledObservation> Rows, DatasetReadReport Report) Read(string path, DatasetReaderOptions options)
    {
        using var reader = LabeledDatasetReader.Open(path, options);
        List<LabeledObservation> rows = [.. reader.ReadObservations()];
        return (rows, reader.Report);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task ColumnPath_ReadsWhatTheRowPathReads(string source)
    {
        using var dir = new TempDir();
        var path = await WriteAsync(dir, source);

        var (columns, columnReport) = Read(path, DatasetReaderOptions.Default);
        var (rows, rowReport) = Read(path, RowPath);
        var (full, _) = Read(path, new DatasetReaderOptions { Validation = DatasetValidation.Full, Prefetch = false });

        Assert.NotEmpty(columns);
        Assert.Equal(rows, columns);
        Assert.Equal(full, columns);
        Assert.Equal(rowReport, columnReport);
    }

    [Fact]
    public async Task Sources_CoverMissingValuesAndEveryAnomalyKind()
    {
        // The equality test above is only as strong as its data: between them the sources hold missing values,
        // anomalies of every well-known kind, an unknown kind, an anomaly without kind, and kept duplicates.
        using var dir = new TempDir();
        var all = new List<LabeledObservation>();
        long keptDuplicates = 0;
        foreach (var source in Sources())
        {
            var path = await WriteAsync(dir, source);
            var (rows, report) = Read(path, DatasetReaderOptions.Default);
            all.AddRange(rows);
            keptDuplicates += report.KeptDuplicates;
            File.Delete(dir.File("data.parquet"));
        }

        Assert.Contains(all, o => o.IsMissing);
        foreach (var kind in AnomalyKind.Injected.Append(AnomalyKind.LabelledWindow))
        {
            Assert.Contains(all, o => o.Label.Kind == kind);
        }

        Assert.Contains(all, o => o.Label is { IsAnomaly: true, Kind: null });
        Assert.Contains(all, o => o.Label.Kind is { } k && !AnomalyKind.IsWellKnown(k.Name));
        Assert.Equal(2, keptDuplicates);
    }

    /// <summary>Faults planted in <see cref="RawFile.Valid"/> (12 rows: 4 minutes × 3 series; row 7 is the anomaly).</summary>
    public static TheoryData<string> Faults() =>
    [
        "nan@5", "infinity@0", "anomaly-without-id@7", "normal-with-kind@3", "normal-with-id@11", "empty-kind@7",
        "series-id-out-of-range@6", "out-of-order@9", "duplicate@4", "canonical-order@2",
        "nan@9+out-of-order@5", "out-of-order@5+nan@9", "normal-with-id@3+series-id-out-of-range@3", "empty-kind@7+nan@7",
    ];

    private static void Plant(RawFile raw, string fault)
    {
        var (kind, row) = (fault[..fault.IndexOf('@', StringComparison.Ordinal)], int.Parse(fault[(fault.IndexOf('@', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        switch (kind)
        {
            case "nan":
                raw.Value[row] = double.NaN;
                break;
            case "infinity":
                raw.Value[row] = double.PositiveInfinity;
                break;
            case "anomaly-without-id":
                raw.Id[row] = null;
                break;
            case "normal-with-kind":
                raw.Kind[row] = "drift";
                break;
            case "normal-with-id":
                raw.Id[row] = 4;
                break;
            case "empty-kind":
                raw.Kind[row] = " ";
                break;
            case "series-id-out-of-range":
                raw.SeriesId[row] = 3;
                break;
            case "out-of-order":
                raw.Timestamp[row] = Samples.Minute(0).AddSeconds(-1);
                break;
            case "duplicate":
                raw.Timestamp[row] = raw.Timestamp[row - 3];
                break;
            case "canonical-order":
                // Row 2 (series 2) moves from minute 0 to minute 1: row 3 (series 0, minute 1) then comes after series 2 at the same minute.
                raw.Timestamp[row] = Samples.Minute(1);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ColumnPath_ThrowsTheRowPathsError(string faults)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.parquet");
        var raw = RawFile.Valid();
        foreach (var fault in faults.Split('+'))
        {
            Plant(raw, fault);
        }

        await raw.WriteAsync(path, rowGroupSize: 5);

        var columns = Assert.Throws<DatasetFormatException>(() => Read(path, DatasetReaderOptions.Default));
        var full = Assert.Throws<DatasetFormatException>(() => Read(path, new DatasetReaderOptions { Validation = DatasetValidation.Full }));

        Assert.Equal(full.Message, columns.Message);
        Assert.Equal(full.Row, columns.Row);
        Assert.Equal(full.Field, columns.Field);
        Assert.Equal(full.Series, columns.Series);
    }

    [Fact]
    public async Task Validation_AllocatesNothingThatGrowsWithTheRows()
    {
        // Two files alike but for their row-group size (1,000 and 64,000 rows, same generator): validating one row group
        // must allocate the same (bounded) number of bytes, whatever its rows — on the column path and on the row path.
        using var dir = new TempDir();
        var spec = Presets.Get(Presets.OpsMetrics).WithOverrides(sources: 12, points: 2000, seed: 3);
        var small = dir.File("small.parquet");
        var large = dir.File("large.parquet");
        await WriteGeneratedAsync(small, spec, 1_000);
        await WriteGeneratedAsync(large, spec, 64_000);

        foreach (var options in new[] { DatasetReaderOptions.Default, RowPath })
        {
            var perGroup = new List<long>();
            foreach (var path in new[] { small, large })
            {
                await using var reader = await LabeledDatasetReader.OpenAsync(path, options with { Prefetch = false });
                var batch = new ObservationBatch(reader.SeriesNames, 64_000);

                // Row group 0 (1,000 or 64,000 rows) twice: the first call fills the reader's kind cache (a string per kind, once).
                await reader.MaterializeAllocationsAsync(0, batch);
                var bytes = await reader.MaterializeAllocationsAsync(0, batch);
                Assert.True(batch.Count > 0);
                perGroup.Add(bytes);
            }

            Assert.Equal(0, perGroup[0]);
            Assert.Equal(0, perGroup[1]);
        }
    }
}
