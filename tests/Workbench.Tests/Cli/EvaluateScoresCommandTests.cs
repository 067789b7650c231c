using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbench.Data;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

public class EvaluateScoresCommandTests
{
    private const string SmallSpec = """
        {
          "seed": 11,
          "sources": 3,
          "points": 500,
          "start": "2024-03-01T00:00:00Z",
          "frequency": "1m",
          "metrics": [
            { "name": "latency", "level": 100, "seasonalities": [ { "period": 1440, "amplitude": 10 } ], "noise": { "sigma": 2 } }
          ],
          "anomalies": { "sourceRatio": 1.0, "eventsPerSource": { "min": 2, "max": 3 }, "minGap": 20, "edgeMargin": 20 }
        }
        """;

    private static readonly string[] Detectors = ["zscore(window=30,threshold=3)", "mad(window=30)", "windowed-gaussian(window=100,step=10)"];

    private static readonly string[] Figures =
    [
        "threshold", "rows", "scored", "flagged", "precision", "recall", "f1", "rocAuc", "prAuc", "pointAdjustedF1", "rangeF1",
        "vusRoc", "vusPr", "affiliationPrecision", "affiliationRecall", "events", "eventsDetected", "eventRecall", "oracleF1",
    ];

    [Theory]
    [InlineData("fixed")]
    [InlineData("percentile(2)")]
    public async Task DetectOut_ThenEvaluateScores_GivesTheDirectLeaderboard(string threshold)
    {
        using var dir = new TempDirectory();
        var data = await GenerateAsync(dir);
        var detectArgs = new List<string> { "detect", data, "--out", dir.File("s.parquet") };
        var evalArgs = new List<string> { "evaluate", data, "--threshold", threshold, "--json", "-" };
        foreach (var d in Detectors)
        {
            detectArgs.AddRange(["--detector", d]);
            evalArgs.AddRange(["--detector", d]);
        }

        var detect = await CliRunner.RunAsync([.. detectArgs]);
        Assert.True(detect.ExitCode == 0, detect.Error);
        var direct = await CliRunner.RunAsync([.. evalArgs]);
        Assert.True(direct.ExitCode == 0, direct.Error);
        var external = await CliRunner.RunAsync("evaluate", data, "--scores", dir.File("s.parquet"), "--threshold", threshold, "--json", "-");
        Assert.True(external.ExitCode == 0, external.Error);

        var a = Rows(direct.Json());
        var b = Rows(external.Json());
        Assert.Equal(Detectors.Length, b.Count);
        foreach (var x in a)
        {
            var spec = x.GetProperty("detector").GetString();
            var y = b.Single(r => r.GetProperty("detector").GetString() == spec);
            Assert.Equal(x.GetProperty("name").GetString(), y.GetProperty("name").GetString());
            foreach (var key in Figures)
            {
                Assert.True(x.GetProperty(key).GetRawText() == y.GetProperty(key).GetRawText(), $"{spec} {key}: direct {x.GetProperty(key).GetRawText()}, --scores {y.GetProperty(key).GetRawText()}");
            }
        }

        Assert.Equal(a.Select(r => r.GetProperty("detector").GetString()), b.Select(r => r.GetProperty("detector").GetString()));
    }

    [Fact]
    public async Task CsvWithSeriesAndTwoScoreColumns_EachColumnIsOneRow_AndMissingRowsAreNull()
    {
        using var dir = new TempDirectory();
        var data = await GenerateAsync(dir);
        var set = await LabeledSeriesSet.LoadAsync(data);
        var csv = new StringBuilder("series,timestamp,mine,theirs\n");
        foreach (var s in set.Series)
        {
            for (var i = 1; i < s.Count; i++) // row 0 of every series left out: counted, scored as null
            {
                var label = s.Labels[i].IsAnomaly ? 1.0 : 0.0;
                csv.Append(CultureInfo.InvariantCulture, $"{s.Name},{s.Timestamps[i]:yyyy-MM-ddTHH:mm:ssZ},{label},{i % 7}\n");
            }
        }

        await File.WriteAllTextAsync(dir.File("scores.csv"), csv.ToString());
        var r = await CliRunner.RunAsync("evaluate", data, "--scores", dir.File("scores.csv"), "--threshold", "best-f1", "--json", "-");
        Assert.True(r.ExitCode == 0, r.Error);
        var rows = Rows(r.Json());
        Assert.Equal(["mine", "theirs"], rows.Select(x => x.GetProperty("name").GetString()));
        var mine = rows[0];
        Assert.Equal(set.RowCount, mine.GetProperty("rows").GetInt64());
        Assert.Equal(set.RowCount - set.Series.Count, mine.GetProperty("scored").GetInt64());
        Assert.Equal(1.0, mine.GetProperty("rocAuc").GetDouble(), 9); // the labels themselves as the score (row 0 is never labelled here)
    }

