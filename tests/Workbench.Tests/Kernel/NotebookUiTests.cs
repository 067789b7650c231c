using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Workbench.Tests.Notebooks;
using Workbench.Tests.Support;
using Xunit.Abstractions;

namespace Workbench.Tests.Kernel;

/// <summary>
/// The kernel behind a real front end: classic Jupyter Notebook 6 serves a copy of <c>notebooks/</c>, headless Chromium
/// (driven over the DevTools protocol) opens 04-detectors.ipynb, runs all cells from the notebook's own JavaScript API,
/// and the page must show the kernel as "C# (Workbench)", give every code cell an execution count, show no error output,
/// raise no JavaScript exception, and draw plotly traces in every chart (plotly.js comes inline with the kernel's first
/// chart, as Notebook 6 has no plotly renderer). A screenshot goes to <c>TestResults/artifacts/notebook-ui.png</c> under
/// the test output folder. Then the z-score threshold is edited and the dependent cells rerun: the chart must change.
/// After the server is shut down, no process of the test (server, kernel, browser) may remain.
/// Skipped like the other kernel tests without Jupyter, and without <c>/usr/bin/chromium</c> unless
/// <c>WORKBENCH_REQUIRE_BROWSER=1</c>.
/// </summary>
public class NotebookUiTests(ITestOutputHelper output)
{
    private const string Notebook = "04-detectors.ipynb";
    private const int MinCharts = 5;

    private const string CodeCellPrompts = "Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => c.input_prompt_number === undefined ? null : c.input_prompt_number)";
    private const string KernelIdle = "document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon')";
    private const string ChartState = """
        Array.from(document.querySelectorAll('.output_area [id^="wb-chart-"]')).map(d => ({
          id: d.id,
          plotted: d.classList.contains('js-plotly-plot'),
          traces: d.querySelectorAll('.scatterlayer .trace').length,
          mainSvg: d.querySelectorAll('.main-svg').length,
        }))
        """;

