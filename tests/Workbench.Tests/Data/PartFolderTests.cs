using System.Globalization;
using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Tests.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Data;

/// <summary>
/// Part folders (issue 12.1): <see cref="LabeledDatasetPartsWriter"/> cuts the rows into part files encoded in
/// parallel; <see cref="DatasetPartsReader"/> reads a folder or a glob back as one dataset, in the single file's order
/// and with its values; DuckDB reads the glob the same way; broken folders fail with one line.
/// </summary>
public class PartFolderTests
{
    private const int RowGroupSize = 1000;

    private static readonly DatasetSpec Spec = Presets.Get("default-small").WithOverrides(sources: 2, points: 1440, seed: 7);

    private static DatasetRecipe Recipe(DatasetSpec spec) => DatasetRecipe.Create("generate", spec.ToJson(), spec.Seed);

    private static Task WriteSingleAsync(string path, DatasetSpec? spec = null)
    {
        var s = spec ?? Spec;
        var g = new DatasetGenerator(s);
        return LabeledDatasetWriter.WriteAsync(path, g.SeriesNames, g.Generate(700), Recipe(s), new DatasetWriterOptions { RowGroupSize = RowGroupSize });
    }

    private static Task WritePartsAsync(string folder, int partRowGroups = 1, int parallel = 0, DatasetSpec? spec = null)
    {
        var s = spec ?? Spec;
        var g = new DatasetGenerator(s);
        return LabeledDatasetPartsWriter.WriteAsync(folder, g.SeriesNames, g.Generate(700), Recipe(s),
            new DatasetWriterOptions { RowGroupSize = RowGroupSize, PartRowGroups = partRowGroups, ParallelParts = parallel });
    }

    private static async Task<List<LabeledObservation>> ReadAllAsync(string location)
    {
        await using var reader = await DatasetPartsReader.OpenAsync(location);
        var rows = new List<LabeledObservation>();
        await foreach (var batch in reader.ReadBatchesAsync())
        {
            rows.AddRange(batch.AsObservations());
        }

        Assert.Equal(reader.RowCount, rows.Count);
        Assert.Equal(reader.RecordedChunks, reader.VerifiedChunks);
        return rows;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task PartFolder_ReadsBackInTheSingleFilesOrder_WithItsValues(int partRowGroups)
    {
        using var dir = new TempDirectory();
        await WriteSingleAsync(dir.File("single.parquet"));
        await WritePartsAsync(dir.File("parts"), partRowGroups);

        var expectedParts = (int)Math.Ceiling(new DatasetGenerator(Spec).TotalRows / (double)(RowGroupSize * partRowGroups));
        var parts = Directory.GetFiles(dir.File("parts")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, expectedParts).Select(LabeledDatasetPartsWriter.PartFileName), parts);

        var single = await ReadAllAsync(dir.File("single.parquet"));
        Assert.Equal(single, await ReadAllAsync(dir.File("parts")));
        Assert.Equal(single, await ReadAllAsync(dir.File("parts") + "/"));
        Assert.Equal(single, await ReadAllAsync(Path.Combine(dir.File("parts"), "part-*.parquet")));

        // The synchronous path and the in-memory set agree too.
        using (var reader = DatasetPartsReader.Open(dir.File("parts")))
        {
            Assert.Equal(single, reader.ReadObservations().ToList());
            Assert.Equal(new DatasetReadReport(single.Count, single.Count, 0, 0), reader.Report);
        }

        var a = await LabeledSeriesSet.LoadAsync(dir.File("single.parquet"));
        var b = await LabeledSeriesSet.LoadAsync(dir.File("parts"));
        Assert.Equal("parts", b.Name);
        Assert.Equal(a.Series.Select(s => s.Name), b.Series.Select(s => s.Name));
        Assert.Equal(a.Series.SelectMany(s => s.Values), b.Series.SelectMany(s => s.Values));
        Assert.Equal(a.Series.SelectMany(s => s.Labels), b.Series.SelectMany(s => s.Labels));
    }

    [Fact]
    public async Task EveryPart_IsACompleteDatasetFile_WithTheSeriesTableRecipeAndDigests()
    {
        using var dir = new TempDirectory();
        await WritePartsAsync(dir.File("parts"), partRowGroups: 2);
        var generator = new DatasetGenerator(Spec);
        long rows = 0;
        foreach (var part in Directory.GetFiles(dir.File("parts")).Order(StringComparer.Ordinal))
        {
            await using var reader = await LabeledDatasetReader.OpenAsync(part);
            Assert.Equal(generator.SeriesNames, reader.SeriesNames);
            Assert.Equal(Recipe(Spec), reader.Recipe);
            Assert.True(reader.HasIntegrityDigests);
            Assert.Equal(reader.RowGroupCount * 7, reader.RecordedChunks);
            rows += reader.RowCount;
        }

        Assert.Equal(generator.TotalRows, rows);
    }

