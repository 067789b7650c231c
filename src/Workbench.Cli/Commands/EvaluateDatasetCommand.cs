using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Workbench.Cli.Infrastructure;
using Workbench.Cluster;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;
using Workbench.Import;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Reports;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench evaluate [&lt;data.parquet&gt;...]</c>: runs detectors over labelled datasets, computes every metric and
/// prints the leaderboard. With no arguments: every built-in detector with default parameters on
/// <c>data/default.parquet</c> (the README's main job).
/// </summary>
public static class EvaluateDatasetCommand
{
    /// <summary>The default dataset, relative to the repository root.</summary>
    public const string DefaultDataset = "data/default.parquet";

    /// <summary>What <c>evaluate</c> computed: the leaderboard plus timing.</summary>
    /// <param name="Leaderboard">Ranked evaluations.</param>
    /// <param name="Datasets">The data files evaluated.</param>
    /// <param name="Skipped">Built-in detectors left out of the default set, with the reason (they need parameters).</param>
    /// <param name="Seconds">Wall time of loading, scoring and measuring.</param>
    /// <param name="Sets">The datasets as loaded (for the report).</param>
    /// <param name="Detectors">The detectors evaluated.</param>
    /// <param name="Cluster">For a <c>--cluster</c> run, one line: chunks per silo and retries; otherwise null.</param>
    public sealed record Outcome(
        Leaderboard Leaderboard, IReadOnlyList<string> Datasets, IReadOnlyDictionary<string, string> Skipped, double Seconds,
        IReadOnlyList<LabeledSeriesSet> Sets, IReadOnlyList<IDetector> Detectors, string? Cluster = null);