    [SkippableFact]
    public async Task Notebook6_RunAllCells_WithOurKernel_DrawsEveryChartWithoutErrors()
    {
        JupyterEnvironment.Require();
        RequireChromium();
        var lib = Path.Combine(NotebookPaths.RepoRoot, "artifacts", "notebook-lib");
        Assert.True(File.Exists(Path.Combine(lib, "Workbench.Core.dll")), $"{lib} is missing: building Workbench.Notebooks copies the notebooks' #r assemblies there");

        using var temp = new TempDirectory();
        var kernel = await JupyterEnvironment.InstallKernelAsync(temp.Path);
        // The served tree mirrors the repository: notebooks/ (a copy) beside artifacts/notebook-lib (a link), so #r "../artifacts/…" resolves.
        var site = Path.Combine(temp.Path, "site");
        CopyDirectory(NotebookSuiteTests.Folder, Path.Combine(site, "notebooks"));
        Directory.CreateDirectory(Path.Combine(site, "artifacts"));
        Directory.CreateSymbolicLink(Path.Combine(site, "artifacts", "notebook-lib"), lib);

        var clock = Stopwatch.StartNew();
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "artifacts", "notebook-ui.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        string[] kernels;
        var server = await JupyterNotebookServer.StartAsync(kernel, site, TimeSpan.FromSeconds(60));
        try
        {
            output.WriteLine($"notebook server up on port {server.Port} after {Seconds(clock)}");
            await using (var browser = await DevToolsBrowser.StartAsync(Path.Combine(temp.Path, "chromium")))
            {
                try
                {
                    await browser.NavigateAsync(server.Url($"/notebooks/notebooks/{Notebook}"), TimeSpan.FromSeconds(60));
                    await browser.WaitForAsync(
                        "window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() && " + KernelIdle,
                        TimeSpan.FromSeconds(60), "the notebook to load and its kernel to be idle",
                        "({ title: document.title, kernel: document.querySelector('#kernel_indicator_icon') && document.querySelector('#kernel_indicator_icon').className, dialog: Array.from(document.querySelectorAll('.modal-body')).map(m => m.innerText) })");
                    output.WriteLine($"notebook loaded, kernel idle after {Seconds(clock)}");

                    var shownName = (await browser.EvaluateAsync("document.querySelector('#kernel_indicator .kernel_indicator_name').textContent")).GetString();
                    var kernelName = (await browser.EvaluateAsync("Jupyter.notebook.kernel.name")).GetString();
                    Assert.Equal(JupyterEnvironment.DisplayName, shownName);
                    Assert.Equal(kernel.Name, kernelName);

                    await browser.EvaluateAsync("Jupyter.notebook.execute_all_cells(), true");
                    await browser.WaitForAsync(
                        $"{CodeCellPrompts}.every(n => typeof n === 'number') && {KernelIdle}",
                        TimeSpan.FromSeconds(180), "every code cell to run and the kernel to be idle",
                        $"({{ prompts: {CodeCellPrompts}, errors: document.querySelectorAll('.output_error').length }})");
                    output.WriteLine($"all cells ran after {Seconds(clock)}; prompts {await browser.TryEvaluateTextAsync(CodeCellPrompts)}");

                    var chartsDrawn = $"(() => {{ const s = {ChartState}; return s.length >= {MinCharts} && s.every(c => c.traces > 0); }})()";
                    await browser.WaitForAsync(chartsDrawn, TimeSpan.FromSeconds(30), $"at least {MinCharts} charts with plotly traces",
                        $"({{ plotly: typeof window.Plotly, charts: {ChartState}, htmlOutputs: document.querySelectorAll('.output_html').length }})");
                    var charts = await browser.EvaluateAsync(ChartState);
                    output.WriteLine("charts: " + charts.GetRawText());

                    var errorAreas = await browser.EvaluateAsync("Array.from(document.querySelectorAll('.output_error')).map(e => e.innerText.slice(0, 500))");
                    Assert.True(errorAreas.GetArrayLength() == 0, "error outputs in the page: " + errorAreas.GetRawText());
                    Assert.True(browser.Exceptions.Count == 0, "JavaScript exceptions in the page:\n" + string.Join('\n', browser.Exceptions));
                    foreach (var e in browser.ConsoleErrors)
                    {
                        output.WriteLine("console error: " + e);
                    }

                    Assert.True(browser.ConsoleErrors.Count == 0, "console errors in the page:\n" + string.Join('\n', browser.ConsoleErrors));

                    await EditParameterAndRerunAsync(browser);
                    output.WriteLine($"edited z-score threshold re-ran and redrew after {Seconds(clock)}");
                }
                finally
                {
                    await TakeScreenshotAsync(browser, screenshot);
                }
            }

            kernels = [.. JupyterEnvironment.ProcessesMentioning(kernel.RuntimeDirectory)];
            output.WriteLine("kernel processes before shutdown: " + string.Join(" | ", kernels));
            Assert.True(kernels.Length == 1 && kernels[0].Contains("kernel --connection-file", StringComparison.Ordinal),
                "expected one kernel process (workbench kernel --connection-file …), found:\n" + string.Join('\n', kernels));

            var stopped = await server.ShutdownAsync(TimeSpan.FromSeconds(30));
            Assert.False(stopped.TimedOut, "the notebook server did not exit within 30 s of POST /api/shutdown: " + stopped.Describe());
            Assert.True(stopped.ExitCode == 0, "the notebook server exited with " + stopped.Describe());
        }
        catch
        {
            output.WriteLine("--- notebook server log (tail; the kernel logs here too) ---\n" + ChildProcess.Tail(server.Log));
            throw;
        }
        finally
        {
            await server.DisposeAsync();
        }

        var leftovers = await JupyterEnvironment.WaitForNoProcessesMentioning(temp.Path, TimeSpan.FromSeconds(20));
        Assert.True(leftovers.Count == 0, "processes left running after the server shut down (the kernel must end with it):\n" + string.Join('\n', leftovers));
        output.WriteLine($"server, kernel and browser gone after {Seconds(clock)}");
    }

