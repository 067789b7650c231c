using System.CommandLine;
using System.Globalization;
using Workbench.Cli.Infrastructure;
using Workbench.Evaluation.Nab;
using Workbench.Import;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench evaluate</c>: scores detectors against labels.</summary>
public static class EvaluateCommand
{
    /// <summary>
    /// What <c>evaluate nab --json</c> prints per detector: the normalised NAB score (0 = null detector, 100 = perfect) and the
    /// threshold used, each keyed by NAB profile name.
    /// </summary>
    /// <param name="Detector">The detector spec (run mode) or the results-file prefix (results mode).</param>
    /// <param name="Scores">Profile name → normalised NAB score.</param>
    /// <param name="Thresholds">Profile name → threshold θ used.</param>
    /// <param name="ThresholdsOptimized">True when the thresholds were tuned on these labels by the exhaustive sweep (an oracle result).</param>
    public sealed record NabResult(
        string Detector,
        IReadOnlyDictionary<string, double> Scores,
        IReadOnlyDictionary<string, double> Thresholds,
        bool ThresholdsOptimized);

    /// <summary>Builds <c>evaluate</c> (evaluation of labelled datasets, see <see cref="EvaluateDatasetCommand"/>) with its <c>nab</c> subcommand.</summary>
    public static Command Build(CliContext context)
    {
        var command = new Command("evaluate", "Evaluate detectors on labelled datasets (default: every built-in detector on data/default.parquet) and print the leaderboard; 'evaluate nab' gives NAB scores.");
        EvaluateDatasetCommand.Configure(command, context);
        command.Subcommands.Add(BuildNab(context));
        return command;
    }

