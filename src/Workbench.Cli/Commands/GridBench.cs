using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Workbench.Cli.Infrastructure;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Runs;
using Workbench.Import;
using Workbench.Operators.Detection;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench grid</c>: a parameter grid evaluated on a data file (or the NAB corpus) with 1 worker and with N,
/// alternately run by run so both see the same machine load: wall and process CPU seconds, the speed-up, detector-rows/s
/// (items × rows / wall), and whether the leaderboard CSVs are byte-identical. CPU seconds show the work itself; on a
/// shared machine the wall speed-up is bounded by the CPU share the kernel gives this process, so both are reported
/// with the load average.
/// </summary>
public static class GridBench
{
    /// <summary>Builds the command (its output goes through <paramref name="run"/>, the bench command's writer).</summary>
    internal static Command Build(Func<ParseResult, Func<Task<BenchCommand.Result>>, Task<int>> run)
    {
        var data = new Option<FileInfo?>("--data") { Description = "A labelled Parquet file (default: --nab, else data/default.parquet)." };
        var nab = new Option<DirectoryInfo?>("--nab") { Description = "Evaluate on the NAB corpus at this folder instead (every metric plus the NAB sweep)." };
        var grids = new Option<string[]>("--grid")
        {
            Description = "A parameter grid, as for evaluate --grid (repeatable; default: zscore and ewma, 100 points each).",
            AllowMultipleArgumentsPerToken = false,
        };
        var workers = new Option<int>("--workers") { Description = "The worker count compared with 1 (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var runs = new Option<int>("--runs") { Description = "Measured pairs (1 worker, then N), after no warm-up: the first pair includes JIT.", DefaultValueFactory = _ => 2 };
        var command = new Command("grid", "A parameter grid (≥ 200 points by default) on a data file or NAB with 1 worker and with N, interleaved: wall and CPU seconds, speed-up, detector-rows/s, identical CSVs.")
        {
            data, nab, grids, workers, runs,
        };
        command.SetAction((parse, ct) => run(parse, () => Task.Run(async () => await MeasureAsync(
            parse.GetValue(data)?.FullName, parse.GetValue(nab)?.FullName, parse.GetValue(grids), parse.GetValue(workers), parse.GetValue(runs), ct).ConfigureAwait(false), ct)));
        return command;
    }

    /// <summary>The default grid: 200 points.</summary>
    public static readonly IReadOnlyList<string> DefaultGrids =
        ["zscore(window=[30,60,120,240,480],threshold=3..4.9:0.1)", "ewma(lambda=[0.05,0.1,0.2,0.3,0.5],l=3..4.9:0.1)"];

    private static async Task<BenchCommand.Result> MeasureAsync(string? dataPath, string? nabRoot, string[]? grids, int workers, int runs, CancellationToken ct)
    {
        if (workers < 2 || runs < 1)
        {
            throw new CommandFailedException("bench grid: --workers must be at least 2 and --runs at least 1");
        }

        var specs = EvaluateGrid.Specs(null, grids is { Length: > 0 } ? grids : DefaultGrids, 100_000);
        IReadOnlyList<IDetector> detectors = specs.Select(OperatorCatalogs.Cli.ParseDetector).ToList();
        NabCorpus? corpus = nabRoot is null ? null : NabCorpus.Load(nabRoot);
        var set = corpus?.ToSeriesSet() ?? await LabeledSeriesSet.LoadAsync(dataPath ?? Path.Combine("data", "default.parquet"), null, ct).ConfigureAwait(false);
        long rows = set.Series.Sum(s => (long)s.Count);
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", ct).ConfigureAwait(false)).Split(' ')[0] : "?";

        var wall = new List<double>[2] { [], [] };
        var cpu = new List<double>[2] { [], [] };
        string? csv = null;
        var identical = true;
        for (var r = 0; r < runs; r++)
        {
            for (var k = 0; k < 2; k++)
            {
                var options = new EvaluationOptions { MaxDegreeOfParallelism = k == 0 ? 1 : workers };
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var results = corpus is null ? DetectorEvaluator.Evaluate(set, detectors, options, null, ct) : NabCorpusEvaluator.Evaluate(corpus, detectors, options, null, ct);
                var board = Leaderboard.Create(results).ToCsv();
                wall[k].Add(clock.Elapsed.TotalSeconds);
                cpu[k].Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
                csv ??= board;
                identical &= string.Equals(csv, board, StringComparison.Ordinal);
            }
        }

        var end = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", ct).ConfigureAwait(false)).Split(' ')[0] : "?";
        var pairs = Enumerable.Range(0, runs).Select(r => wall[0][r] / wall[1][r]).Order().ToList();
        var what = string.Create(CultureInfo.InvariantCulture, $"{specs.Count} points × {rows:N0} rows ({set.Series.Count} series{(corpus is null ? "" : ", NAB")}), load {load}→{end}");
        var figures = new List<BenchCommand.Figure>();
        for (var k = 0; k < 2; k++)
        {
            var n = k == 0 ? 1 : workers;
            figures.Add(new($"{n} worker(s) wall (best of {runs})", wall[k].Min(), "s", Fmt($"median {Median(wall[k]):F2} s; {what}")));
            figures.Add(new($"{n} worker(s) CPU (best)", cpu[k].Min(), "s", Fmt($"median {Median(cpu[k]):F2} s; CPU/wall {cpu[k].Sum() / wall[k].Sum():F2} cores")));
            figures.Add(new($"{n} worker(s) throughput (best)", specs.Count * rows / wall[k].Min(), "detector-rows/s"));
        }

        figures.Add(new($"speed-up {workers} vs 1 worker (median pair)", Median(pairs), "×", Fmt($"pairs {string.Join(", ", pairs.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))}; goal ≥ 1.8× on 2 free cores")));
        figures.Add(new($"CPU {workers} vs 1 worker (median)", Median(cpu[1]) / Median(cpu[0]), "×", "the work added by running in parallel"));
        figures.Add(new("leaderboard CSVs identical", identical ? 1 : 0, identical ? "yes" : "NO"));
        return new BenchCommand.Result("grid", Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            TimeProvider.System.GetUtcNow().UtcDateTime, figures);
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }
}
