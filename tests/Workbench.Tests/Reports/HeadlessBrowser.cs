using System.Diagnostics;

namespace Workbench.Tests.Reports;

/// <summary>Debian's headless Chromium for the render tests: a probe script and a bounded, offline run.</summary>
internal static class HeadlessBrowser
{
    public const string Chromium = "/usr/bin/chromium";
    public static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Collects errors, console errors and alert calls from the very start, then records what was drawn.</summary>
    public const string Probe = """
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

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string work, string page, string screenshot)
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

    public static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
