using System.Diagnostics;
using System.Text.RegularExpressions;
using Workbench.Notebooks;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Notebooks;

/// <summary>
/// Runs every notebook in <c>notebooks/</c> with the headless runner, checks that the committed files are clean and in
/// the model's formatting, that charts come out (plotly MIME type, HTML page with plotly.js embedded once and no CDN), and
/// exports one notebook to a file-based app that runs with <c>dotnet run</c>. Executed copies and their HTML pages are
/// written under the test output folder (<c>TestResults/notebooks/</c>).
/// </summary>
public sealed partial class NotebookSuiteTests
{
    private const string PlotlyMime = "application/vnd.plotly.v1+json";

    /// <summary>Per notebook: the least number of chart outputs, and texts its outputs must contain.</summary>
    private static readonly Dictionary<string, (int Charts, string[] Texts)> Expectations = new(StringComparer.Ordinal)
    {
        ["01-replay.ipynb"] = (1, ["12,960 observations of 9 series", "delivered 12,960; clock equal to each timestamp: True", "closed at 01:00: 540 observations", "state Completed", "Paused"]),
        ["02-generating-datasets.ipynb"] = (6, ["9,600 observations", "24 events", "Kind: drift", "Kind: level_shift", "Kind: missing", "Kind: seasonal", "Kind: spike"]),
        ["03-forecasting.ipynb"] = (3, ["Forecaster: holt-winters", "Forecaster: ar", "Forecaster: onnx"]),
        ["04-detectors.ipynb"] = (5, ["Detector: zscore", "Detector: windowed-gaussian", "EventsFound:"]),
        ["05-evaluation.ipynb"] = (4, ["seasonal-profile", "Event recall by anomaly kind", "snapshots; final: F1"]),
        ["06-snapshot-testing.ipynb"] = (0, ["# Workbench pipeline transcript", "matches the committed snapshot", "matches: False"]),
        ["07-power-grid.ipynb"] = (3, ["Power-grid load monitor (power-grid)", "evaluation: ", "forecast.mape.last24h", "identical to the virtual-time run: True"]),
        ["08-market-data.ipynb"] = (4, ["Market-data stream (market-data)", "evaluation: ", "ticks.duplicates", "identical to the virtual-time run: True"]),
        ["09-smart-meters.ipynb"] = (3, ["Smart-meter telemetry (smart-meters)", "evaluation: ", "identical to the virtual-time run: True"]),
        ["10-plant-sensors.ipynb"] = (3, ["Plant sensor monitor (plant-sensors)", "evaluation: ", "identical to the virtual-time run: True"]),
        ["11-data-factory.ipynb"] = (2, ["Labelled-data factory (data-factory)", "evaluation: ", "alerts.cusum", "identical to the virtual-time run: True"]),
    };

    /// <summary>How many notebooks the folder holds.</summary>
    public static int ExpectedCount => Expectations.Count;

