using Workbench.Core;
using Workbench.Data;

namespace Workbench.Tests.Data;

public class DuplicateTimestampPolicyTests
{
    private static ObservationBatch WithRepeats()
    {
        // host-1 repeats minute 1 twice (two kept duplicates); host-2 is regular.
        var batch = new ObservationBatch(Samples.Names, 8);
        batch.Add(0, Samples.Minute(0), 1, AnomalyLabel.Normal);
        batch.Add(1, Samples.Minute(0), 2, AnomalyLabel.Normal);
        batch.Add(0, Samples.Minute(1), 3, AnomalyLabel.Normal);
        batch.Add(0, Samples.Minute(1), 4, AnomalyLabel.Anomaly(AnomalyKind.LabelledWindow, 0));
        batch.Add(0, Samples.Minute(1), 5, AnomalyLabel.Normal);
        batch.Add(1, Samples.Minute(1), 6, AnomalyLabel.Normal);
        return batch;
    }

    [Fact]
    public async Task Keep_WritesRepeatedTimestamps_CountsThem_AndReadersAcceptThemByDeclaration()
    {
        using var dir = new TempDir();
        var path = dir.File("keep.parquet");
        var batch = WithRepeats();
        long written;
        await using (var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe,
                         new DatasetWriterOptions { DuplicateTimestamps = DuplicateTimestampPolicy.Keep }))
        {
            await writer.WriteAsync(batch);
            written = writer.DuplicateTimestampRows;
        }

        Assert.Equal(2, written);
        await using var reader = await LabeledDatasetReader.OpenAsync(path);
        Assert.True(reader.KeepsDuplicateTimestamps);
        Assert.Equal(batch.AsObservations(), reader.ReadObservations().ToList());
        Assert.Equal(new DatasetReadReport(6, 6, 0, 0, 2), reader.Report);
    }

    [Fact]
    public async Task Error_IsTheDefault_AndNamesTheRow()
    {
        using var dir = new TempDir();
        var path = dir.File("error.parquet");
        var e = await Assert.ThrowsAsync<DatasetFormatException>(async () =>
        {
            await using var writer = await LabeledDatasetWriter.CreateAsync(path, Samples.Names, Samples.Recipe);
            await writer.WriteAsync(WithRepeats());
        });

        Assert.Equal(3, e.Row);
        Assert.Equal("host-1/latency", e.Series);
        Assert.Contains("duplicate timestamp", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ReaderKeep_OnUndeclaredFile_KeepsAndCounts_WhileDefaultStillFails()
    {
        using var dir = new TempDir();
        var path = dir.File("raw.parquet");
        // Canonical order holds, but host-1 repeats minute 0 (row 1) as a tool without the declaration could write.
        var raw = new RawFile(3);
        (raw.Series[0], raw.SeriesId[0], raw.Timestamp[0], raw.Value[0]) = (Samples.Names[0], 0, Samples.Minute(0), 1);
        (raw.Series[1], raw.SeriesId[1], raw.Timestamp[1], raw.Value[1]) = (Samples.Names[0], 0, Samples.Minute(0), 2);
        (raw.Series[2], raw.SeriesId[2], raw.Timestamp[2], raw.Value[2]) = (Samples.Names[1], 1, Samples.Minute(0), 3);
        await raw.WriteAsync(path);

        Assert.Equal(1, Assert.Throws<DatasetFormatException>(() => Samples.ReadAll(path)).Row);
        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { DuplicateTimestamps = InvalidRowPolicy.Keep });
        Assert.False(reader.KeepsDuplicateTimestamps);
        Assert.Equal([1.0, 2.0, 3.0], reader.ReadObservations().Select(o => o.Value!.Value));
        Assert.Equal(1, reader.Report.KeptDuplicates);
    }

    [Fact]
    public void ReaderOptions_OutOfOrderKeep_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetReaderOptions { OutOfOrder = InvalidRowPolicy.Keep }.Validate());
}
