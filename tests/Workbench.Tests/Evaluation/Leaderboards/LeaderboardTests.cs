using System.Globalization;
using System.Text.Json;
using Parquet;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;
using static Workbench.Tests.Evaluation.Runs.EvaluationTestData;

namespace Workbench.Tests.Evaluation.Leaderboards;

public class LeaderboardTests
{
    private static IReadOnlyList<DetectorEvaluation> Results(EvaluationOptions? options = null) => DetectorEvaluator.Evaluate(
        ThreeSeries(),
        [new NullDetector(), new ValueDetector(500), new FifthRowDetector(), OperatorCatalog.BuiltIn.ParseDetector("zscore(window=10,threshold=2)")],
        options);

    [Fact]
    public void Create_RanksByTheChosenMetric_InItsDirection_UndefinedLast()
    {
        var byF1 = Leaderboard.Create(Results());
        Assert.Equal("value", byF1.Rows[0].Name);
        Assert.True(byF1.Rows.Zip(byF1.Rows.Skip(1)).All(p => p.First.F1 >= p.Second.F1));

        var byFalseAlarms = Leaderboard.Create(Results(), "falseAlarmsPer1k");
        Assert.True(byFalseAlarms.Rows.Zip(byFalseAlarms.Rows.Skip(1)).All(p => p.First.FalseAlarmsPer1k <= p.Second.FalseAlarmsPer1k));

        var byDelay = Leaderboard.Create(Results(), "meanDelay");
        Assert.Equal("null", byDelay.Rows[^1].Name); // no detection, no delay: last, not first
        Assert.Null(byDelay.Rows[^1].MeanDelay);

        var e = Assert.Throws<ArgumentException>(() => Leaderboard.Create(Results(), "accuracy"));
        Assert.Contains("Unknown metric 'accuracy'; use one of: f1, precision", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToText_MarksOptimisticAndOracleColumns_AndListsKinds()
    {
        var text = Leaderboard.Create(Results()).ToText();
        Assert.Contains("PA-F1 †", text, StringComparison.Ordinal);
        Assert.Contains("Best-F1 ‡", text, StringComparison.Ordinal);
        Assert.Contains("F1 ▼", text, StringComparison.Ordinal);
        Assert.Contains("† optimistic", text, StringComparison.Ordinal);
        Assert.Contains("‡ oracle", text, StringComparison.Ordinal);
        Assert.Contains("drift", text, StringComparison.Ordinal);
        Assert.Contains("1/1 (0.0)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("value ‡", text, StringComparison.Ordinal);

        var oracle = Leaderboard.Create(Results(new EvaluationOptions { Threshold = new BestF1Threshold() })).ToText();
        Assert.Contains("value ‡", oracle, StringComparison.Ordinal);
        Assert.Contains("flagged at an oracle threshold", oracle, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_IsATableWithEveryColumnAndEscapesText()
    {
        var md = Leaderboard.Create(Results()).ToMarkdown();
        var lines = md.Split('\n');
        var header = lines[0];
        foreach (var c in LeaderboardColumn.All.Where(c => !c.Key.StartsWith("nab", StringComparison.Ordinal))) { Assert.Contains(c.MarkedHeader, header, StringComparison.Ordinal); }
        Assert.DoesNotContain("NAB", header, StringComparison.Ordinal); // no NAB scores on this dataset
        Assert.StartsWith("|---:|---|---|", lines[1], StringComparison.Ordinal);
        Assert.Equal(header.Count(ch => ch == '|'), lines[2].Count(ch => ch == '|'));
        Assert.Contains("| 1 | `value(threshold=500)` | fixed(500) = 500 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCsv_HasOneRowPerDetector_FullPrecision_MarkedHeaders()
    {
        var board = Leaderboard.Create(Results());
        var lines = board.ToCsv().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines[0].Split(',');
        Assert.Equal(board.Rows.Count + 1, lines.Count);
        Assert.Contains("pointAdjustedF1[optimistic]", header);
        Assert.Contains("oracleF1[oracle]", header);
        Assert.Contains("recall:level_shift", header);
        var zscore = board.Rows.Single(r => r.Name == "zscore");
        var row = lines.Single(l => l.Contains("zscore(", StringComparison.Ordinal));
        var cells = Csv(row);
        Assert.Equal(zscore.F1, double.Parse(cells[Array.IndexOf(header, "f1")], CultureInfo.InvariantCulture));
        Assert.Equal(zscore.RocAuc, double.Parse(cells[Array.IndexOf(header, "rocAuc")], CultureInfo.InvariantCulture));
        var nullRow = Csv(lines.Single(l => l.Contains(",null,", StringComparison.Ordinal)));
        Assert.Equal("", nullRow[Array.IndexOf(header, "meanDelay")]);
    }

    [Fact]
    public void ToJson_HoldsTheRequiredKeysPerDetector_AndTheMarks()
    {
        using var doc = JsonDocument.Parse(Leaderboard.Create(Results()).ToJson());
        var root = doc.RootElement;
        Assert.Equal("f1", root.GetProperty("sortBy").GetString());
        Assert.Equal(["pointAdjustedF1"], root.GetProperty("marks").GetProperty("optimistic").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("oracleF1", root.GetProperty("marks").GetProperty("oracle").EnumerateArray().Select(e => e.GetString()));
        var first = root.GetProperty("detectors")[0];
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        foreach (var key in new[] { "precision", "recall", "f1", "rocAuc", "prAuc", "pointAdjustedF1", "rangePrecision", "rangeRecall", "rangeF1", "eventRecall", "meanDelay", "falseAlarmsPer1k", "vusRoc", "vusPr", "byKind" })
        {
            Assert.True(first.TryGetProperty(key, out _), key);
        }

        Assert.Equal(1.0, first.GetProperty("byKind").GetProperty("spike").GetProperty("recall").GetDouble());
        var nullDetector = root.GetProperty("detectors").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "null");
        Assert.Equal(JsonValueKind.Null, nullDetector.GetProperty("meanDelay").ValueKind);
    }

    [Fact]
    public async Task WriteParquetAsync_WritesTheSameFiguresAsTheCsv()
    {
        using var dir = new TempDirectory();
        var board = Leaderboard.Create(Results(), "rocAuc");
        var path = dir.File("board.parquet");
        await board.WriteParquetAsync(path);

        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal("rocAuc", reader.CustomMetadata["workbench.leaderboard.sort_by"]);
        Assert.Equal(1, reader.RowGroupCount);
        using var rg = reader.OpenRowGroupReader(0);
        var fields = reader.Schema.DataFields;
        async Task<double?[]> Column(string name)
        {
            var values = new double?[rg.RowCount];
            await rg.ReadAsync<double>(fields.Single(f => f.Name == name), values);
            return values;
        }

        var ranks = new int[rg.RowCount];
        await rg.ReadAsync<int>(fields.Single(f => f.Name == "rank"), ranks);
        Assert.Equal(Enumerable.Range(1, board.Rows.Count), ranks);
        Assert.Equal(board.Rows.Select(r => (double?)r.RocAuc), await Column("rocAuc"));
        Assert.Equal(board.Rows.Select(r => (double?)r.PointAdjustedF1), await Column("pointAdjustedF1[optimistic]"));
        Assert.Equal(board.Rows.Select(r => r.MeanDelay), await Column("meanDelay"));
        Assert.Equal(board.Rows.Select(r => r.ByKind.GetValueOrDefault("drift")?.Recall), await Column("recall:drift"));
        Assert.Contains(fields, f => f.Name == "detector");
    }

    private static List<string> Csv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else { cell.Append(c); }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
