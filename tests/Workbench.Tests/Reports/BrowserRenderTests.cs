using System.Diagnostics;
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
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Collects errors, console errors and alert calls from the very start, then records what was drawn.</summary>
    private const string Probe = """
        <script type="text/javascript">
        (function () {
          var errors = [], alerts = [];
          window.addEventListener('error', function (e) { errors.push(String(e.message) + ' @' + e.filename + ':' + e.lineno); });
          window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + String(e.reason)); });
          var consoleError = console.error;
          console.error = function () { errors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); consoleError.apply(console, arguments); };
          window.alert = function (m) { alerts.push(String(m)); };
          window.addEventListener('load', function () {
            setTimeout(function () {
              var charts = Array.prototype.map.call(document.querySelectorAll('div.workbench-chart'), function (div) {
                // A drawn line: a path with at least one segment (L, H or V command) after its start.
                var lineTraces = Array.prototype.map.call(div.querySelectorAll('.scatterlayer .trace'), function (t) {
                  return Array.prototype.some.call(t.querySelectorAll('path.js-line'), function (p) { return /[LHV]/.test(p.getAttribute('d') || ''); }) ? 1 : 0;
                });
                var drawn = lineTraces.reduce(function (a, b) { return a + b; }, 0);
                return {
                  id: div.id,
                  plotted: div.classList.contains('js-plotly-plot'),
                  mainSvg: div.querySelectorAll('.main-svg').length,
                  scatterTraces: div.querySelectorAll('.scatterlayer .trace').length,
                  drawnLines: drawn,
                  lineTraces: lineTraces,
                  markerPoints: div.querySelectorAll('.scatterlayer .trace .points path').length,
                  heatmapImages: div.querySelectorAll('.heatmaplayer image').length,
                  shapes: div.querySelectorAll('.shapelayer path').length,
                  legend: Array.prototype.map.call(div.querySelectorAll('.legendtext'), function (t) { return t.textContent; })
                };
              });
              var result = { errors: errors, alerts: alerts, scripts: document.querySelectorAll('script').length, charts: charts };
              var pre = document.createElement('pre');
              pre.id = 'wb-test-result';
              pre.textContent = JSON.stringify(result);
              document.body.appendChild(pre);
            }, 1000);
          });
        })();
        </script>
        """;

    [SkippableFact]
    public async Task Report_InHeadlessChromium_EveryChartRendersWithoutScriptErrors()
    {
        var required = Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_BROWSER") == "1";
        if (!File.Exists(Chromium))
        {
            Assert.False(required, $"{Chromium} is missing but WORKBENCH_REQUIRE_BROWSER=1: install it with 'apt-get install -y chromium'.");
            Skip.If(true, $"{Chromium} is not installed (apt-get install -y chromium); the browser render test cannot run.");
        }

        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts");
        Directory.CreateDirectory(artifacts);
        var reportHtml = ReportTestData.Report().ToHtml();
        File.WriteAllText(Path.Combine(artifacts, "report.html"), reportHtml);
        var probed = reportHtml.Replace("<head>\n", "<head>\n" + Probe + "\n", StringComparison.Ordinal);
        Assert.NotEqual(reportHtml, probed);

        var work = Path.Combine(Path.GetTempPath(), "wb-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var page = Path.Combine(work, "report.html");
            File.WriteAllText(page, probed);
            var screenshot = Path.Combine(artifacts, "report.png");
            File.Delete(screenshot);

            var (exitCode, dom, stderr) = await RunChromium(work, page, screenshot);

            Assert.True(exitCode == 0, $"chromium exited with {exitCode}: {Tail(stderr)}");
            var match = Regex.Match(dom, "<pre id=\"wb-test-result\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(match.Success, $"the probe did not report (page did not load or scripts did not run). stderr: {Tail(stderr)}");
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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunChromium(string work, string page, string screenshot)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + Path.Combine(work, "profile"),
            "--host-resolver-rules=MAP * ~NOTFOUND", // offline: any network fetch would fail
            "--virtual-time-budget=15000", "--window-size=1200,3600", "--screenshot=" + screenshot, "--dump-dom",
            new Uri(page).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BrowserTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"chromium did not finish within {BrowserTimeout.TotalSeconds} s and was killed. stderr: {Tail(await stderr)}");
        }

        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
