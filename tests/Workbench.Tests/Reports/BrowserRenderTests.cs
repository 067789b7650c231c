using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Workbench.Reports;
using Xunit.Abstractions;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Reports;

/// <summary>
/// Loads a generated report in headless Debian Chromium with the network disabled and checks that every chart was
/// actually drawn by plotly.js, that no script error happened, and that hostile dataset text stayed text. Skipped (with
/// the reason) when <c>/usr/bin/chromium</c> is absent, unless <c>WORKBENCH_REQUIRE_BROWSER=1</c> (set by .ci/run), where
/// a missing browser fails instead.
/// </summary>
public class BrowserRenderTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Report_InHeadlessChromium_EveryChartRendersWithoutScriptErrors()
    {
        var required = Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_BROWSER") == "1";
        if (!File.Exists(HeadlessBrowser.Chromium))
        {
            Assert.False(required, $"{HeadlessBrowser.Chromium} is missing but WORKBENCH_REQUIRE_BROWSER=1: install it with 'apt-get install -y chromium'.");
            Skip.If(true, $"{HeadlessBrowser.Chromium} is not installed (apt-get install -y chromium); the browser render test cannot run.");
        }

        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts");
        Directory.CreateDirectory(artifacts);
        var reportHtml = ReportTestData.Report().ToHtml();
        File.WriteAllText(Path.Combine(artifacts, "report.html"), reportHtml);
        var probed = reportHtml.Replace("<head>\n", "<head>\n" + HeadlessBrowser.Probe + "\n", StringComparison.Ordinal);
        Assert.NotEqual(reportHtml, probed);

        var work = Path.Combine(Path.GetTempPath(), "wb-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var page = Path.Combine(work, "report.html");
            File.WriteAllText(page, probed);
            var screenshot = Path.Combine(artifacts, "report.png");
            File.Delete(screenshot);

            var (exitCode, dom, stderr) = await HeadlessBrowser.RunAsync(work, page, screenshot);

            Assert.True(exitCode == 0, $"chromium exited with {exitCode}: {HeadlessBrowser.Tail(stderr)}");
            var match = Regex.Match(dom, "<pre id=\"wb-test-result\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(match.Success, $"the probe did not report (page did not load or scripts did not run). stderr: {HeadlessBrowser.Tail(stderr)}");
            using var result = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            var root = result.RootElement;
            output.WriteLine("probe: " + root.GetRawText());

            Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
            Assert.Equal(0, root.GetProperty("alerts").GetArrayLength());
            Assert.Equal(1 + 1 + 5, root.GetProperty("scripts").GetInt32()); // probe, plotly.js, one per chart: no injected script

            var charts = root.GetProperty("charts").EnumerateArray().ToArray();
            Assert.Equal(["wb-chart-1", "wb-chart-2", "wb-chart-3", "wb-chart-4", "wb-chart-5"], charts.Select(c => c.GetProperty("id").GetString()!).ToArray());
            Assert.All(charts, c =>
            {
                Assert.True(c.GetProperty("plotted").GetBoolean(), c.GetRawText());
                Assert.True(c.GetProperty("mainSvg").GetInt32() >= 1, c.GetRawText());
            });

            // Series chart: value, band edges, forecast, score and threshold lines drawn; detection markers; 3 spans.
            var series = charts[0];
            Assert.True(series.GetProperty("drawnLines").GetInt32() >= 6, series.GetRawText());
            Assert.True(series.GetProperty("markerPoints").GetInt32() >= 2, series.GetRawText());
            Assert.Equal(3, series.GetProperty("shapes").GetInt32());
            var legend = series.GetProperty("legend").EnumerateArray().Select(e => e.GetString()).ToArray();
            Assert.Contains(Evil, legend); // the hostile series name is shown literally, as text
            Assert.Contains("spike", legend);
            Assert.Contains("level_shift", legend);

            // Heatmap drawn as an image; ROC and PR: two detector curves plus a baseline each; replay: two panels.
            Assert.True(charts[1].GetProperty("heatmapImages").GetInt32() >= 1, charts[1].GetRawText());
            Assert.Equal(3, charts[2].GetProperty("drawnLines").GetInt32());
            Assert.Equal(3, charts[3].GetProperty("drawnLines").GetInt32());
            Assert.Equal(2, charts[4].GetProperty("drawnLines").GetInt32());
            Assert.Equal(6, charts[4].GetProperty("shapes").GetInt32());

            var png = await File.ReadAllBytesAsync(screenshot);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4).ToArray());
            Assert.True(png.Length > 50_000, $"the screenshot is {png.Length} bytes: a blank page?");
            output.WriteLine("screenshot: " + screenshot);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