    [Fact]
    public async Task Parts_AreByteIdentical_WhateverTheParallelism_AndSingleFileStaysDeterministic()
    {
        using var dir = new TempDirectory();
        await WritePartsAsync(dir.File("one"), parallel: 1);
        await WritePartsAsync(dir.File("four"), parallel: 4);
        var one = Directory.GetFiles(dir.File("one")).Order(StringComparer.Ordinal).ToArray();
        var four = Directory.GetFiles(dir.File("four")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(one.Select(Path.GetFileName), four.Select(Path.GetFileName));
        for (var i = 0; i < one.Length; i++)
        {
            Assert.Equal(await File.ReadAllBytesAsync(one[i]), await File.ReadAllBytesAsync(four[i]));
        }

        await WriteSingleAsync(dir.File("a.parquet"));
        await WriteSingleAsync(dir.File("b.parquet"));
        Assert.Equal(await File.ReadAllBytesAsync(dir.File("a.parquet")), await File.ReadAllBytesAsync(dir.File("b.parquet")));
    }

    [Fact]
    public async Task ExistingPartFolder_IsReplaced_AndAFolderWithOtherFilesIsRefused()
    {
        using var dir = new TempDirectory();
        await WritePartsAsync(dir.File("parts"), partRowGroups: 1);
        await WritePartsAsync(dir.File("parts"), partRowGroups: 5);
        var total = new DatasetGenerator(Spec).TotalRows;
        Assert.Equal((int)Math.Ceiling(total / (5.0 * RowGroupSize)), Directory.GetFiles(dir.File("parts")).Length); // no part of the first folder is left
        Assert.Equal([dir.File("parts")], Directory.GetDirectories(dir.Path)); // no staging or old folder left beside it
        await WriteSingleAsync(dir.File("single.parquet"));
        Assert.Equal(await ReadAllAsync(dir.File("single.parquet")), await ReadAllAsync(dir.File("parts")));

        Directory.CreateDirectory(dir.File("mine"));
        await File.WriteAllTextAsync(dir.File("mine/notes.txt"), "keep me");
        var ex = await Assert.ThrowsAsync<UnsafePathException>(() => WritePartsAsync(dir.File("mine")));
        Assert.Contains("holds 'notes.txt', which is not a part file", ex.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(dir.File("mine/notes.txt")));
    }

    [Fact]
    public async Task RowOutOfOrderAcrossAPartBoundary_FailsNamingThePart_AndLeavesNothing()
    {
        using var dir = new TempDirectory();
        var names = Samples.Names;
        var batch = new ObservationBatch(names, 8);
        batch.Add(0, Samples.Minute(0), 1, AnomalyLabel.Normal);
        batch.Add(1, Samples.Minute(0), 1, AnomalyLabel.Normal);
        batch.Add(0, Samples.Minute(1), 1, AnomalyLabel.Normal);
        batch.Add(0, Samples.Minute(1), 1, AnomalyLabel.Normal); // the first row of part 1 repeats the last of part 0
        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => LabeledDatasetPartsWriter.WriteAsync(
            dir.File("parts"), names, [batch], Samples.Recipe, new DatasetWriterOptions { RowGroupSize = 3 }));
        Assert.Equal(dir.File("parts/part-00001.parquet"), ex.FilePath);
        Assert.Equal(0, ex.Row);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task EmptyFolder_OrGlobMatchingNothing_GivesOneLine()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("empty"));
        await File.WriteAllTextAsync(dir.File("empty/_SUCCESS"), string.Empty);
        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetPartsReader.OpenAsync(dir.File("empty")));
        Assert.Equal($"{dir.File("empty")}: the folder holds no .parquet part file, so it is not a dataset (names starting with '.' or '_' are not parts)", ex.Message);

        var glob = dir.File("empty/*.parquet");
        ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetPartsReader.OpenAsync(glob));
        Assert.StartsWith($"{glob}: the pattern matches no part file", ex.Message, StringComparison.Ordinal);

        ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetPartsReader.OpenAsync(dir.File("*/x.parquet")));
        Assert.Contains("a wildcard may only appear in the file name", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() => DatasetPartsReader.OpenAsync(dir.File("missing/*.parquet")));
    }

    [Fact]
    public async Task PartsOfDifferentDatasets_FailOnOpen_NamingThePartAndTheDifference()
    {
        using var dir = new TempDirectory();
        await WritePartsAsync(dir.File("parts"));
        await WriteSingleAsync(dir.File("other.parquet"), Spec.WithOverrides(sources: 3));
        File.Copy(dir.File("other.parquet"), dir.File("parts/part-00099.parquet"));
        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetPartsReader.OpenAsync(dir.File("parts")));
        Assert.Equal(dir.File("parts/part-00099.parquet"), ex.FilePath);
        var mine = new DatasetGenerator(Spec).SeriesNames.Count;
        var theirs = new DatasetGenerator(Spec.WithOverrides(sources: 3)).SeriesNames.Count;
        Assert.Contains($"its series table ({theirs} series) differs from that of the first part part-00000.parquet ({mine} series): the parts are not one dataset", ex.Message, StringComparison.Ordinal);

        // Same series, another seed: the recipe differs.
        File.Delete(dir.File("parts/part-00099.parquet"));
        await WriteSingleAsync(dir.File("seed.parquet"), Spec.WithOverrides(seed: 8));
        File.Copy(dir.File("seed.parquet"), dir.File("parts/part-00099.parquet"));
        ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetPartsReader.OpenAsync(dir.File("parts")));
        Assert.Contains("its recipe (generate, seed 8,", ex.Message, StringComparison.Ordinal);
        Assert.Contains("differs from that of the first part part-00000.parquet (generate, seed 7,", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out-of-order")]
    [InlineData("overlap")]
    public async Task PartsOutOfOrderOrOverlapping_FailAtTheBoundary_NamingBothParts(string shape)
    {
        using var dir = new TempDirectory();
        await WritePartsAsync(dir.File("parts"));
        string expectedPart;
        string expectedPrevious;
        if (shape == "out-of-order")
        {
            // Part 0 renamed to sort last: part-00001 comes first, and part 0's first row precedes the last row before it.
            expectedPrevious = Path.GetFileName(Directory.GetFiles(dir.File("parts")).Order(StringComparer.Ordinal).Last());
            expectedPart = "part-zzzzz.parquet";
            File.Move(dir.File("parts/part-00000.parquet"), dir.File("parts/" + expectedPart));
        }
        else
        {
            // A copy of part 1 beside it: its rows repeat part 1's.
            File.Copy(dir.File("parts/part-00001.parquet"), dir.File("parts/part-00001a.parquet"));
            expectedPart = "part-00001a.parquet";
            expectedPrevious = "part-00001.parquet";
        }

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => ReadAllAsync(dir.File("parts")));
        Assert.Equal(dir.File("parts/" + expectedPart), ex.FilePath);
        Assert.Equal(0, ex.Row);
        Assert.Contains($"the part does not follow {expectedPrevious}: its first row (", ex.Message, StringComparison.Ordinal);
        Assert.Contains("comes before that part's last row", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("the parts overlap or are out of order (parts are read in name order)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task DuckDb_ReadsTheGlob_InTheSingleFilesOrder_AndPrunesByStatistics()
    {
        using var dir = new TempDirectory();
        await WriteSingleAsync(dir.File("single.parquet"));
        await WritePartsAsync(dir.File("parts"));
        var rows = await ReadAllAsync(dir.File("single.parquet"));
        var cut = rows[rows.Count / 3].Timestamp;
        var expectedAfter = rows.Count(r => r.Timestamp >= cut);
        var cutText = cut.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        string Export(string source, string name, string where = "")
        {
            var csv = dir.File(name);
            DuckDb.Execute(
                $"COPY (SELECT series, series_id, epoch_ms(timestamp) AS t, value, is_anomaly, anomaly_kind, anomaly_id FROM read_parquet('{source}') {where}) TO '{csv}' (HEADER false)");
            return File.ReadAllText(csv);
        }

        // No ORDER BY: DuckDB keeps the insertion order, i.e. the files of the glob in name order, each in file order.
        var single = Export(dir.File("single.parquet"), "single.csv");
        var glob = Export(Path.Combine(dir.File("parts"), "*.parquet"), "glob.csv");
        Assert.Equal(rows.Count, single.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(single, glob);

        // A timestamp filter prunes row groups by their statistics: every matching row must still come back.
        var after = Export(Path.Combine(dir.File("parts"), "*.parquet"), "after.csv", $"WHERE timestamp >= TIMESTAMPTZ '{cutText}+00'");
        Assert.Equal(expectedAfter, after.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
