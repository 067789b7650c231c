using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Runs;
using Workbench.Operators.Detection;
using Workbench.Reports;
using Workbench.Tests.Cli;
using Workbench.Tests.Support;
using Xunit.Abstractions;
using static Workbench.Tests.Evaluation.Runs.EvaluationTestData;

namespace Workbench.Tests.Reports;

public class EvaluationReportTests(ITestOutputHelper output)
{
    private const string Evil = "<script>alert(1)</script>";

    /// <summary>ThreeSeries with a hostile name on series "a"; value(5) detects every event and raises false alarms; null misses all.</summary>
    private static (LabeledSeriesSet Data, IDetector[] Detectors, Leaderboard Board) Evaluated()
    {
        var three = ThreeSeries();
        var data = new LabeledSeriesSet("three", three.Series.Select(s => s.Name == "a" ? new LabeledSeries(Evil, s.Timestamps, s.Values, s.Labels) : s).ToList());
        IDetector[] detectors = [new ValueDetector(5), new NullDetector()];
        return (data, detectors, Leaderboard.Create(DetectorEvaluator.Evaluate(data, detectors)));
    }

    [Fact]
    public void Build_HasTheLeaderboardHeatmapAndTheBestDetectorsSeries_AllTextEscaped()
    {
        var (data, detectors, board) = Evaluated();
        var report = EvaluationReport.Build(board, [data], detectors);
        var html = report.ToHtml();

        Assert.Equal("value", board.Rows[0].Name);
        Assert.Contains("value(threshold=5)", html, StringComparison.Ordinal);
        Assert.Contains("three: event recall by anomaly kind", html, StringComparison.Ordinal);
        Assert.Contains("It detected every labelled event.", html, StringComparison.Ordinal); // value(5) misses nothing
        Assert.Contains("three: most false alarms of value (rank 1)", html, StringComparison.Ordinal);
        Assert.Equal(1 + 3, report.ChartCount); // heatmap + the three series, each with false alarms
        Assert.DoesNotContain(Evil, html, StringComparison.Ordinal);
        Assert.Contains(@"\u0026lt;script\u0026gt;alert(1)\u0026lt;/script\u0026gt;", html, StringComparison.Ordinal); // in the chart JSON: escaped for plotly, then for the script block
        Assert.Single(Regex.Matches(html, Regex.Escape(ChartHtml.PlotlyJs[..200])));
        Assert.Contains("PA-F1<sup>†</sup>", html, StringComparison.Ordinal);
        Assert.Contains("Best-F1<sup>‡</sup>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NullDetectorFirst_ChartsItsWorstMisses_AndCropsLongSeries()
    {
        var (data, detectors, _) = Evaluated();
        var board = Leaderboard.Create(DetectorEvaluator.Evaluate(data, detectors), "falseAlarmsPer1k"); // null has none: rank 1
        var report = EvaluationReport.Build(board, [data], detectors, new EvaluationReportOptions { MaxChartRows = 20 });
        var html = report.ToHtml();

        Assert.Equal("null", board.Rows[0].Name);
        Assert.Contains("three: worst misses of null (rank 1)", html, StringComparison.Ordinal);
        Assert.Contains("It raised no false alarm.", html, StringComparison.Ordinal);
        Assert.Contains("2 of 2 event(s) missed, 0 false alarm(s). Rows 0–19 of 100 shown.", html, StringComparison.Ordinal);
        Assert.Contains("1 of 1 event(s) missed, 0 false alarm(s). Rows 80–99 of 100 shown.", html, StringComparison.Ordinal);
        Assert.Equal(1 + 2, report.ChartCount);
    }

    [Fact]
    public void Build_RejectsAnEvaluationWhoseDatasetOrDetectorIsMissing()
    {
        var (data, detectors, board) = Evaluated();
        Assert.Contains("dataset 'three'", Assert.Throws<ArgumentException>(() => EvaluationReport.Build(board, [], detectors)).Message, StringComparison.Ordinal);
        Assert.Contains("detector 'value(threshold=5)'", Assert.Throws<ArgumentException>(() => EvaluationReport.Build(board, [data], [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateCommand_Report_WritesOneOfflinePage()
    {
        using var dir = new TempDirectory();
        var path = dir.File("r/report.html");
        var r = await CliRunner.RunAsync("evaluate", "--detector", "zscore", "--detector", "mad", "--report", path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("report: " + path, r.Out, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(path);
        Assert.Contains("<caption>Leaderboard</caption>", html, StringComparison.Ordinal);
        Assert.Contains("default: worst misses of", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, Regex.Escape(ChartHtml.PlotlyJs[..200])));
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EvaluationReport_InHeadlessChromium_EveryChartRenders()
    {
        var required = Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_BROWSER") == "1";
        if (!File.Exists(HeadlessBrowser.Chromium))
        {
            Assert.False(required, $"{HeadlessBrowser.Chromium} is missing but WORKBENCH_REQUIRE_BROWSER=1: install it with 'apt-get install -y chromium'.");
            Skip.If(true, $"{HeadlessBrowser.Chromium} is not installed (apt-get install -y chromium); the browser render test cannot run.");
        }

        var (data, detectors, board) = Evaluated();
        var html = EvaluationReport.Build(board, [data], detectors).ToHtml();
        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "evaluation-report.html"), html);
        var work = Path.Combine(Path.GetTempPath(), "wb-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var page = Path.Combine(work, "report.html");
            await File.WriteAllTextAsync(page, html.Replace("<head>\n", "<head>\n" + HeadlessBrowser.Probe + "\n", StringComparison.Ordinal));
            var screenshot = Path.Combine(artifacts, "evaluation-report.png");
            var (exitCode, dom, stderr) = await HeadlessBrowser.RunAsync(work, page, screenshot);

            Assert.True(exitCode == 0, $"chromium exited with {exitCode}: {HeadlessBrowser.Tail(stderr)}");
            var match = Regex.Match(dom, "<pre id=\"wb-test-result\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(match.Success, $"the probe did not report. stderr: {HeadlessBrowser.Tail(stderr)}");
            using var result = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            var root = result.RootElement;
            output.WriteLine("probe: " + root.GetRawText());
            Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
            Assert.Equal(0, root.GetProperty("alerts").GetArrayLength());
            var charts = root.GetProperty("charts").EnumerateArray().ToArray();
            Assert.Equal(4, charts.Length);
            Assert.All(charts, c => Assert.True(c.GetProperty("plotted").GetBoolean() && c.GetProperty("mainSvg").GetInt32() >= 1, c.GetRawText()));
            Assert.True(charts[0].GetProperty("heatmapImages").GetInt32() >= 1, charts[0].GetRawText());
            Assert.All(charts.Skip(1), c =>
            {
                Assert.True(c.GetProperty("drawnLines").GetInt32() >= 3, c.GetRawText()); // values, score, threshold
                Assert.True(c.GetProperty("markerPoints").GetInt32() >= 1, c.GetRawText()); // the flags
            });
            Assert.Contains(charts.Skip(1), c => c.GetProperty("legend").EnumerateArray().Any(e => e.GetString() == Evil));
            Assert.True(new FileInfo(screenshot).Length > 20_000, "blank screenshot?");
            output.WriteLine("screenshot: " + screenshot);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