    /// <summary>Adds the dataset evaluation (argument, options and action) to the <c>evaluate</c> command.</summary>
    public static void Configure(Command command, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var data = new Argument<FileInfo[]>("data")
        {
            Description = $"Labelled Parquet files, part folders or quoted globs of part files (default: {DefaultDataset} of the repository).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var detectors = new Option<string[]>("--detector")
        {
            Description = "A detector spec; repeat for several (default: every built-in detector with default parameters).",
            AllowMultipleArgumentsPerToken = false,
        };
        var threshold = new Option<string>("--threshold")
        {
            Description = "How scores become flags: fixed (each detector's own threshold, default), percentile(P) (flag the top P % of rows), top-k(K), or best-f1 (oracle: tuned on these labels, marked ‡).",
            DefaultValueFactory = _ => "fixed",
        };
        var sortBy = new Option<string>("--sort-by")
        {
            Description = $"Metric to rank by: {string.Join(", ", LeaderboardColumn.All.Select(c => c.Key))}.",
            DefaultValueFactory = _ => "f1",
        };
        var nab = new Option<DirectoryInfo>("--nab")
        {
            Description = "Also evaluate on the NAB corpus in this folder (data/ and labels/combined_windows.json), adding NAB scores (threshold sweep per profile, marked ‡). Without data files, only NAB.",
        };
        var json = new Option<string>("--json") { Description = "Write the leaderboard as JSON to this file ('-' = standard output, instead of the table)." };
        var markdown = new Option<FileInfo>("--markdown") { Description = "Write the leaderboard as Markdown to this file." };
        var csv = new Option<FileInfo>("--csv") { Description = "Write the leaderboard as CSV to this file." };
        var parquet = new Option<FileInfo>("--parquet") { Description = "Write the leaderboard as Parquet to this file." };
        var report = new Option<FileInfo>("--report")
        {
            Description = "Write an offline HTML report: leaderboard, event recall per detector × kind, and charts of the best detector's worst misses and false alarms.",
        };
        var scores = new Option<string>("--scores")
        {
            Description = "Evaluate scores computed elsewhere instead of running detectors: a Parquet/CSV file with series, timestamp and score columns (e.g. from detect --out), a NAB results CSV, or a folder of per-series CSVs (one score per line = TimeEval). One data file; each score column is one leaderboard row.",
        };
        var grids = new Option<string[]>("--grid")
        {
            Description = "A parameter grid: a detector spec whose values may be lists [a,b,c] or ranges start..end:step, also in nested specs, e.g. zscore(window=[60,288,1440],threshold=3..5:1); repeat for several. Every combination is evaluated; the leaderboard shows the varied parameters as columns.",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxPoints = new Option<int>("--max-points")
        {
            Description = $"The most detector specs the grids may expand to, in all (default {SpecGrid.DefaultMaxPoints:N0}).",
            DefaultValueFactory = _ => SpecGrid.DefaultMaxPoints,
        };
        var workers = new Option<int?>("--workers") { Description = "Worker threads (default: every core). Results do not depend on it." };
        var bestPerFamily = new Option<bool>("--best-per-family")
        {
            Description = "Show only the best grid point of each detector family. Chosen on the labels it is scored on, this is an oracle choice (said in the output); use --select-on for a fair one.",
        };
        var selectOn = new Option<string>("--select-on")
        {
            Description = "Choose each family's best grid point on some series and report its figures on the others: a fraction of each dataset's series (the first in name order, e.g. 0.5) or a comma-separated list of series names.",
        };
        var cluster = new Option<string>("--cluster")
        {
            Description = "Evaluate on an Orleans cluster of 'workbench silo' processes whose membership store is here: redis://host:port[/db], redis://:password@host:port, rediss://…, host:port,password=…, postgres://user@host:port/database or Host=…;Database=…;Username=… (docs/CLUSTER.md). The same items as a local run, the same files; datasets reach the silos by path.",
        };
        var clusterId = new Option<string>("--cluster-id")
        {
            Description = $"With --cluster: the cluster's name (default {ClusterNames.DefaultClusterId}).",
            DefaultValueFactory = _ => ClusterNames.DefaultClusterId,
        };
        var inFlight = new Option<int>("--in-flight")
        {
            Description = "With --cluster: chunks of work outstanding at once (default 8).",
            DefaultValueFactory = _ => 8,
        };
        var chunk = new Option<int>("--chunk")
        {
            Description = "With --cluster: detector specs per chunk (default: from the count, at most 64).",
        };
        var progressMode = new Option<string>("--progress")
        {
            Description = "Progress: auto (a bar on a terminal: done, in flight, retried, time left), json (one JSON object per line on stderr: event, dataset, total, done, inFlight, retried, silo, elapsedMs, etaMs), or none.",
            DefaultValueFactory = _ => "auto",
        };
        var vus = VusChoice.Create();
        command.Arguments.Add(data);
        foreach (var o in (Option[])[detectors, grids, maxPoints, workers, bestPerFamily, selectOn, cluster, clusterId, inFlight, chunk, progressMode, threshold, sortBy, nab, scores, json, markdown, csv, parquet, report, .. vus.All])
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var nabRoot = parse.GetValue(nab)?.FullName;
            List<string> files = parse.GetValue(data) is { Length: > 0 } given ? given.Select(f => f.FullName).ToList()
                : nabRoot is null ? [FindDefaultDataset()] : [];
            OutputGuard.Check(
                [.. files, nabRoot, parse.GetValue(scores)],
                ("--json", parse.GetValue(json)), ("--markdown", parse.GetValue(markdown)?.FullName), ("--csv", parse.GetValue(csv)?.FullName),
                ("--parquet", parse.GetValue(parquet)?.FullName), ("--report", parse.GetValue(report)?.FullName));
            var scoresPath = parse.GetValue(scores);
            if (scoresPath is not null && (files.Count != 1 || nabRoot is not null || parse.GetValue(detectors) is { Length: > 0 } || parse.GetValue(report) is not null))
            {
                throw new CommandFailedException("--scores takes exactly one data file and no --detector, --nab or --report");
            }

            var gridSpecs = parse.GetValue(grids);
            if (scoresPath is not null && gridSpecs is { Length: > 0 })
            {
                throw new CommandFailedException("--scores and --grid cannot be combined");
            }

            if (parse.GetValue(workers) is { } w && w < 1)
            {
                throw new CommandFailedException("--workers must be at least 1");
            }

            var select = parse.GetValue(selectOn);
            if (select is not null && nabRoot is not null)
            {
                throw new CommandFailedException("--select-on works on data files; NAB (--nab) has its own scoring");
            }

            var progress = EvaluateCluster.ParseProgress(parse.GetValue(progressMode)!);
            var vusOptions = vus.Parse(parse);
            ClusterRun? clusterRun = null;
            if (parse.GetValue(cluster) is { } clusterText)
            {
                if (scoresPath is not null || nabRoot is not null || select is not null)
                {
                    throw new CommandFailedException("--cluster evaluates detectors on data files: it takes no --scores, --nab or --select-on");
                }

                if (!VusChoice.IsDefault(vusOptions))
                {
                    throw new CommandFailedException("--cluster: the silos compute VUS with the default definition and buffer; drop --vus/--vus-buffer or evaluate locally");
                }

                if (parse.GetValue(inFlight) < 1 || parse.GetValue(chunk) < 0)
                {
                    throw new CommandFailedException("--in-flight must be at least 1 and --chunk at least 1");
                }

                clusterRun = new ClusterRun(
                    SiloCommand.ParseConnection(clusterText), parse.GetValue(clusterId)!,
                    new GridSchedulerOptions { MaxInFlight = parse.GetValue(inFlight), ChunkSize = parse.GetValue(chunk) });
            }

            var specList = gridSpecs is { Length: > 0 }
                ? EvaluateGrid.Specs(parse.GetValue(detectors), gridSpecs, parse.GetValue(maxPoints))
                : parse.GetValue(detectors);
            var outcome = scoresPath is not null
                ? await EvaluateScores.RunAsync(context, files[0], scoresPath, ParseThreshold(parse.GetValue(threshold)!), parse.GetValue(sortBy)!, ct, vusOptions).ConfigureAwait(false)
                : await RunAsync(
                    context, files, specList, ParseThreshold(parse.GetValue(threshold)!), parse.GetValue(sortBy)!, ct, nabRoot,
                    parse.GetValue(workers), select, clusterRun, progress, vusOptions).ConfigureAwait(false);
            var board = parse.GetValue(bestPerFamily) && select is null ? outcome.Leaderboard.BestPerFamily() : outcome.Leaderboard;
            var note = select is not null
                ? $"each family's best grid point (by {board.SortBy.Key}) chosen on the --select-on series ({select}); the figures are on the other series"
                : parse.GetValue(bestPerFamily) ? $"best grid point per family chosen on these labels (by {board.SortBy.Key}): an oracle choice; use --select-on for a fair one" : null;
            var jsonPath = parse.GetValue(json);
            if (jsonPath == "-")
            {
                await context.Out.WriteLineAsync(board.ToJson()).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteAsync(board.ToText()).ConfigureAwait(false);
                foreach (var (name, reason) in outcome.Skipped)
                {
                    await context.Out.WriteLineAsync($"  not in the default set: {name} ({reason})").ConfigureAwait(false);
                }

                if (note is not null)
                {
                    await context.Out.WriteLineAsync(note).ConfigureAwait(false);
                }

                if (outcome.Cluster is not null)
                {
                    await context.Out.WriteLineAsync(outcome.Cluster).ConfigureAwait(false);
                }

                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{board.Rows.Count} evaluation(s) over {string.Join(", ", outcome.Datasets.Select(Path.GetFileName))} in {outcome.Seconds:F2} s")).ConfigureAwait(false);
            }

            if (jsonPath is { Length: > 0 } and not "-") { await WriteTextAsync(jsonPath, board.ToJson(), ct).ConfigureAwait(false); }
            if (parse.GetValue(markdown) is { } md) { await WriteTextAsync(md.FullName, board.ToMarkdown(), ct).ConfigureAwait(false); }
            if (parse.GetValue(csv) is { } c) { await WriteTextAsync(c.FullName, board.ToCsv(), ct).ConfigureAwait(false); }
            if (parse.GetValue(parquet) is { } pq) { await board.WriteParquetAsync(pq.FullName, ct).ConfigureAwait(false); }
            if (parse.GetValue(report) is { } html)
            {
                var page = EvaluationReport.Build(board, outcome.Sets, outcome.Detectors);
                var full = html.FullName;
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                page.Write(full);
                if (jsonPath != "-") { await context.Out.WriteLineAsync($"report: {full}").ConfigureAwait(false); }
            }
            return ExitCodes.Success;
        });
    }

