using System.Diagnostics;
using Workbench.Cli.Infrastructure;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench evaluate &lt;data&gt; --scores &lt;file|folder&gt;</c>: measures scores computed elsewhere
/// (<see cref="ExternalScores"/>) against one labelled dataset, every score column one leaderboard row, with the same
/// metrics, threshold strategies and ranking as detectors run by <c>evaluate</c> itself.
/// </summary>
public static class EvaluateScores
{
    /// <summary>Loads <paramref name="file"/> and the scores in <paramref name="scoresPath"/> and ranks the columns.</summary>
    /// <exception cref="CommandFailedException">Unreadable or misaligned scores, unlabelled data, or a fixed threshold that is unknown.</exception>
    public static async Task<EvaluateDatasetCommand.Outcome> RunAsync(
        CliContext context, string file, string scoresPath, ThresholdStrategy? threshold, string sortBy, CancellationToken ct, VusOptions? vus = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(scoresPath);
        LeaderboardColumn column;
        try
        {
            column = LeaderboardColumn.ByKey(sortBy);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(e.Message[..(e.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is var i and >= 0 ? i : e.Message.Length)]);
        }

        SafeFile.CheckInput(scoresPath, allowDirectory: true, what: "the scores");
        var clock = Stopwatch.StartNew();
        await using var input = await DatasetInput.OpenAsync(context, file, ct).ConfigureAwait(false);
        input.RequireLabels("evaluate --scores");
        var set = await LabeledSeriesSet.LoadAsync(input.Path, null, ct).ConfigureAwait(false);
        if (!set.Series.Any(s => Array.Exists(s.Labels, l => l.IsAnomaly)))
        {
            throw new CommandFailedException($"{file}: no row is labelled anomalous, so scores cannot be evaluated; evaluation needs labels (is_anomaly)");
        }

        IReadOnlyList<ExternalScoreColumn> columns;
        try
        {
            columns = await ExternalScores.LoadAsync(scoresPath, set, ct).ConfigureAwait(false);
        }
        catch (ExternalScoresException e)
        {
            throw new CommandFailedException(e.Message);
        }

        if (threshold is null && columns.FirstOrDefault(c => !c.HasThreshold) is { } unknown)
        {
            throw new CommandFailedException(
                $"score column '{unknown.Spec}' has no recorded threshold; pass --threshold percentile(P), top-k(K) or best-f1");
        }

        var options = new EvaluationOptions { Threshold = threshold, Vus = vus ?? new VusOptions() };
        var results = columns.Select(c => DetectorEvaluator.Measure(set, c, c.Scores, options)).ToList();
        clock.Stop();
        return new EvaluateDatasetCommand.Outcome(
            Leaderboard.Create(results, column.Key), [file], new Dictionary<string, string>(), clock.Elapsed.TotalSeconds, [set], [.. columns]);
    }
}