    public static string Folder { get; } = Path.Combine(NotebookPaths.RepoRoot, "notebooks");

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void Folder_HoldsTheNotebooksNumberedFrom01WithoutGaps()
    {
        var names = Directory.GetFiles(Folder, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Expectations.Count, names.Length);
        var previous = 0;
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Matches(NotebookName(), names[i]);
            var number = int.Parse(names[i]![..2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(number == previous + 1, $"{names[i]} after notebook {previous}: the numbers run 01, 02, … without gaps");
            previous = number;
        }

        Assert.Equal(Expectations.Keys.Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_IsCleanPolyglotAndStablyFormatted(string name)
    {
        var path = Path.Combine(Folder, name);
        var text = File.ReadAllText(path);
        var nb = Notebook.Load(path);
        Assert.Equal(text, nb.ToJson());
        Assert.Equal("workbench-csharp", nb.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", nb.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        Assert.All(nb.Cells, c => Assert.Empty(c.Outputs));
        Assert.All(nb.Cells, c => Assert.Null(c.ExecutionCount));
        Assert.All(nb.Cells.Where(c => c.CellType == NotebookCellType.Code), c => Assert.Equal("csharp", c.KernelName));

        Assert.Equal(NotebookCellType.Markdown, nb.Cells[0].CellType);
        Assert.StartsWith($"# {name[..2]} · ", nb.Cells[0].Source, StringComparison.Ordinal);
        Assert.Equal(NotebookCellType.Code, nb.Cells[1].CellType);
        Assert.StartsWith("#r \"../artifacts/notebook-lib/Workbench.Core.dll\"\n", nb.Cells[1].Source, StringComparison.Ordinal);

        // Markdown between the steps: no two code cells in a row.
        for (var i = 1; i < nb.Cells.Count; i++)
        {
            Assert.False(nb.Cells[i].CellType == NotebookCellType.Code && nb.Cells[i - 1].CellType == NotebookCellType.Code, $"{name}: cells {i} and {i + 1} are both code");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsWithoutErrorAndDrawsItsCharts(string name)
    {
        var result = await NotebookRunner.RunAsync(Path.Combine(Folder, name));
        var outDir = Path.Combine(AppContext.BaseDirectory, "TestResults", "notebooks");
        Directory.CreateDirectory(outDir);
        result.Executed.Save(Path.Combine(outDir, name));
        var html = NotebookHtmlRenderer.Render(result.Executed, name);
        await File.WriteAllTextAsync(Path.Combine(outDir, Path.ChangeExtension(name, ".html")), html);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(result.Cells, result.CellsRun);

        var outputs = result.Executed.Cells.SelectMany(c => c.Outputs).ToArray();
        var bundles = outputs.Select(o => o switch
        {
            DisplayDataOutput d => d.Data,
            ExecuteResultOutput e => e.Data,
            _ => null,
        }).OfType<MimeBundle>().ToArray();
        var charts = bundles.Count(b => b.ContainsKey(PlotlyMime));
        var (minCharts, texts) = Expectations[name];
        Assert.True(charts >= minCharts, $"{name}: {charts} chart outputs, expected at least {minCharts}");

        // Every code cell that builds a chart shows one.
        foreach (var cell in result.Executed.Cells.Where(c => c.CellType == NotebookCellType.Code && ChartCall().IsMatch(c.Source)))
        {
            Assert.Contains(cell.Outputs, o => o is DisplayDataOutput d && d.Data.ContainsKey(PlotlyMime) || o is ExecuteResultOutput e && e.Data.ContainsKey(PlotlyMime));
        }

        var allText = string.Join("\n", outputs.Select(o => o switch
        {
            StreamOutput s => s.Text,
            DisplayDataOutput d => d.Data.TryGetValue("text/plain", out var t) ? t : string.Empty,
            ExecuteResultOutput e => e.Data.TryGetValue("text/plain", out var t) ? t : string.Empty,
            _ => string.Empty,
        }));
        foreach (var expected in texts)
        {
            Assert.Contains(expected, allText, StringComparison.Ordinal);
        }

        Assert.Equal(charts, CountOf(html, NotebookCharts.FragmentMarker + "'wb-chart-"));
        Assert.Equal(charts > 0 ? 1 : 0, CountOf(html, "plotly.js v2.28.0"));
        Assert.DoesNotContain("cdn.plot.ly/plotly-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_GeneratingNotebook_RunsAsFileBasedApp()
    {
        var dir = Directory.CreateTempSubdirectory("wb-nb-suite-export-").FullName;
        try
        {
            var app = Path.Combine(dir, "generating.cs");
            var r = await CliRunner.RunAsync("notebook", "export", Path.Combine(Folder, "02-generating-datasets.ipynb"), "--out", app);
            Assert.True(r.ExitCode == 0, r.Error);

            var start = new ProcessStartInfo("dotnet", ["run", app])
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var output = (await stdout).ReplaceLineEndings("\n");
            Assert.True(process.ExitCode == 0, output + await stderr);
            Assert.Contains("seed 33: 4 sources × 2,400 points every 10 min", output, StringComparison.Ordinal);
            Assert.Contains("9,600 observations", output, StringComparison.Ordinal);
            Assert.Contains("24 events", output, StringComparison.Ordinal);
            // The chart cells ran too: the exported display prints each chart's ToString() (F# "MultiChart (...)").
            Assert.Equal(6, CountOf(output, "MultiChart\n"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    [GeneratedRegex(@"^[01][0-9]-[a-z]+(-[a-z]+)*\.ipynb$")]
    private static partial Regex NotebookName();

    [GeneratedRegex(@"\b(SeriesChart|ReplayChart|RankingCurves|LeaderboardHeatmap|EvaluationCharts|TimelineChart)\.|\.Charts\(")]
    private static partial Regex ChartCall();
}
