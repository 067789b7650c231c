using System.Globalization;
using System.Text;
using Workbench.Core;
using Workbench.Data;
using Workbench.Tests.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary>
/// <c>workbench import csv|parquet</c>, and CSV or foreign Parquet files given straight to detect, replay, inspect,
/// evaluate and pipeline run (imported on the fly with the default mapping).
/// </summary>
public sealed class ImportCommandTests
{
    // Two series over 400 minutes, unsorted (series b first), a labelled spike per series, naive timestamps.
    private static string LabelledCsv()
    {
        var sb = new StringBuilder("series,timestamp,value,is_anomaly\n");
        foreach (var s in new[] { "b", "a" })
        {
            for (var i = 0; i < 400; i++)
            {
                var spike = i == 300;
                var value = (spike ? 50 : 0) + Math.Sin(i / 10.0) + (s == "b" ? 5 : 0);
                sb.Append(CultureInfo.InvariantCulture, $"{s},{new DateTime(2024, 1, 1).AddMinutes(i):yyyy-MM-dd HH:mm:ss},{value:R},{(spike ? 1 : 0)}\n");
            }
        }

        return sb.ToString();
    }

    [Fact]
    public async Task ImportCsv_ThenInspect_ReportsCountsAndMapping()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("m.csv");
        await File.WriteAllTextAsync(csv, LabelledCsv());
        var output = dir.File("m.parquet");

        var r = await CliRunner.RunAsync("import", "csv", csv, "--out", output, "--json");

