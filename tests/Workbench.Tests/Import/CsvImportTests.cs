using Workbench.Data;
using Workbench.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Import;

/// <summary>CSV files of several shapes through <see cref="DatasetImporter"/>, read back with the dataset reader.</summary>
public sealed class CsvImportTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    internal static async Task<(ImportReport Report, LabeledSeriesSet Set, bool Unlabelled)> ImportAsync(
        TempDirectory dir, string csv, ImportOptions? options = null, string name = "data.csv")
    {
        var input = dir.File(name);
        await File.WriteAllTextAsync(input, csv);
        var output = dir.File("out.parquet");
        var report = await DatasetImporter.ImportAsync([input], ImportFormat.Csv, output, options);
        await using var reader = await LabeledDatasetReader.OpenAsync(output, new DatasetReaderOptions { Validation = DatasetValidation.Full });
        return (report, await LabeledSeriesSet.LoadAsync(output), reader.IsUnlabelled);
    }

    private static async Task<ImportException> FailsAsync(TempDirectory dir, string csv, ImportOptions? options = null)
    {
        var input = dir.File("bad.csv");
        await File.WriteAllTextAsync(input, csv);
        var output = dir.File("failed.parquet");
        var e = await Assert.ThrowsAsync<ImportException>(() => DatasetImporter.ImportAsync([input], ImportFormat.Csv, output, options));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        return e;
    }

    [Fact]
    public async Task Long_Unsorted_IsSortedStably_IntoCanonicalOrder_WithLabelsAndEvents()
    {
        using var dir = new TempDirectory();
        var (report, set, unlabelled) = await ImportAsync(dir, """
            series,timestamp,value,label
            b,2024-01-01 00:00:01,2.5,0
            a,2024-01-01 00:00:00,1.0,0
            a,2024-01-01 00:00:01,NaN,1
            b,2024-01-01 00:00:00,3,false
            a,2024-01-01 00:00:02,4,anomaly
            a,2024-01-01 00:00:03,5,normal
            a,2024-01-01 00:00:04,6,yes
            """);

        Assert.False(unlabelled);
        Assert.True(report.Labelled);
        Assert.Equal(["b", "a"], set.Series.Select(s => s.Name));
        var a = set.Series[1];
        Assert.Equal(Enumerable.Range(0, 5).Select(i => T0.AddSeconds(i)), a.Timestamps);
        Assert.Equal([1.0, null, 4, 5, 6], a.Values);
        Assert.Equal([false, true, true, false, true], a.IsAnomaly);
        Assert.Equal([null, 0, 0, null, 1], a.EventIds);
        Assert.Equal([3.0, 2.5], set.Series[0].Values);
        Assert.Equal(1, report.MissingValues);
        Assert.Equal(1, report.NaNAsMissing);
        Assert.Equal(3, report.AnomalousRows);
        Assert.Equal(2, report.Events);
        Assert.True(report.ReorderedRows > 0);
    }

    [Fact]
    public async Task Unlabelled_AllRowsNormal_AndTheFileSaysSo()
    {
        using var dir = new TempDirectory();
        var (report, set, unlabelled) = await ImportAsync(dir, "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,2\n", name: "cpu.csv");

        Assert.True(unlabelled);
        Assert.False(report.Labelled);
        Assert.Equal("cpu", Assert.Single(set.Series).Name);
        Assert.All(set.Series[0].IsAnomaly, Assert.False);
    }

    [Fact]
    public async Task Wide_SeriesFromColumns_EachValueColumnIsASeries_SharingTheLabel()
    {
        using var dir = new TempDirectory();
        var (report, set, _) = await ImportAsync(dir, """
            timestamp,cpu,mem,is_anomaly
            1704067200,1,10,0
            1704067260,2,,1
            """, new ImportOptions { SeriesFromColumns = true });

        Assert.Equal(["cpu", "mem"], set.Series.Select(s => s.Name));
        Assert.Equal([T0, T0.AddMinutes(1)], set.Series[1].Timestamps);
        Assert.Equal([10.0, null], set.Series[1].Values);
        Assert.Equal([false, true], set.Series[0].IsAnomaly);
        Assert.Equal(4, report.Rows);
        Assert.Contains("Unix seconds", report.Mapping, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NaiveTimestamps_AreReadInTheGivenZone_ZonedOnesKeepTheirOffset()
    {
        using var dir = new TempDirectory();
        var (_, set, _) = await ImportAsync(dir, """
            timestamp,value
            2024-07-01 12:00:00,1
            2024-07-01T12:00:01+00:00,2
            2024-07-01T12:00:02Z,3
            """, new ImportOptions { TimeZone = "Europe/Berlin" });

        var ts = set.Series[0].Timestamps;
        Assert.Equal(new DateTime(2024, 7, 1, 10, 0, 0, DateTimeKind.Utc), ts[0]); // CEST = UTC+2
        Assert.Equal(new DateTime(2024, 7, 1, 12, 0, 1, DateTimeKind.Utc), ts[1]);
        Assert.Equal(new DateTime(2024, 7, 1, 12, 0, 2, DateTimeKind.Utc), ts[2]);
    }

    [Fact]
    public async Task LocalTimeInADaylightSavingGap_IsRejected_NamingLineAndColumn()
    {
        using var dir = new TempDirectory();
        var e = await FailsAsync(dir, "timestamp,value\n2024-03-31 01:59:00,1\n2024-03-31 02:30:00,2\n", new ImportOptions { TimeZone = "Europe/Berlin" });

        Assert.Equal("line 3", e.Location);
        Assert.Equal("timestamp", e.Column);
        Assert.Contains("does not exist in Europe/Berlin", e.Message, StringComparison.Ordinal);
        Assert.Contains("fix:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00.000123Z")]
    [InlineData("2024-01-01T00:00:00.000000001Z")] // below Parquet.Net's and .NET's 100 ns tick: still seen
    [InlineData("1704067200000000001")] // Unix nanoseconds
    public async Task SubMillisecondPrecision_IsRejected_OrFlooredAndCounted(string timestamp)
    {
        using var dir = new TempDirectory();
        var csv = $"timestamp,value\n{timestamp},1\n";
        var e = await FailsAsync(dir, csv);
        Assert.Contains("sub-millisecond", e.Message, StringComparison.Ordinal);
        Assert.Equal("line 2", e.Location);

        var (report, set, _) = await ImportAsync(dir, csv, new ImportOptions { SubMillisecond = SubMillisecondPolicy.Floor });
        Assert.Equal(1, report.FlooredTimestamps);
        Assert.Equal(T0, set.Series[0].Timestamps[0]);
    }

    [Fact]
    public async Task NanosecondTimestamps_OnWholeMilliseconds_AreKept()
    {
        using var dir = new TempDirectory();
        var (report, set, _) = await ImportAsync(dir, "timestamp,value\n2024-01-01T00:00:00.123000000Z,1\n1704067200124000000,2\n");
        Assert.Equal([T0.AddMilliseconds(123), T0.AddMilliseconds(124)], set.Series[0].Timestamps);
        Assert.Equal(0, report.FlooredTimestamps);
    }

    [Theory]
    [InlineData("%d/%m/%Y %H:%M", "01/01/2024 00:00")]
    [InlineData("dd.MM.yyyy HH:mm:ss", "01.01.2024 00:00:00")]
    [InlineData("unix-ms", "1704067200000")]
    [InlineData("%Y-%m-%dT%H:%M:%S%z", "2024-01-01T01:00:00+0100")]
    public async Task Formats_StrftimeDotNetAndUnix(string format, string text)
    {
        using var dir = new TempDirectory();
        var (_, set, _) = await ImportAsync(dir, $"ts;v\n{text};1\n", new ImportOptions { TimestampFormat = format, ValueColumns = ["v"] });
        Assert.Equal(T0, set.Series[0].Timestamps[0]);
    }

    [Fact]
    public async Task QuotedFields_WithDelimitersAndLineBreaks_KeepLineNumbersRight()
    {
        using var dir = new TempDirectory();
        var csv = "series,timestamp,value\n\"host, \"\"a\"\"\",2024-01-01T00:00:00Z,1\n\"multi\nline\",2024-01-01T00:00:00Z,2\nx,2024-01-01T00:00:00Z,oops\n";
        var e = await FailsAsync(dir, csv);
        Assert.Equal("line 5", e.Location); // the quoted field spans lines 3-4
        Assert.Equal("value", e.Column);
        Assert.Contains("'oops' is not a number", e.Message, StringComparison.Ordinal);

        var (_, set, _) = await ImportAsync(dir, csv.Replace("oops", "3", StringComparison.Ordinal));
        Assert.Equal(["host, \"a\"", "multi\nline", "x"], set.Series.Select(s => s.Name));
    }

    [Theory]
    [InlineData("timestamp,value,label\n2024-01-01T00:00:00Z,1,2\n", "line 2", "label", "the label '2' is not one of")]
    [InlineData("timestamp,value,label\n2024-01-01T00:00:00Z,1,\n", "line 2", "label", "the label is missing")]
    [InlineData("timestamp,value\n2024-01-01T00:00:00Z,1\nnot a time,2\n", "line 3", "timestamp", "not an ISO 8601 date-time")]
    [InlineData("timestamp,value\n2024-01-01T00:00:00Z,inf\n", "line 2", "value", "infinity")]
    [InlineData("timestamp,value\n,1\n", "line 2", "timestamp", "missing")]
    [InlineData("timestamp,value\n2024-01-01T00:00:00Z,1,7\n", "line 2", null, "3 fields, but the header has 2")]
    [InlineData("time_of_day,value\n2024-01-01T00:00:00Z,1\n", null, null, "no timestamp column")]
    public async Task BadRows_NameFileLineColumnAndFix(string csv, string? location, string? column, string problem)
    {
        using var dir = new TempDirectory();
        var e = await FailsAsync(dir, csv);
        Assert.Equal(location, e.Location);
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(dir.File("bad.csv"), e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
    }

    [Fact]
    public async Task Duplicates_FailNamingBothRows_OrFollowTheCountedPolicy()
    {
        using var dir = new TempDirectory();
        const string csv = "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:00:01Z,2\n2024-01-01T00:00:00Z,3\n";
        var e = await FailsAsync(dir, csv);
        Assert.Equal("line 4", e.Location);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("--duplicates", e.Fix, StringComparison.Ordinal);

        var (first, setFirst, _) = await ImportAsync(dir, csv, new ImportOptions { Duplicates = ImportDuplicatePolicy.First });
        Assert.Equal(1, first.DroppedDuplicates);
        Assert.Equal([1.0, 2], setFirst.Series[0].Values);

        var (last, setLast, _) = await ImportAsync(dir, csv, new ImportOptions { Duplicates = ImportDuplicatePolicy.Last });
        Assert.Equal(1, last.DroppedDuplicates);
        Assert.Equal([3.0, 2], setLast.Series[0].Values);

        var (keep, setKeep, _) = await ImportAsync(dir, csv, new ImportOptions { Duplicates = ImportDuplicatePolicy.Keep });
        Assert.Equal(1, keep.KeptDuplicates);
        Assert.Equal([1.0, 3, 2], setKeep.Series[0].Values); // repeated rows adjacent, in input order
    }

    [Fact]
    public async Task KindWithoutLabel_MarksAnomalies_AndAKindOnANormalRowIsAnError()
    {
        using var dir = new TempDirectory();
        var (report, set, _) = await ImportAsync(dir, "timestamp,value,anomaly_kind\n2024-01-01T00:00:00Z,1,\n2024-01-01T00:00:01Z,9,spike\n");
        Assert.True(report.Labelled);
        Assert.Equal([false, true], set.Series[0].IsAnomaly);
        Assert.Equal("spike", set.Series[0].Labels[1].Kind?.Name);

        var e = await FailsAsync(dir, "timestamp,value,is_anomaly,anomaly_kind\n2024-01-01T00:00:00Z,1,0,spike\n");
        Assert.Equal("anomaly_kind", e.Column);
    }

    [Fact]
    public async Task FolderAndGlob_EachFileIsASeriesNamedAfterIt()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("in/sub"));
        await File.WriteAllTextAsync(dir.File("in/b.csv"), "timestamp,value\n2024-01-01T00:00:00Z,1\n");
        await File.WriteAllTextAsync(dir.File("in/sub/a.csv"), "timestamp,value\n2024-01-01T00:00:00Z,2\n");
        var output = dir.File("out.parquet");

        var report = await DatasetImporter.ImportAsync([dir.File("in")], ImportFormat.Csv, output);
        Assert.Equal(2, report.Series);
        Assert.Equal(["b", "sub/a"], (await LabeledSeriesSet.LoadAsync(output)).Series.Select(s => s.Name));

        await DatasetImporter.ImportAsync([dir.File("in/*.csv")], ImportFormat.Csv, output);
        Assert.Equal(["b"], (await LabeledSeriesSet.LoadAsync(output)).Series.Select(s => s.Name));

        var e = await Assert.ThrowsAsync<ImportException>(() => DatasetImporter.ImportAsync([dir.File("in/*.tsv")], ImportFormat.Csv, output));
        Assert.Contains("matches no file", e.Message, StringComparison.Ordinal);
    }
}