    /// <summary>Loads each file, evaluates the detectors on it and ranks the results.</summary>
    /// <param name="context">Output and progress.</param>
    /// <param name="files">Labelled Parquet files.</param>
    /// <param name="specs">Detector specs; null or empty = <see cref="DefaultDetectors"/>.</param>
    /// <param name="threshold">Threshold strategy; null = each detector's own.</param>
    /// <param name="sortBy">Metric key to rank by.</param>
    /// <param name="ct">Stops the run.</param>
    /// <param name="nabRoot">A NAB folder to evaluate on as well (with NAB scores); null = none.</param>
    /// <param name="workers">Worker threads; null = every core.</param>
    /// <param name="selectOn">Choose each family's best detector on these series (a fraction or names) and score it on the others; null = score all on all.</param>
    /// <param name="cluster">Evaluate on this cluster instead of local threads (same items, same results); null = locally.</param>
    /// <param name="progress">How progress is shown.</param>
    /// <param name="vus">How VUS is computed; null = <see cref="VusOptions"/> defaults.</param>
    public static async Task<Outcome> RunAsync(
        CliContext context, IReadOnlyList<string> files, IReadOnlyList<string>? specs, ThresholdStrategy? threshold, string sortBy,
        CancellationToken ct, string? nabRoot = null, int? workers = null, string? selectOn = null, ClusterRun? cluster = null,
        ProgressMode progress = ProgressMode.Auto, VusOptions? vus = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(files);
        LeaderboardColumn column;
        try
        {
            column = LeaderboardColumn.ByKey(sortBy);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(e.Message[..(e.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is var i and >= 0 ? i : e.Message.Length)]);
        }

        IReadOnlyList<IDetector> detectors;
        IReadOnlyDictionary<string, string> skipped = new Dictionary<string, string>();
        if (specs is { Count: > 0 })
        {
            detectors = specs.Select(OperatorCatalogs.Cli.ParseDetector).ToList();
            var twice = detectors.GroupBy(d => d.Spec, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new CommandFailedException($"the detector {twice.Key} is given twice (check --detector and --grid)");
            }
        }
        else
        {
            (detectors, skipped) = DefaultDetectors(OperatorCatalogs.Cli);
        }

        var clock = Stopwatch.StartNew();
        var options = new EvaluationOptions { Threshold = threshold, MaxDegreeOfParallelism = workers ?? -1, Vus = vus ?? new VusOptions() };
        var all = new List<DetectorEvaluation>();
        var sets = new List<LabeledSeriesSet>();
        using var client = cluster is null ? null : await EvaluateCluster.ConnectAsync(cluster, ct).ConfigureAwait(false);
        var perSilo = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var retried = 0;
        foreach (var file in files)
        {
            await using var input = await DatasetInput.OpenAsync(context, file, ct).ConfigureAwait(false);
            input.RequireLabels("evaluate");
            if (cluster is not null && input.Import is not null)
            {
                throw new CommandFailedException($"--cluster: the silos read datasets by path, so {file} must be a labelled Parquet file: save it with 'workbench import' first");
            }

            var set = await LabeledSeriesSet.LoadAsync(input.Path, null, ct).ConfigureAwait(false);
            if (sets.Any(s => s.Name == set.Name))
            {
                throw new CommandFailedException($"two datasets are named '{set.Name}' ({file}); rename one");
            }

            sets.Add(set);
            var name = Path.GetFileName(file);
            IReadOnlyList<DetectorEvaluation> results;
            if (selectOn is not null)
            {
                results = await Task.Run(() => EvaluateGrid.SelectAndScore(set, selectOn, detectors, options, column.Key, ct), ct).ConfigureAwait(false);
            }
            else if (client is not null)
            {
                var bar = new EvaluationProgress(context, progress, name, $"evaluate {name} on the cluster", detectors.Count);
                var last = new GridProgress(detectors.Count, 0, 0, 0, null);
                results = await bar.RunAsync(() =>
                    EvaluateCluster.EvaluateAsync(client, cluster!, input.Path, detectors, threshold, new SyncProgress<GridProgress>(p =>
                    {
                        last = p;
                        if (p.Silo is not null) { perSilo[p.Silo] = perSilo.GetValueOrDefault(p.Silo) + 1; }
                        bar.Report(p.Failure is null ? "progress" : "retry", p.Done, p.InFlight, p.Retried, p.Silo, p.Failure);
                    }), ct)).ConfigureAwait(false);
                retried += last.Retried;
            }
            else
            {
                var bar = new EvaluationProgress(context, progress, name, $"evaluate {name}", detectors.Count);
                var threads = workers ?? Environment.ProcessorCount;
                results = await bar.RunAsync(() =>
                    Task.Run(() => DetectorEvaluator.Evaluate(set, detectors, options, new SyncProgress<int>(n =>
                        bar.Report("progress", n, Math.Min(threads, detectors.Count - n))), ct), ct)).ConfigureAwait(false);
            }

            all.AddRange(results);
        }

        var datasets = files.ToList();
        if (nabRoot is not null)
        {
            var corpus = NabCorpus.Load(nabRoot);
            all.AddRange(await EvaluateNabAsync(context, corpus, detectors, options, ct).ConfigureAwait(false));
            datasets.Add(nabRoot);
            sets.Add(corpus.ToSeriesSet());
        }

        clock.Stop();
        return new Outcome(Leaderboard.Create(all, column.Key), datasets, skipped, clock.Elapsed.TotalSeconds, sets, detectors,
            client is null ? null : EvaluateCluster.Summary(perSilo, retried));
    }

