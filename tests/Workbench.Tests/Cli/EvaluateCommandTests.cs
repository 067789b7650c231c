using System.Text.Json;
using Workbench.Cli.Commands;
using Workbench.Evaluation.Thresholds;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

public class EvaluateCommandTests
{
    private static readonly string[] RequiredKeys =
    [
        "precision", "recall", "f1", "rocAuc", "prAuc", "pointAdjustedF1", "rangePrecision", "rangeRecall", "rangeF1",
        "eventRecall", "meanDelay", "falseAlarmsPer1k", "vusRoc", "vusPr", "affiliationPrecision", "affiliationRecall", "byKind",
    ];

    [Fact]
    public async Task Evaluate_NoArguments_RanksEveryDefaultBuiltInDetectorOnTheDefaultDataset()
    {
        var r = await CliRunner.RunAsync("evaluate", "--json", "-");

        Assert.True(r.ExitCode == 0, r.Error);
        var root = r.Json();
        var detectors = root.GetProperty("detectors").EnumerateArray().ToList();
        var (expected, skipped) = EvaluateDatasetCommand.DefaultDetectors(OperatorCatalogs.Cli);
        Assert.Equal(expected.Select(d => d.Spec).Order(), detectors.Select(d => d.GetProperty("detector").GetString()).Order());
        Assert.Contains("zscore", expected.Select(d => d.Name));
        Assert.Contains("windowed-gaussian", expected.Select(d => d.Name));
        Assert.Equal(["ensemble", "scaling-ratio", "threshold"], skipped.Keys);
        Assert.All(detectors, d =>
        {
            Assert.Equal("default", d.GetProperty("dataset").GetString());
            Assert.Equal(172_800, d.GetProperty("rows").GetInt64());
            foreach (var key in RequiredKeys) { Assert.True(d.TryGetProperty(key, out _), key); }
            Assert.Equal(["drift", "level_shift", "missing", "seasonal", "spike"], d.GetProperty("byKind").EnumerateObject().Select(p => p.Name));
        });
        var f1 = detectors.Select(d => d.GetProperty("f1").GetDouble()).ToList();
        Assert.Equal(f1.OrderDescending(), f1);
        Assert.Equal(Enumerable.Range(1, detectors.Count), detectors.Select(d => d.GetProperty("rank").GetInt32()));

        // The "missing" detector must notice every missing-data event and nothing else kind-wise.
        var missing = detectors.Single(d => d.GetProperty("name").GetString() == "missing").GetProperty("byKind");
        Assert.Equal(1.0, missing.GetProperty("missing").GetProperty("recall").GetDouble());
        Assert.Equal(0.0, missing.GetProperty("spike").GetProperty("recall").GetDouble());
    }

    [Fact]
    public async Task Evaluate_WritesMarkdownCsvParquetAndJsonFiles_AndPrintsTheTable()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");
        var r = await CliRunner.RunAsync(
            "evaluate", data, "--detector", "zscore", "--detector", "mad(window=100)", "--sort-by", "rocAuc", "--threshold", "percentile(1)",
            "--json", dir.File("b.json"), "--markdown", dir.File("b.md"), "--csv", dir.File("b.csv"), "--parquet", dir.File("b.parquet"));

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("ROC-AUC ▼", r.Out, StringComparison.Ordinal);
        Assert.Contains("2 evaluation(s) over default.parquet", r.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("b.json")));
        var rows = json.RootElement.GetProperty("detectors").EnumerateArray().ToList();
        Assert.Equal("rocAuc", json.RootElement.GetProperty("sortBy").GetString());
        Assert.All(rows, d => Assert.Equal("percentile(1)", d.GetProperty("thresholdStrategy").GetString()));
        Assert.All(rows, d =>
        {
            // 1 % of the scored rows (warm-up and missing rows have no score); equal scores at the cut may add a few.
            var k = (long)Math.Ceiling(d.GetProperty("scored").GetInt64() / 100.0);
            Assert.InRange(d.GetProperty("flagged").GetInt64(), k, k + 5);
        });
        Assert.StartsWith("| # | detector | threshold |", await File.ReadAllTextAsync(dir.File("b.md")), StringComparison.Ordinal);
        Assert.Equal(3, (await File.ReadAllLinesAsync(dir.File("b.csv"))).Length);
        Assert.True(new FileInfo(dir.File("b.parquet")).Length > 0);
    }

    [Theory]
    [InlineData("--sort-by", "accuracy", "Unknown metric 'accuracy'")]
    [InlineData("--threshold", "median", "--threshold 'median': use fixed, percentile(P), top-k(K) or best-f1")]
    [InlineData("--threshold", "percentile(120)", "the share must be in [0, 100]")]
    [InlineData("--detector", "zscore(window=1)", "invalid spec 'zscore(window=1)'")]
    public async Task Evaluate_BadOption_FailsWithOneClearLine(string option, string value, string message)
    {
        var r = await CliRunner.RunAsync("evaluate", option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Evaluate_MissingFile_FailsNamingIt()
    {
        var r = await CliRunner.RunAsync("evaluate", "/nonexistent/x.parquet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("'/nonexistent/x.parquet' does not exist", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseThreshold_KnowsEveryStrategy()
    {
        Assert.Null(EvaluateDatasetCommand.ParseThreshold("fixed"));
        Assert.IsType<BestF1Threshold>(EvaluateDatasetCommand.ParseThreshold("best-f1"));
        Assert.Equal(new PercentileThreshold(0.5), EvaluateDatasetCommand.ParseThreshold("percentile(0.5)"));
        Assert.Equal(new TopKThreshold(10), EvaluateDatasetCommand.ParseThreshold("top-k(10)"));
    }
}

public sealed class EvaluateWithNabCommandTests : IDisposable
{
    private readonly Workbench.Tests.Evaluation.Nab.NabSyntheticCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    [Fact]
    public async Task Evaluate_Nab_AddsTheSameNabScoresAsEvaluateNab_AndEveryMetric()
    {
        var nab = await CliRunner.RunAsync("evaluate", "nab", "--root", _corpus.Root, "--detector", "random", "--detector", "windowed-gaussian", "--json");
        Assert.True(nab.ExitCode == 0, nab.Error);
        var r = await CliRunner.RunAsync("evaluate", "--nab", _corpus.Root, "--detector", "random", "--detector", "windowed-gaussian", "--json", "-");
        Assert.True(r.ExitCode == 0, r.Error);

        var rows = r.Json().GetProperty("detectors").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        foreach (var expected in nab.Json().EnumerateArray())
        {
            var spec = expected.GetProperty("detector").GetString();
            var row = rows.Single(d => d.GetProperty("detector").GetString() == spec);
            Assert.Equal("nab", row.GetProperty("dataset").GetString());
            Assert.True(row.TryGetProperty("rocAuc", out _));
            Assert.Equal(["labelled_window"], row.GetProperty("byKind").EnumerateObject().Select(p => p.Name));
            foreach (var profile in expected.GetProperty("scores").EnumerateObject())
            {
                Assert.Equal(profile.Value.GetDouble(), row.GetProperty("nab").GetProperty("scores").GetProperty(profile.Name).GetDouble());
                Assert.Equal(
                    expected.GetProperty("thresholds").GetProperty(profile.Name).GetDouble(),
                    row.GetProperty("nab").GetProperty("thresholds").GetProperty(profile.Name).GetDouble());
            }
        }

        var table = await CliRunner.RunAsync("evaluate", "--nab", _corpus.Root, "--detector", "random", "--sort-by", "nabStandard");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("NAB ‡ ▼", table.Out, StringComparison.Ordinal);
    }
}