    /// <summary>
    /// What a user does next: edit a parameter in the detectors cell (z-score threshold 4 → 2), rerun that cell and the
    /// cells that depend on it, and see the first chart change: more flag markers, the threshold line moved. Both the
    /// chart's plotly data (read from the drawn element) and the table of flags must differ from the first run.
    /// </summary>
    private async Task EditParameterAndRerunAsync(DevToolsBrowser browser)
    {
        var before = await browser.EvaluateAsync(FirstChartTraces);
        Assert.True(before.ValueKind == JsonValueKind.Array && before.GetArrayLength() > 0, "the z-score chart has no plotly data: " + before.GetRawText());
        var table = await browser.EvaluateAsync(CellOutputText(TableCell));
        var lastPrompt = (await browser.EvaluateAsync($"Jupyter.notebook.get_cell({ChartCell}).input_prompt_number")).GetInt32();

        var edited = await browser.EvaluateAsync($$"""
            (() => {
              const c = Jupyter.notebook.get_cell({{DetectorsCell}});
              const text = c.get_text();
              if (!text.includes('"zscore(window=36)"')) return false;
              c.set_text(text.replace('"zscore(window=36)"', '"zscore(window=36,threshold=2)"'));
              Jupyter.notebook.execute_cells([{{DetectorsCell}}, {{ScoreCell}}, {{TableCell}}, {{ChartCell}}]);
              return true;
            })()
            """);
        Assert.True(edited.GetBoolean(), $"cell {DetectorsCell} of {Notebook} no longer holds \"zscore(window=36)\"");

        var chartsDrawn = $"(() => {{ const s = {ChartState}; return s.length >= {MinCharts} && s.every(c => c.traces > 0); }})()";
        await browser.WaitForAsync(
            $"(() => {{ const n = Jupyter.notebook.get_cell({ChartCell}).input_prompt_number; return typeof n === 'number' && n > {lastPrompt} && {KernelIdle} && {chartsDrawn}; }})()",
            TimeSpan.FromSeconds(90), "the edited cells to run again and their charts to draw",
            $"({{ prompt: Jupyter.notebook.get_cell({ChartCell}).input_prompt_number, errors: document.querySelectorAll('.output_error').length, charts: {ChartState} }})");

        var errorAreas = await browser.EvaluateAsync("Array.from(document.querySelectorAll('.output_error')).map(e => e.innerText.slice(0, 500))");
        Assert.True(errorAreas.GetArrayLength() == 0, "error outputs after the rerun: " + errorAreas.GetRawText());
        var detectorsText = (await browser.EvaluateAsync(CellOutputText(DetectorsCell))).GetString() ?? string.Empty;
        Assert.Contains("zscore(window=36,threshold=2)", detectorsText, StringComparison.Ordinal);

        var after = await browser.EvaluateAsync(FirstChartTraces);
        output.WriteLine("z-score chart traces before: " + before.GetRawText());
        output.WriteLine("z-score chart traces after:  " + after.GetRawText());
        Assert.NotEqual(before.GetRawText(), after.GetRawText());
        Assert.NotEqual(table.GetString(), (await browser.EvaluateAsync(CellOutputText(TableCell))).GetString());
    }

    // Cell indices in 04-detectors.ipynb (markdown cells count): the detector list, scoring, the flags table, the charts.
    private const int DetectorsCell = 3;
    private const int ScoreCell = 5;
    private const int TableCell = 7;
    private const int ChartCell = 9;

    /// <summary>The first chart of the charts cell as drawn: per trace its name, point count and first y value.</summary>
    private static readonly string FirstChartTraces = $$"""
        (() => {
          const d = Jupyter.notebook.get_cell({{ChartCell}}).output_area.element[0].querySelector('[id^="wb-chart-"]');
          return d && d.data ? d.data.map(t => ({ name: t.name || '', points: (t.x || []).length, y0: t.y && t.y.length ? t.y[0] : null })) : null;
        })()
        """;

    private static string CellOutputText(int cell) => $"Jupyter.notebook.get_cell({cell}).output_area.element[0].innerText";

    private async Task TakeScreenshotAsync(DevToolsBrowser browser, string path)
    {
        try
        {
            // Long outputs are shown in a scroll box: expand them. Notebook 6 scrolls inside #site, sized to the window,
            // so a viewport as tall as the notebook shows all of it.
            await browser.EvaluateAsync("Jupyter.notebook.get_cells().forEach(c => c.output_area && c.output_area.unscroll_area()), true");
            var height = (await browser.EvaluateAsync("document.querySelector('#header').offsetHeight + document.querySelector('#notebook').scrollHeight")).GetInt32();
            await browser.SetViewportAsync(1400, Math.Clamp(height + 20, 600, 12000));
            await browser.EvaluateAsync("window.dispatchEvent(new Event('resize')), new Promise(r => setTimeout(r, 500))");
            var bytes = await browser.ScreenshotAsync(path);
            output.WriteLine($"screenshot: {path} ({bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or JsonException)
        {
            output.WriteLine("screenshot failed: " + e.Message);
        }
    }

    private static void RequireChromium()
    {
        if (File.Exists(DevToolsBrowser.Chromium))
        {
            return;
        }

        Assert.False(Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_BROWSER") == "1",
            $"{DevToolsBrowser.Chromium} is missing but WORKBENCH_REQUIRE_BROWSER=1: install it with 'apt-get install -y chromium'.");
        Skip.If(true, $"{DevToolsBrowser.Chromium} is not installed (apt-get install -y chromium); the notebook UI test cannot run.");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static string Seconds(Stopwatch clock) => clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
}
