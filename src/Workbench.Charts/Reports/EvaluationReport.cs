using System.Globalization;
using Workbench.Charts;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Runs;
using Workbench.Operators.Detection;

namespace Workbench.Reports;

/// <summary>Options of <see cref="EvaluationReport.Build"/>.</summary>
public sealed record EvaluationReportOptions
{
    /// <summary>Series charted per dataset for each of "worst misses" and "most false alarms" (default 3; 0 = none).</summary>
    public int SeriesPerSection { get; init; } = 3;

    /// <summary>
    /// Longest stretch of a series drawn (default 3,000 rows): a longer series is cropped to a window of this many rows
    /// around the first missed event (or first false alarm), and the caption says so. At least 10.
    /// </summary>
    public int MaxChartRows { get; init; } = 3000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SeriesPerSection);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChartRows, 10);
    }
}

/// <summary>
/// The offline HTML page of an evaluation (<c>workbench evaluate --report</c>): the leaderboard with its marked columns,
/// a heatmap of event recall per detector × anomaly kind for each dataset, and, for the best-ranked detector of each
/// dataset, the series it missed most events on and the series it raised most false alarms on — values with labelled
/// spans shaded by kind, its flags as markers, and its score with the threshold below. All dataset text is escaped by
/// <see cref="HtmlReport"/>; plotly.js is embedded once.
/// </summary>
public static class EvaluationReport
{
    /// <summary>Builds the report.</summary>
    /// <param name="board">The ranked evaluations.</param>
    /// <param name="datasets">The datasets the evaluations were computed on (matched by <see cref="LabeledSeriesSet.Name"/>).</param>
    /// <param name="detectors">The detectors (matched by <see cref="IDetector.Spec"/>), re-run to chart the chosen series.</param>
    /// <param name="options">Options; null = defaults.</param>
    /// <exception cref="ArgumentException">An evaluation's dataset or detector is not among those given.</exception>
    public static HtmlReport Build(
        Leaderboard board, IReadOnlyList<LabeledSeriesSet> datasets, IReadOnlyList<IDetector> detectors, EvaluationReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(detectors);
        options ??= new EvaluationReportOptions();
        options.Validate();

        var report = new HtmlReport("Workbench evaluation: " + string.Join(", ", board.Rows.Select(r => r.Dataset).Distinct(StringComparer.Ordinal)));
        report.Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{board.Rows.Count} evaluation(s), ranked by {board.SortBy.Key} ({(board.SortBy.HigherIsBetter ? "higher" : "lower")} is better). Metric definitions: docs/METRICS.md."));
        report.Table(LeaderboardTable(board));
        if (board.Rows.Any(r => r.ThresholdIsOracle))
        {
            report.Paragraph("Detectors marked ‡ were flagged at a threshold chosen on these labels: all their flag-based figures are oracle results.");
        }

        foreach (var dataset in board.Rows.Select(r => r.Dataset).Distinct(StringComparer.Ordinal))
        {
            var set = datasets.FirstOrDefault(d => d.Name == dataset)
                ?? throw new ArgumentException($"The leaderboard has dataset '{dataset}' but it was not given.", nameof(datasets));
            var rows = board.Rows.Where(r => r.Dataset == dataset).ToList();
            report.Heading($"{dataset}: event recall by anomaly kind");
            var kinds = rows.SelectMany(r => r.ByKind.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (kinds.Count > 0)
            {
                var values = new double?[rows.Count, kinds.Count];
                for (var r = 0; r < rows.Count; r++)
                {
                    for (var k = 0; k < kinds.Count; k++) { values[r, k] = rows[r].ByKind.GetValueOrDefault(kinds[k])?.Recall; }
                }

                report.Chart(
                    LeaderboardHeatmap.Create(rows.Select(r => r.Name).ToList(), kinds, values, "event recall", $"{dataset}: event recall (detector × kind)"),
                    "Share of each kind's labelled events with at least one flagged point; rows in leaderboard order.");
            }
            else
            {
                report.Paragraph("No labelled events in this dataset.");
            }

            if (options.SeriesPerSection > 0 && rows.Count > 0)
            {
                AddSeriesSections(report, set, rows[0], detectors, options);
            }
        }

        return report;
    }

    private static ReportTable LeaderboardTable(Leaderboard board)
    {
        var metricColumns = board.MetricColumns;
        var columns = new List<ReportColumn> { new("#", Numeric: true) };
        if (board.MultipleDatasets) { columns.Add(new ReportColumn("dataset")); }
        columns.Add(new ReportColumn("detector"));
        columns.Add(new ReportColumn("threshold"));
        columns.AddRange(metricColumns.Select(c => new ReportColumn(
            c.Key == board.SortBy.Key ? c.Header + " ▼" : c.Header,
            c.Mark switch { MetricMark.Oracle => ColumnMark.Oracle, MetricMark.Optimistic => ColumnMark.Optimistic, _ => ColumnMark.None },
            Numeric: true)));
        var table = new ReportTable(columns, "Leaderboard");
        for (var i = 0; i < board.Rows.Count; i++)
        {
            var r = board.Rows[i];
            var cells = new List<string?> { (i + 1).ToString(CultureInfo.InvariantCulture) };
            if (board.MultipleDatasets) { cells.Add(r.Dataset); }
            cells.Add(r.ThresholdIsOracle ? r.Detector + " ‡" : r.Detector);
            cells.Add(string.Create(CultureInfo.InvariantCulture, $"{r.ThresholdStrategy} = {r.Threshold:G6}"));
            cells.AddRange(metricColumns.Select(c => c.Value(r) is { } v && !double.IsNaN(v) ? v.ToString(c.Format, CultureInfo.InvariantCulture) : null));
            table.AddRow([.. cells]);
        }

        return table;
    }

    private static void AddSeriesSections(
        HtmlReport report, LabeledSeriesSet set, DetectorEvaluation best, IReadOnlyList<IDetector> detectors, EvaluationReportOptions options)
    {
        var detector = detectors.FirstOrDefault(d => d.Spec == best.Detector)
            ?? throw new ArgumentException($"The leaderboard has detector '{best.Detector}' but it was not given.", nameof(detectors));
        var scores = DetectorEvaluator.Score(detector, set);
        var perSeries = new List<(int Series, int Missed, long FalseAlarms, bool[] Flags, EventScores Events)>();
        for (var s = 0; s < set.Series.Count; s++)
        {
            var series = set.Series[s];
            var flags = new bool[series.Count];
            for (var i = 0; i < flags.Length; i++) { flags[i] = scores[s][i] is { } v && v >= best.Threshold; }
            var events = EventMetrics.Compute(series.IsAnomaly, series.HasEventIds ? series.EventIds : null, flags);
            perSeries.Add((s, events.UndetectedCount, events.FalseAlarmCount, flags, events));
        }

        var misses = perSeries.Where(p => p.Missed > 0).OrderByDescending(p => p.Missed).ThenBy(p => set.Series[p.Series].Name, StringComparer.Ordinal)
            .Take(options.SeriesPerSection).ToList();
        report.Heading($"{set.Name}: worst misses of {best.Name} (rank 1)", 3);
        if (misses.Count == 0) { report.Paragraph("It detected every labelled event."); }
        foreach (var m in misses)
        {
            var first = m.Events.Events.First(e => !e.Detected).StartRow;
            AddSeriesChart(report, set.Series[m.Series], scores[m.Series], m.Flags, best, first, options,
                string.Create(CultureInfo.InvariantCulture, $"{m.Missed} of {m.Events.EventCount} event(s) missed, {m.FalseAlarms} false alarm(s)"));
        }

        var alarms = perSeries.Where(p => p.FalseAlarms > 0).OrderByDescending(p => p.FalseAlarms).ThenBy(p => set.Series[p.Series].Name, StringComparer.Ordinal)
            .Take(options.SeriesPerSection).ToList();
        report.Heading($"{set.Name}: most false alarms of {best.Name} (rank 1)", 3);
        if (alarms.Count == 0) { report.Paragraph("It raised no false alarm."); }
        foreach (var a in alarms)
        {
            var series = set.Series[a.Series];
            var first = FirstFalseAlarm(series.IsAnomaly, a.Flags);
            AddSeriesChart(report, series, scores[a.Series], a.Flags, best, first, options,
                string.Create(CultureInfo.InvariantCulture, $"{a.FalseAlarms} false alarm(s), {a.Missed} of {a.Events.EventCount} event(s) missed"));
        }
    }

    private static int FirstFalseAlarm(bool[] labels, bool[] flags)
    {
        for (var i = 0; i < flags.Length; i++)
        {
            if (flags[i] && !labels[i]) { return i; }
        }

        return 0;
    }

    private static void AddSeriesChart(
        HtmlReport report, LabeledSeries series, double?[] scores, bool[] flags, DetectorEvaluation best, int focus, EvaluationReportOptions options, string summary)
    {
        var start = 0;
        var count = series.Count;
        var cropped = false;
        if (count > options.MaxChartRows)
        {
            start = Math.Clamp(focus - (options.MaxChartRows / 4), 0, count - options.MaxChartRows);
            count = options.MaxChartRows;
            cropped = true;
        }

        var observations = series.Observations().Skip(start).Take(count).ToList();
        var data = SeriesChartData.FromObservations(observations) with
        {
            Detections = new ArraySegment<bool>(flags, start, count),
            Scores = new ArraySegment<double?>(scores, start, count),
            Threshold = best.Threshold,
            ScoreName = best.Name + " score",
            Title = $"{series.Name} — {best.Name}",
        };
        var caption = cropped
            ? string.Create(CultureInfo.InvariantCulture, $"{summary}. Rows {start}–{start + count - 1} of {series.Count} shown.")
            : summary + ".";
        report.Chart(SeriesChart.Create(data), caption);
    }
}