    /// <summary>Every metric of each detector on the NAB corpus, plus its NAB scores (<see cref="NabCorpusEvaluator"/>).</summary>
    public static async Task<IReadOnlyList<DetectorEvaluation>> EvaluateNabAsync(
        CliContext context, NabCorpus corpus, IReadOnlyList<IDetector> detectors, EvaluationOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(detectors);
        return await context.WithProgressAsync("evaluate NAB", detectors.Count * (corpus.Files.Count + 1), progress => Task.Run(
            () => NabCorpusEvaluator.Evaluate(corpus, detectors, options, new Progress<int>(n => progress(n)), ct), ct)).ConfigureAwait(false);
    }

    /// <summary>
    /// Every detector of <paramref name="catalog"/> that can be built from its name alone (default parameters), in catalog
    /// order; the others, with the reason, in <c>Skipped</c>.
    /// </summary>
    public static (IReadOnlyList<IDetector> Detectors, IReadOnlyDictionary<string, string> Skipped) DefaultDetectors(OperatorCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var detectors = new List<IDetector>();
        var skipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in catalog.Descriptors.Where(d => d.Kind == OperatorKind.Detector))
        {
            try
            {
                detectors.Add(catalog.ParseDetector(d.Name));
            }
            catch (OperatorSpecException e)
            {
                skipped[d.Name] = e.Problem;
            }
        }

