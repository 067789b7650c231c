using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Workbench.Notebooks;
using Workbench.Tests.Notebooks;
using Workbench.Tests.Support;
using Xunit.Abstractions;

namespace Workbench.Tests.Kernel;

/// <summary>
/// Runs the six notebooks of <c>notebooks/</c> through nbclient (what <c>jupyter nbconvert --execute</c> and papermill use)
/// with our kernel, each in a fresh kernel with the notebooks folder as working directory, and compares every code
/// cell's outputs with the headless <see cref="NotebookRunner"/>'s: the same output kinds and MIME types, the same
/// text/plain and stream text (consecutive stream chunks merged, chart ids scrubbed), no error output, an execution
/// count on every code cell, and the plotly MIME type on every chart. The nbclient wall time of each notebook is
/// written to the test output (goal: under 60 s for all six).
/// </summary>
public sealed partial class NotebookClientTests(ITestOutputHelper output)
{
    private const string Script = "execute_notebooks.py";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    [SkippableFact]
    public async Task Notebooks_ExecutedByNbclient_MatchTheHeadlessRunner()
    {
        JupyterEnvironment.Require();
        var folder = NotebookSuiteTests.Folder;
        var lib = Path.Combine(NotebookPaths.RepoRoot, "artifacts", "notebook-lib", "Workbench.Core.dll");
        Assert.True(File.Exists(lib), $"{lib} is missing: building Workbench.Notebooks copies the notebooks' #r assemblies there");
        var names = Directory.GetFiles(folder, "*.ipynb").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(NotebookSuiteTests.ExpectedCount, names.Length);

        using var temp = new TempDirectory();
        var kernel = await JupyterEnvironment.InstallKernelAsync(temp.Path);
        var script = JupyterEnvironment.CopyScript(Script, temp.Path);
        var executedDir = Path.Combine(AppContext.BaseDirectory, "TestResults", "nbclient");
        Directory.CreateDirectory(executedDir);

        var run = await ChildProcess.RunAsync(JupyterEnvironment.Python, [script, kernel.Name, folder, executedDir, .. names], Timeout, folder, kernel.Environment);
        Assert.False(run.TimedOut, "nbclient did not finish: " + run.Describe());
        var timings = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var total = 0.0;
        foreach (var t in timings)
        {
            var seconds = t.GetProperty("seconds").GetDouble();
            total += seconds;
            output.WriteLine($"nbclient {t.GetProperty("notebook").GetString()}: {seconds.ToString("F1", CultureInfo.InvariantCulture)} s{(t.GetProperty("error").GetString() is { } e ? "  ERROR " + e : string.Empty)}");
        }

        output.WriteLine($"nbclient, all {names.Length} notebooks: {total.ToString("F1", CultureInfo.InvariantCulture)} s (goal < 60 s; process wall time {run.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)");
        output.WriteLine("executed notebooks: " + executedDir);
        Assert.True(run.ExitCode == 0 && timings.Length == names.Length, "nbclient failed: " + run.Describe());

        var problems = new List<string>();
        var headless = Stopwatch.StartNew();
        var (cells, outputs, charts) = (0, 0, 0);
        foreach (var name in names)
        {
            var expected = await NotebookRunner.RunAsync(Path.Combine(folder, name));
            Assert.True(expected.Succeeded, "the headless runner itself failed: " + expected.FailureMessage);
            var actual = Notebook.Load(Path.Combine(executedDir, name));
            problems.AddRange(Compare(name, expected.Executed, actual));
            var code = actual.Cells.Where(c => c.CellType == NotebookCellType.Code).ToArray();
            cells += code.Length;
            outputs += code.Sum(c => c.Outputs.Count);
            charts += code.Sum(c => c.Outputs.Count(o => Bundle(o)?.ContainsKey(NotebookCharts.PlotlyMimeType) == true));
        }

        output.WriteLine($"headless runner, all six notebooks: {headless.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        output.WriteLine($"compared {cells} code cells, {outputs} nbclient outputs ({charts} charts)");
        Assert.True(charts >= 19, $"only {charts} chart outputs came back from nbclient (the notebooks draw at least 19)");
        Assert.True(problems.Count == 0, $"{problems.Count} difference(s) between nbclient with kernel '{kernel.Name}' and the headless runner:\n\n" + string.Join("\n\n", problems));

        var leftovers = await JupyterEnvironment.WaitForNoProcessesMentioning(kernel.RuntimeDirectory, TimeSpan.FromSeconds(20));
        Assert.True(leftovers.Count == 0, "kernel processes left running after nbclient:\n" + string.Join('\n', leftovers));
    }

    private static IEnumerable<string> Compare(string name, Notebook expected, Notebook actual)
    {
        if (expected.Cells.Count != actual.Cells.Count)
        {
            yield return $"{name}: {actual.Cells.Count} cells after nbclient, {expected.Cells.Count} in the notebook";
            yield break;
        }

        for (var i = 0; i < expected.Cells.Count; i++)
        {
            var (want, got) = (expected.Cells[i], actual.Cells[i]);
            if (want.CellType != NotebookCellType.Code)
            {
                continue;
            }

            var where = $"{name} cell {i + 1}";
            if (got.ExecutionCount is null)
            {
                yield return $"{where}: no execution count after nbclient";
            }

            foreach (var error in got.Outputs.OfType<ErrorOutput>())
            {
                yield return $"{where}: error output {error.EName}: {error.EValue}";
            }

            foreach (var (o, k) in got.Outputs.Select((o, k) => (o, k)))
            {
                if (Bundle(o) is { } b && b.TryGetValue("text/html", out var html) && html.Contains(NotebookCharts.FragmentMarker, StringComparison.Ordinal) && !b.ContainsKey(NotebookCharts.PlotlyMimeType))
                {
                    yield return $"{where} output {k + 1}: a chart without {NotebookCharts.PlotlyMimeType} (has {string.Join(", ", b.Keys)})";
                }
            }

            var (w, g) = (Signature(want.Outputs), Signature(got.Outputs));
            if (!w.SequenceEqual(g))
            {
                yield return $"{where}: outputs differ\n--- headless runner ---\n{string.Join("\n", w)}\n--- nbclient ---\n{string.Join("\n", g)}";
            }
        }
    }

    private static MimeBundle? Bundle(NotebookOutput o) => o switch
    {
        DisplayDataOutput d => d.Data,
        ExecuteResultOutput e => e.Data,
        _ => null,
    };

    /// <summary>One normalised line per output; consecutive chunks of one stream merged (front ends show them as one).</summary>
    private static List<string> Signature(IEnumerable<NotebookOutput> outputs)
    {
        var lines = new List<string>();
        StreamOutput? pending = null;
        var text = new StringBuilder();
        void Flush()
        {
            if (pending is not null)
            {
                lines.Add($"stream {pending.Name}: {Scrub(text.ToString())}");
                pending = null;
                text.Clear();
            }
        }

        foreach (var o in outputs)
        {
            if (o is StreamOutput s)
            {
                if (pending is not null && pending.Name != s.Name)
                {
                    Flush();
                }

                pending ??= s;
                text.Append(s.Text);
                continue;
            }

            Flush();
            lines.Add(o switch
            {
                ErrorOutput e => $"error {e.EName}: {e.EValue}",
                _ when Bundle(o) is { } b => $"{o.OutputType} [{string.Join(", ", b.Keys.Order(StringComparer.Ordinal))}]: {Scrub(b.TryGetValue("text/plain", out var t) ? t : string.Empty)}",
                _ => o.OutputType,
            });
        }

        Flush();
        return lines;
    }

    /// <summary>
    /// Scrubs what depends on the machine and the process rather than on the notebook: chart ids, elapsed times,
    /// rates (the pipelines' monitor line, "350,583 observations/s") and memory figures (heap, working set), which
    /// differ between the test process and a fresh kernel.
    /// </summary>
    internal static string Scrub(string text)
    {
        var s = ChartId().Replace(text.ReplaceLineEndings("\n"), "wb-chart-#");
        s = Rate().Replace(s, "<rate>");
        s = Memory().Replace(s, "<bytes>");
        return ElapsedTime().Replace(s, "<time>");
    }

    [GeneratedRegex(@"wb[-_]chart[-_][A-Za-z0-9_-]+")]
    private static partial Regex ChartId();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ms|µs|s)\b")]
    private static partial Regex ElapsedTime();

    [GeneratedRegex(@"\b\d[\d,]*(\.\d+)?\s?[KMG]?[A-Za-z]+/s\b")]
    private static partial Regex Rate();

    [GeneratedRegex(@"\b\d[\d,]*(\.\d+)?\s?(B|KB|MB|GB|KiB|MiB|GiB)\b")]
    private static partial Regex Memory();
}