    [Fact]
    public async Task FolderOfHeaderlessPerSeriesFiles_TimeEvalStyle_IsAlignedByRow()
    {
        using var dir = new TempDirectory();
        var data = await GenerateAsync(dir);
        var set = await LabeledSeriesSet.LoadAsync(data);
        Directory.CreateDirectory(dir.File("te"));
        foreach (var s in set.Series)
        {
            var lines = s.Labels.Select(l => l.IsAnomaly ? "0.9" : "0.1");
            await File.WriteAllLinesAsync(Path.Combine(dir.File("te"), s.Name.Replace('/', '_') + ".csv"), lines);
        }

        var r = await CliRunner.RunAsync("evaluate", data, "--scores", dir.File("te"), "--threshold", "best-f1", "--json", "-");
        Assert.True(r.ExitCode == 0, r.Error);
        var row = Assert.Single(Rows(r.Json()));
        Assert.Equal(1.0, row.GetProperty("f1").GetDouble(), 9);
        Assert.Equal(set.RowCount, row.GetProperty("scored").GetInt64());
    }

    [Fact]
    public async Task NabStyleResultsFile_UsesAnomalyScoreOnly()
    {
        using var dir = new TempDirectory();
        var data = await GenerateAsync(dir, sources: 1);
        var set = await LabeledSeriesSet.LoadAsync(data);
        var s = set.Series[0];
        var csv = new StringBuilder("timestamp,value,anomaly_score,label,S(t)_standard\n");
        for (var i = 0; i < s.Count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{s.Timestamps[i]:yyyy-MM-dd HH:mm:ss},{s.Values[i]},{(s.Labels[i].IsAnomaly ? 1 : 0)},0,0.0\n");
        }

        await File.WriteAllTextAsync(dir.File("nab_style.csv"), csv.ToString());
        var r = await CliRunner.RunAsync("evaluate", data, "--scores", dir.File("nab_style.csv"), "--threshold", "top-k(10)", "--json", "-");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("anomaly_score", Assert.Single(Rows(r.Json())).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("series,timestamp,s\nnosuch,2024-03-01T00:00:00Z,1\n", "line 2, column 'series': series 'nosuch' is not in dataset")]
    [InlineData("series,timestamp,s\nSERIES,2030-01-01T00:00:00Z,1\n", "line 2, column 'timestamp': series 'SERIES' has no row at 2030-01-01 00:00:00")]
    [InlineData("series,timestamp,s\nSERIES,2024-03-01T00:00:00Z,abc\n", "line 2, column 's': 'abc' is not a number")]
    [InlineData("series,timestamp,s\nSERIES,2024-03-01T00:00:00Z,1\nSERIES,2024-03-01T00:00:00Z,1\n", "line 3, column 'timestamp': a repeated score row")]
    [InlineData("series,timestamp,s\nSERIES,yesterday,1\n", "line 2, column 'timestamp': 'yesterday' is not a timestamp")]
    [InlineData("series,timestamp,s\nSERIES,2024-03-01T00:00:00Z,1\n", "has no recorded threshold; pass --threshold")]
    public async Task BadScores_FailWithOneLineNamingFileLineAndColumn(string content, string expected)
    {
        using var dir = new TempDirectory();
        var data = await GenerateAsync(dir);
        var series = (await LabeledSeriesSet.LoadAsync(data)).Series[0].Name;
        await File.WriteAllTextAsync(dir.File("bad.csv"), content.Replace("SERIES", series, StringComparison.Ordinal));
        var args = new List<string> { "evaluate", data, "--scores", dir.File("bad.csv") };
        if (!expected.Contains("threshold;", StringComparison.Ordinal)) { args.AddRange(["--threshold", "best-f1"]); }
        var r = await CliRunner.RunAsync([.. args]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected.Replace("SERIES", series, StringComparison.Ordinal), r.Error, StringComparison.Ordinal);
        if (!expected.Contains("threshold;", StringComparison.Ordinal)) { Assert.Contains("bad.csv", r.Error, StringComparison.Ordinal); }
    }

    private static List<JsonElement> Rows(JsonElement root) => root.GetProperty("detectors").EnumerateArray().ToList();

    private static async Task<string> GenerateAsync(TempDirectory dir, int sources = 3)
    {
        await File.WriteAllTextAsync(dir.File("spec.json"), SmallSpec.Replace("\"sources\": 3", $"\"sources\": {sources}", StringComparison.Ordinal));
        var gen = await CliRunner.RunAsync("generate", "--spec", dir.File("spec.json"), "--out", dir.File("data.parquet"));
        Assert.True(gen.ExitCode == 0, gen.Error);
        return dir.File("data.parquet");
    }
}
