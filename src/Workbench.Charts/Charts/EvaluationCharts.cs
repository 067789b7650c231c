using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Workbench.Evaluation.Online;
using Workbench.Evaluation.Runs;

namespace Workbench.Charts;

/// <summary>
/// Figures drawn straight from evaluation results: the detector × anomaly-kind event-recall heatmap of a batch
/// evaluation, and the running metrics of an online evaluation (<c>EvaluateOnline</c>).
/// </summary>
public static class EvaluationCharts
{
    /// <summary>
    /// The event recall per anomaly kind (<see cref="DetectorEvaluation.ByKind"/>) as a <see cref="LeaderboardHeatmap"/>:
    /// one row per evaluation in the given order, one column per kind present in any of them (ordinal order of the
    /// kind names, as the leaderboard lists them). A kind absent from one evaluation's dataset is <c>n/a</c>.
    /// </summary>
    /// <param name="evaluations">The evaluations; rows are labelled by <see cref="DetectorEvaluation.Name"/>, or by the
    /// full spec <see cref="DetectorEvaluation.Detector"/> when two share a name.</param>
    /// <param name="title">The chart title; null for none.</param>
    /// <exception cref="ArgumentException">No evaluation, or no evaluation has a per-kind breakdown.</exception>
    public static GenericChart KindRecallHeatmap(IReadOnlyList<DetectorEvaluation> evaluations, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count == 0)
        {
            throw new ArgumentException("At least one evaluation is needed.", nameof(evaluations));
        }

        var kinds = evaluations.SelectMany(e => e.ByKind.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (kinds.Length == 0)
        {
            throw new ArgumentException("No evaluation has a per-kind breakdown (the data has no labelled kinds).", nameof(evaluations));
        }

        var names = evaluations.Select(e => e.Name).ToArray();
        var duplicated = names.GroupBy(n => n, StringComparer.Ordinal).Any(g => g.Count() > 1);
        var rows = duplicated ? evaluations.Select(e => e.Detector).ToArray() : names;
        var values = new double?[evaluations.Count, kinds.Length];
        for (var d = 0; d < evaluations.Count; d++)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                values[d, k] = evaluations[d].ByKind.TryGetValue(kinds[k], out var kind) ? kind.Recall : null;
            }
        }

        return LeaderboardHeatmap.Create(rows, kinds, values, "event recall", title);
    }

    /// <summary>
    /// The running metrics of an online evaluation against the virtual time of the snapshots: point-wise F1,
    /// event recall (closed events), provisional event recall (open events counted) and range F1 (final), all in
    /// [0, 1] on one axis. Snapshots without a time (an empty stream's final snapshot) are left out.
    /// </summary>
    /// <param name="snapshots">The snapshots in emission order (times non-decreasing).</param>
    /// <param name="title">The chart title; null for none.</param>
    /// <exception cref="ArgumentException">No snapshot has a time, or the times go backwards.</exception>
    public static GenericChart OnlineMetrics(IReadOnlyList<EvaluationSnapshot> snapshots, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var timed = snapshots.Where(s => s.Time is not null).ToArray();
        if (timed.Length == 0)
        {
            throw new ArgumentException("No snapshot has a time.", nameof(snapshots));
        }

        var x = new string[timed.Length];
        for (var i = 0; i < timed.Length; i++)
        {
            if (i > 0 && timed[i].Time < timed[i - 1].Time)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Snapshot {i}: time {timed[i].Time:O} is before the previous {timed[i - 1].Time:O}."), nameof(snapshots));
            }

            x[i] = Fig.Time(timed[i].Time!.Value, "online evaluation", i);
        }

        (string Name, Func<EvaluationSnapshot, double> Get)[] metrics =
        [
            ("point F1", s => s.PointF1),
            ("event recall", s => s.EventRecall),
            ("event recall (open events counted)", s => s.ProvisionalEventRecall),
            ("range F1", s => s.RangeScoresFinal.F1),
        ];
        var traces = new List<Trace>();
        for (var m = 0; m < metrics.Length; m++)
        {
            var y = new double[timed.Length];
            for (var i = 0; i < timed.Length; i++) { y[i] = metrics[m].Get(timed[i]); }
            traces.Add(Fig.Scatter(metrics[m].Name, "lines").With("x", x).With("y", y)
                .With("line", Fig.Line(ColorScheme.ForIndex(m), 2, m == 2 ? "dot" : null)));
        }

        var layout = Fig.Layout(title, 380)
            .With("xaxis", new LinearAxis().With("title", Fig.Title("time (UTC)")))
            .With("yaxis", new LinearAxis().With("title", Fig.Title("metric")).With("range", new[] { 0.0, 1.0 }));
        return Fig.Chart(traces, layout);
    }
}