    private static Command BuildNab(CliContext context)
    {
        var root = new Option<DirectoryInfo>("--root") { Description = "The NAB folder (with data/ and labels/combined_windows.json): run --detector over every file." };
        var detectors = new Option<string[]>("--detector")
        {
            Description = "With --root: a detector spec, e.g. windowed-gaussian or random; repeat for several.",
            AllowMultipleArgumentsPerToken = false,
        };
        var results = new Option<DirectoryInfo>("--results") { Description = "A NAB results folder <dir>/<category>/<detector>_<file>.csv (columns timestamp, anomaly_score) to score." };
        var labels = new Option<FileInfo>("--labels") { Description = "With --results: NAB's combined_windows.json." };
        var thresholds = new Option<FileInfo>("--thresholds") { Description = "With --results: NAB thresholds file (detector → profile → {\"threshold\": θ}) to score at instead of optimising." };
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per detector (an array when several)." };
        var search = new Option<string>("--search")
        {
            Description = "How thresholds are optimised: sweep (exhaustive, the global optimum; default) or hill-climb (NAB's 2015-2018 twiddle, which produced the published tables).",
            DefaultValueFactory = _ => "sweep",
        };
        search.AcceptOnlyFromAmong("sweep", "hill-climb");
        var command = new Command("nab", "NAB score (standard, reward_low_FP_rate, reward_low_FN_rate) of detectors run over the NAB corpus, or of results computed elsewhere.")
        {
            root, detectors, results, labels, thresholds, json, search,
        };
        command.Validators.Add(r =>
        {
            var hasRoot = r.GetResult(root) is not null;
            var hasResults = r.GetResult(results) is not null;
            if (hasRoot == hasResults)
            {
                r.AddError("give either --root with --detector, or --results with --labels");
            }
            else if (hasRoot && (r.GetResult(detectors) is null || r.GetResult(labels) is not null || r.GetResult(thresholds) is not null))
            {
                r.AddError("--root needs --detector and takes neither --labels nor --thresholds");
            }
            else if (hasResults && (r.GetResult(labels) is null || r.GetResult(detectors) is not null))
            {
                r.AddError("--results needs --labels and does not take --detector");
            }
            else if (r.GetResult(thresholds) is not null && r.GetResult(search) is { Implicit: false })
            {
                r.AddError("--search applies only when thresholds are optimised, not with --thresholds");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var searchMode = parse.GetValue(search) == "hill-climb" ? NabThresholdSearch.HillClimb : NabThresholdSearch.Sweep;
            var output = parse.GetValue(root) is { } nabRoot
                ? RunDetectors(nabRoot.FullName, parse.GetValue(detectors)!, ct, searchMode)
                : ScoreResults(parse.GetValue(results)!.FullName, parse.GetValue(labels)!.FullName, parse.GetValue(thresholds)?.FullName, searchMode);
            if (parse.GetValue(json))
            {
                if (output.Count == 1)
                {
                    JsonOutput.Write(context.Out, output[0]);
                }
                else
                {
                    JsonOutput.Write(context.Out, output);
                }
            }
            else
            {
                await context.Out.WriteLineAsync(Table(output)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs each detector over the NAB corpus at <paramref name="root"/> and scores it with thresholds optimised by <paramref name="search"/>.</summary>
    public static IReadOnlyList<NabResult> RunDetectors(
        string root, IReadOnlyList<string> specs, CancellationToken ct = default, NabThresholdSearch search = NabThresholdSearch.Sweep)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var parsed = specs.Select(OperatorCatalogs.Cli.ParseDetector).ToList();
        var corpus = NabCorpus.Load(root);
        return NabRun.Evaluate(parsed, corpus.Files, cancellationToken: ct, search: search).Select(ToResult).ToList();
    }

    /// <summary>
    /// Scores a NAB results folder against <paramref name="labelsPath"/>, at the thresholds in <paramref name="thresholdsPath"/>
    /// when given, else at thresholds optimised by <paramref name="search"/>.
    /// </summary>
    public static IReadOnlyList<NabResult> ScoreResults(
        string resultsDir, string labelsPath, string? thresholdsPath, NabThresholdSearch search = NabThresholdSearch.Sweep)
    {
        var windows = NabCorpus.ReadWindows(labelsPath);
        var read = NabResultsReader.Read(resultsDir, windows);
        var fixedThresholds = thresholdsPath is null ? null : NabResultsReader.ReadThresholds(thresholdsPath);
        var output = new List<NabResult>(read.Count);
        foreach (var (detector, files) in read)
        {
            Dictionary<string, double>? forDetector = null;
            if (fixedThresholds is not null && !fixedThresholds.TryGetValue(detector, out forDetector))
            {
                throw new CommandFailedException($"{thresholdsPath}: no thresholds for detector '{detector}'");
            }

            output.Add(ToResult(NabRun.Score(detector, files, NabProfile.All, forDetector, search)));
        }

        return output;
    }

    private static NabResult ToResult(NabDetectorScore score)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in score.Profiles)
        {
            scores[p.Profile.Name] = p.NormalizedScore;
            thresholds[p.Profile.Name] = p.Threshold;
        }

        return new NabResult(score.Detector, scores, thresholds, score.Profiles.All(p => p.Optimized));
    }

    private static string Table(IReadOnlyList<NabResult> output)
    {
        var profiles = NabProfile.All.Select(p => p.Name).ToList();
        var width = Math.Max("detector".Length, output.Max(r => r.Detector.Length));
        var sb = new System.Text.StringBuilder();
        sb.Append("detector".PadRight(width));
        foreach (var p in profiles)
        {
            sb.Append("  ").Append(p.PadLeft(20));
        }

        sb.AppendLine();
        foreach (var r in output)
        {
            sb.Append(r.Detector.PadRight(width));
            foreach (var p in profiles)
            {
                var cell = string.Create(CultureInfo.InvariantCulture, $"{r.Scores[p]:F2} @{r.Thresholds[p]:G6}");
                sb.Append("  ").Append(cell.PadLeft(20));
            }

            sb.AppendLine();
        }

        sb.Append(output.All(r => r.ThresholdsOptimized)
            ? "NAB score (0 = null detector, 100 = perfect) @ threshold; thresholds optimised on these labels (oracle)."
            : "NAB score (0 = null detector, 100 = perfect) @ given threshold.");
        return sb.ToString();
    }
}
