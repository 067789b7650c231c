using Workbench.Core;
using Workbench.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Import;

public class NabImporterTests
{
    [SkippableFact]
    public void Load_RealCorpus_HasPublishedCounts()
    {
        var corpus = NabCorpus.Load(TestPaths.RequireNab());

        Assert.Equal(58, corpus.Files.Count);
        Assert.Equal(365_558, corpus.RowCount);
        Assert.Equal(116, corpus.WindowCount);
        Assert.Equal(52, corpus.Files.Count(f => f.Windows.Count > 0));
    }

    [SkippableFact]
    public void Import_RealCorpus_KeepsEveryRow_LabelsWindows_InCanonicalOrder()
    {
        var importer = new NabImporter(NabCorpus.Load(TestPaths.RequireNab()));
        var rows = 0L;
        var anomalous = 0L;
        var perSeries = new long[importer.SeriesNames.Count];
        var events = new HashSet<(int, int)>();
        var last = DateTime.MinValue;
        var lastSeries = -1;
        foreach (var batch in importer.ReadBatches(10_000))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var ts = batch.Timestamps[i];
                var s = batch.SeriesIds[i];
                Assert.True(ts > last || (ts == last && s >= lastSeries), $"row {rows} breaks canonical order");
                (last, lastSeries) = (ts, s);
                perSeries[s]++;
                rows++;
                if (batch.IsAnomaly[i])
                {
                    anomalous++;
                    Assert.Same(AnomalyKind.LabelledWindow, batch.Kinds[i]);
                    events.Add((s, batch.AnomalyIds[i]!.Value));
                }
                else
                {
                    Assert.Null(batch.Kinds[i]);
                    Assert.Null(batch.AnomalyIds[i]);
                }
            }
        }

        Assert.Equal(365_558, rows);
        // 33,495 rows lie inside a window (counted independently from the CSV files and labels JSON).
        Assert.Equal(33_495, anomalous);
        Assert.Equal(116, events.Count);
        Assert.Equal(52, events.Select(e => e.Item1).Distinct().Count());
        Assert.Contains("realKnownCause/nyc_taxi", importer.SeriesNames);
        Assert.Equal(10_320, perSeries[importer.SeriesNames.ToList().IndexOf("realKnownCause/nyc_taxi")]);
        Assert.Equal(rows, importer.Report.Rows);
        Assert.Equal(anomalous, importer.Report.AnomalousRows);
        // NAB's machine_temperature_system_failure repeats one hour (12 rows go back in time): they are moved
        // next to their twins, and every repeated timestamp is counted, none dropped.
        Assert.True(importer.Report.ReorderedRows > 0);
        Assert.True(importer.Report.DuplicateTimestampRows >= 49);
    }

    [Fact]
    public void Import_SmallCorpus_LabelsExactlyTheRowsInsideWindows_EndsInclusive()
    {
        using var dir = new TempDirectory();
        WriteCorpus(dir.Path,
            ("cat/a.csv", "timestamp,value\n2020-01-01 00:00:00,1\n2020-01-01 00:05:00,2\n2020-01-01 00:10:00,3\n2020-01-01 00:15:00,4\n"),
            ("cat/b.csv", "timestamp,value\n2020-01-01 00:05:00,10\n2020-01-01 00:10:00,20\n"),
            labels: """{"cat/a.csv": [["2020-01-01 00:05:00.000000", "2020-01-01 00:10:00.000000"]], "cat/b.csv": []}""");

        var importer = new NabImporter(NabCorpus.Load(dir.Path));
        var obs = importer.ReadBatches().SelectMany(b => b.AsObservations()).ToList();

        Assert.Equal(["cat/a", "cat/b"], importer.SeriesNames);
        Assert.Equal(
            [
                "cat/a 2020-01-01T00:00:00.000Z 1 normal",
                "cat/a 2020-01-01T00:05:00.000Z 2 labelled_window#0",
                "cat/b 2020-01-01T00:05:00.000Z 10 normal",
                "cat/a 2020-01-01T00:10:00.000Z 3 labelled_window#0",
                "cat/b 2020-01-01T00:10:00.000Z 20 normal",
                "cat/a 2020-01-01T00:15:00.000Z 4 normal",
            ],
            obs.Select(o => o.ToString()));
        Assert.All(obs, o => Assert.Equal(DateTimeKind.Utc, o.Timestamp.Kind));
    }

    [Fact]
    public void Import_BackwardsAndRepeatedTimestamps_KeepsEveryRow_StableOrder_Counted()
    {
        using var dir = new TempDirectory();
        WriteCorpus(dir.Path,
            ("c/x.csv", "timestamp,value\n2020-01-01 00:00:00,1\n2020-01-01 00:10:00,2\n2020-01-01 00:05:00,3\n2020-01-01 00:10:00,4\n"),
            labels: """{"c/x.csv": []}""");

        var importer = new NabImporter(NabCorpus.Load(dir.Path));
        var values = importer.ReadBatches().SelectMany(b => b.AsObservations()).Select(o => o.Value).ToList();

        Assert.Equal([1.0, 3.0, 2.0, 4.0], values);
        Assert.Equal(2, importer.Report.ReorderedRows);
        Assert.Equal(1, importer.Report.DuplicateTimestampRows);
    }

    [Theory]
    [InlineData("timestamp,value\n2020-01-01 00:00:00,abc\n", "line 2: field 'value'")]
    [InlineData("timestamp,value\n2020-01-01 00:00:00,NaN\n", "line 2: field 'value'")]
    [InlineData("timestamp,value\n2020/01/01 00:00,1\n", "line 2: field 'timestamp'")]
    [InlineData("time,value\n2020-01-01 00:00:00,1\n", "line 1: field 'header'")]
    [InlineData("timestamp,value\n2020-01-01 00:00:00,1\n2020-01-01 00:05:00\n", "line 3: field 'value'")]
    public void Load_MalformedCsv_ThrowsNamingFileLineAndField(string csv, string expected)
    {
        using var dir = new TempDirectory();
        WriteCorpus(dir.Path, [("c/x.csv", csv)], labels: """{"c/x.csv": []}""");

        var e = Assert.Throws<NabFormatException>(() => NabCorpus.Load(dir.Path));
        Assert.Contains("x.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"c/other.csv": []}""", "no entry for data file 'c/x.csv'")]
    [InlineData("""{"c/x.csv": [], "c/gone.csv": []}""", "absent from the data folder")]
    [InlineData("""{"c/x.csv": [["2020-01-02 00:00:00.000000", "2020-01-01 00:00:00.000000"]]}""", "end is before its start")]
    [InlineData("""{"c/x.csv": [["yesterday", "2020-01-01 00:00:00.000000"]]}""", "field 'c/x.csv[0]'")]
    [InlineData("""[1, 2]""", "expected an object")]
    [InlineData("""{"c/x.csv": [""", "invalid JSON")]
    public void Load_BadLabels_ThrowsNamingTheProblem(string labels, string expected)
    {
        using var dir = new TempDirectory();
        WriteCorpus(dir.Path, [("c/x.csv", "timestamp,value\n2020-01-01 00:00:00,1\n")], labels);

        var e = Assert.Throws<NabFormatException>(() => NabCorpus.Load(dir.Path));
        Assert.Contains("combined_windows.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoDataFolder_Throws()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<NabFormatException>(() => NabCorpus.Load(dir.Path));
        Assert.Contains("no data folder", e.Message, StringComparison.Ordinal);
    }

    internal static void WriteCorpus(string root, (string Key, string Csv)[] files, string labels)
    {
        foreach (var (key, csv) in files)
        {
            var path = Path.Combine(root, "data", key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, csv);
        }

        Directory.CreateDirectory(Path.Combine(root, "labels"));
        File.WriteAllText(Path.Combine(root, "labels", "combined_windows.json"), labels);
    }

    private static void WriteCorpus(string root, (string Key, string Csv) a, (string Key, string Csv) b, string labels) =>
        WriteCorpus(root, [a, b], labels);

    private static void WriteCorpus(string root, (string Key, string Csv) a, string labels) =>
        WriteCorpus(root, [a], labels);
}