        return (detectors, skipped);
    }

    /// <summary>Parses <c>fixed</c>, <c>percentile(P)</c>, <c>top-k(K)</c> or <c>best-f1</c>; fixed = null (each detector's own threshold).</summary>
    /// <exception cref="CommandFailedException">Not one of those forms.</exception>
    public static ThresholdStrategy? ParseThreshold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        static double Arg(string t, string name)
        {
            var inner = t[(name.Length + 1)..^1];
            return double.TryParse(inner, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new CommandFailedException($"--threshold {t}: '{inner}' is not a number");
        }

        if (t is "fixed") { return null; }
        if (t is "best-f1" or "oracle") { return new BestF1Threshold(); }
        if (t.StartsWith("percentile(", StringComparison.Ordinal) && t.EndsWith(')'))
        {
            var p = Arg(t, "percentile");
            return p is >= 0 and <= 100 ? new PercentileThreshold(p) : throw new CommandFailedException($"--threshold {t}: the share must be in [0, 100]");
        }

        if (t.StartsWith("top-k(", StringComparison.Ordinal) && t.EndsWith(')'))
        {
            var k = Arg(t, "top-k");
            return k >= 0 && k == Math.Floor(k) && k <= int.MaxValue
                ? new TopKThreshold((int)k)
                : throw new CommandFailedException($"--threshold {t}: K must be a non-negative integer");
        }

        throw new CommandFailedException($"--threshold '{text}': use fixed, percentile(P), top-k(K) or best-f1");
    }

    /// <summary>
    /// <see cref="DefaultDataset"/> relative to the working directory, else to the nearest parent folder (of the working
    /// directory, then of the program) holding Workbench.sln.
    /// </summary>
    /// <exception cref="CommandFailedException">Not found.</exception>
    public static string FindDefaultDataset()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultDataset);
                if (File.Exists(candidate) && (dir.FullName == Directory.GetCurrentDirectory() || File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))))
                {
                    return candidate;
                }
            }
        }

        throw new CommandFailedException($"no data file given and {DefaultDataset} was not found (run from the repository, or give a file)");
    }

    private static async Task WriteTextAsync(string path, string text, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await SafeFile.WriteAllTextAsync(full, text, null, ct).ConfigureAwait(false);
    }
}