        Assert.True(r.ExitCode == 0, r.Error);
        var json = r.Json();
        Assert.Equal(800, json.GetProperty("rows").GetInt64());
        Assert.Equal(2, json.GetProperty("series").GetInt32());
        Assert.True(json.GetProperty("labelled").GetBoolean());
        Assert.Equal(2, json.GetProperty("events").GetInt64());
        var inspect = await CliRunner.RunAsync("inspect", output, "--full", "--json");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Equal(800, inspect.Json().GetProperty("rows").GetInt64());
        Assert.Equal("import-csv", inspect.Json().GetProperty("recipe").GetProperty("source").GetString());
    }

    [Fact]
    public async Task ImportCsv_BadRow_OneLineNamingFileLineColumnAndFix_ExitOne_NothingWritten()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("bad.csv");
        await File.WriteAllTextAsync(csv, "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,12..5\n");
        var output = dir.File("out.parquet");

        var r = await CliRunner.RunAsync("import", "csv", csv, "--out", output);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"workbench import csv: error: {csv}, line 3, column 'value': '12..5' is not a number; fix: write numbers with '.' as the decimal point, and leave missing values empty (or NA/NaN/null)",
            r.Error.TrimEnd());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task ImportCsv_OutputNamingTheInput_IsRefused()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("same.csv");
        await File.WriteAllTextAsync(csv, "timestamp,value\n2024-01-01T00:00:00Z,1\n");

        var r = await CliRunner.RunAsync("import", "csv", csv, "--out", csv);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"'{csv}' is the same file as the input '{csv}'", r.Error, StringComparison.Ordinal);
        Assert.Equal("timestamp,value\n2024-01-01T00:00:00Z,1\n", await File.ReadAllTextAsync(csv));
    }

    [Fact]
    public async Task ImportCsv_EveryMappingAndPolicyFlag_IsHonoured_AndCounted()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("export.csv");
        // Berlin local times across the 2024-10-27 fall-back (02:30 happens twice), a duplicate instant, a sub-ms time.
        await File.WriteAllTextAsync(csv, """
            id;when;reading;flag;what;evt
            m1;2024-10-27 01:00:00.000;1.5;0;;
            m1;2024-10-27 02:30:00.000;2.5;0;;
            m1;2024-10-27 04:00:00.000;3.5;1;spike;7
            m1;2024-10-27 04:00:00.000;9;1;spike;7
            m1;2024-10-27 05:00:00.0005;4.5;1;level_shift;8
            """.ReplaceLineEndings("\n") + "\n");
        var output = dir.File("m.parquet");

        var r = await CliRunner.RunAsync(
            "import", "csv", csv, "--out", output, "--delimiter", ";", "--series", "id", "--timestamp", "when",
            "--format", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "--timezone", "Europe/Berlin", "--value", "reading", "--label", "flag",
            "--kind", "what", "--event-id", "evt", "--duplicates", "last", "--sub-millisecond", "floor", "--json");

        Assert.True(r.ExitCode == 0, r.Error);
        var json = r.Json();
        Assert.Equal(5, json.GetProperty("rowsRead").GetInt64());
        Assert.Equal(4, json.GetProperty("rows").GetInt64());
        Assert.Equal(1, json.GetProperty("droppedDuplicates").GetInt64());
        Assert.Equal(1, json.GetProperty("flooredTimestamps").GetInt64());
        Assert.Equal(1, json.GetProperty("ambiguousLocalTimes").GetInt64());
        Assert.Equal(2, json.GetProperty("anomalousRows").GetInt64());
        Assert.Equal(2, json.GetProperty("events").GetInt64()); // two event ids on adjacent rows: two events

        var series = Assert.Single((await LabeledSeriesSet.LoadAsync(output)).Series);
        Assert.Equal("m1", series.Name);
        Assert.Equal(
            [new DateTime(2024, 10, 26, 23, 0, 0, DateTimeKind.Utc), new DateTime(2024, 10, 27, 1, 30, 0, DateTimeKind.Utc),
             new DateTime(2024, 10, 27, 3, 0, 0, DateTimeKind.Utc), new DateTime(2024, 10, 27, 4, 0, 0, DateTimeKind.Utc)],
            series.Timestamps);
        Assert.Equal([1.5, 2.5, 9, 4.5], series.Values.Select(v => v!.Value));
        Assert.Equal([null, null, AnomalyKind.Spike, AnomalyKind.LevelShift], series.Labels.Select(l => l.Kind));
        Assert.Equal([null, null, 7, 8], series.EventIds);

        var strict = await CliRunner.RunAsync(
            "import", "csv", csv, "--out", dir.File("strict.parquet"), "--delimiter", ";", "--series", "id", "--timestamp", "when",
            "--format", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "--timezone", "Europe/Berlin", "--value", "reading", "--label", "flag");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains($"{csv}, line ", strict.Error, StringComparison.Ordinal);
        Assert.Single(strict.Error.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("strict.parquet")));
    }

    [Fact]
    public async Task ImportParquet_Options_MapAWideDuckDbFile()
    {
        using var dir = new TempDirectory();
        var input = dir.File("wide.parquet");
        DuckDb.Execute($"""
            COPY (SELECT strftime(TIMESTAMP '2024-01-01' + to_seconds(CAST(i AS BIGINT)), '%d/%m/%Y %H:%M:%S') AS t, i AS x, i * 2 AS y, i = 1 AS bad
                  FROM range(0, 3) r(i)) TO '{ForeignParquetImportTests.Quote(input)}' (FORMAT parquet)
            """);
        var output = dir.File("out.parquet");

        var r = await CliRunner.RunAsync("import", "parquet", input, "--out", output, "--series-from-columns", "--timestamp", "t",
            "--format", "%d/%m/%Y %H:%M:%S", "--value", "x", "y", "--label", "bad", "--json");

        Assert.True(r.ExitCode == 0, r.Error);
        var set = await LabeledSeriesSet.LoadAsync(output);
        Assert.Equal(["x", "y"], set.Series.Select(s => s.Name));
        Assert.Equal([false, true, false], set.Series[1].IsAnomaly);
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 2, DateTimeKind.Utc), set.Series[1].Timestamps[2]);
    }

    [Fact]
    public async Task Detect_OnACsv_ImportsOnTheFly_AndSaysSo()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("m.csv");
        await File.WriteAllTextAsync(csv, LabelledCsv());
        var scores = dir.File("scores.parquet");

        var r = await CliRunner.RunAsync("detect", csv, "--detector", "zscore", "--out", scores, "--json");

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains($"imported {csv} on the fly (csv, default mapping): 2 series, 800 rows, labelled", r.Error, StringComparison.Ordinal);
        Assert.Equal(800, r.Json().GetProperty("rows").GetInt64());
        Assert.StartsWith("1 file(s), 2 series, 800 rows, labelled", r.Json().GetProperty("imported").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(scores));
    }

    [Fact]
    public async Task Replay_AndInspect_OnAPandasLayoutParquet_FromDuckDb()
    {
        using var dir = new TempDirectory();
        var input = dir.File("pandas.parquet");
        ForeignParquetImportTests.WritePandasLayout(input, points: 50);

        var replay = await CliRunner.RunAsync("replay", input, "--virtual", "--json");
        var inspect = await CliRunner.RunAsync("inspect", input, "--json");

        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Equal(100, replay.Json().GetProperty("events").GetInt64());
        Assert.Equal(new DateTime(2024, 1, 1, 0, 49, 0, DateTimeKind.Utc), replay.Json().GetProperty("lastTimestamp").GetDateTime().ToUniversalTime());
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Equal(input, inspect.Json().GetProperty("file").GetString());
        Assert.Equal(2, inspect.Json().GetProperty("series").GetInt32());
        Assert.True(inspect.Json().TryGetProperty("imported", out _));
    }

    [Fact]
    public async Task Evaluate_OnAnUnlabelledCsv_SaysLabelsAreNeeded()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("u.csv");
        await File.WriteAllTextAsync(csv, "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,2\n");

        var r = await CliRunner.RunAsync("evaluate", csv, "--detector", "zscore");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{csv}: evaluate needs labels, and this data has none", r.Error, StringComparison.Ordinal);
        Assert.Contains("--label <col>", r.Error, StringComparison.Ordinal);

        // The same holds for the imported file, which declares itself unlabelled.
        var imported = dir.File("u.parquet");
        Assert.Equal(0, (await CliRunner.RunAsync("import", "csv", csv, "--out", imported)).ExitCode);
        var again = await CliRunner.RunAsync("evaluate", imported, "--detector", "zscore");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("needs labels", again.Error, StringComparison.Ordinal);
        var inspect = await CliRunner.RunAsync("inspect", imported);
        Assert.Contains("labels          none", inspect.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_OnALabelledCsv_ScoresIt()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("m.csv");
        await File.WriteAllTextAsync(csv, LabelledCsv());
        var board = dir.File("board.json");

        var r = await CliRunner.RunAsync("evaluate", csv, "--detector", "zscore", "--json", board);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("\"m\"", await File.ReadAllTextAsync(board), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateScores_OnALabelledCsv_ImportsItOnTheFly_AndScoresAsTheDirectRun()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("m.csv");
        await File.WriteAllTextAsync(csv, LabelledCsv());
        var detect = await CliRunner.RunAsync("detect", csv, "--detector", "zscore", "--out", dir.File("s.parquet"));
        Assert.True(detect.ExitCode == 0, detect.Error);

        var direct = await CliRunner.RunAsync("evaluate", csv, "--detector", "zscore", "--json", "-");
        var external = await CliRunner.RunAsync("evaluate", csv, "--scores", dir.File("s.parquet"), "--json", "-");

        Assert.True(direct.ExitCode == 0, direct.Error);
        Assert.True(external.ExitCode == 0, external.Error);
        Assert.Contains($"imported {csv} on the fly", external.Error, StringComparison.Ordinal);
        var a = Assert.Single(direct.Json().GetProperty("detectors").EnumerateArray());
        var b = Assert.Single(external.Json().GetProperty("detectors").EnumerateArray());
        foreach (var key in new[] { "dataset", "rows", "f1", "precision", "recall", "rocAuc", "prAuc", "vusPr", "eventRecall" })
        {
            Assert.Equal(a.GetProperty(key).GetRawText(), b.GetProperty(key).GetRawText());
        }

    }

    [Fact]
    public async Task PipelineRun_TakesACsvAsData()
    {
        using var dir = new TempDirectory();
        var csv = dir.File("m.csv");
        await File.WriteAllTextAsync(csv, LabelledCsv());

        var r = await CliRunner.RunAsync("pipeline", "run", "smart-meters", "--data", csv, "--virtual", "--json");

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(800, r.Json().GetProperty("observations").GetInt64());
        Assert.Contains("on the fly", r.Error, StringComparison.Ordinal);
    }
}
