using Plotly.NET;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Reports;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Reports;

/// <summary>A report with every kind of section and figure, with hostile text in the dataset-provided places.</summary>
internal static class ReportTestData
{
    public const string EvilSpec = "zscore(window=10,name=</script><script>alert(2)</script>)";

    public static GenericChart[] Charts()
    {
        var rows = Observations(Evil);
        var flagged = Flagged(rows);
        var series = SeriesChart.Create(SeriesChartData.FromFlagged(flagged, 5, EvilSpec) with { Forecast = Forecast(rows.Length) });
        var heatmap = LeaderboardHeatmap.Create([EvilSpec, "cusum"], [AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.FromName(Evil)],
            new double?[,] { { 0.9, null, 0.25 }, { 0.1, 1.0, 0.5 } }, "event recall", "leaderboard");
        var detectors = new[]
        {
            DetectorScores.FromFlagged(EvilSpec, flagged),
            DetectorScores.FromArrays("constant", flagged.Select(f => f.Observation.Label.IsAnomaly).ToArray(), new double?[flagged.Length]),
        };
        var roc = RankingCurves.Roc(detectors, "ROC");
        var pr = RankingCurves.PrecisionRecall(detectors, "PR");
        var replay = ReplayChart.Create([.. Observations("a"), .. Observations(Evil)], "replay");
        return [series, heatmap, roc, pr, replay];
    }

    public static HtmlReport Report()
    {
        var table = new ReportTable(
            [new ReportColumn("detector"), new ReportColumn("F1", Numeric: true), new ReportColumn("best F1", ColumnMark.Oracle, Numeric: true), new ReportColumn("PA-F1", ColumnMark.Optimistic, Numeric: true)],
            caption: "scores");
        table.AddRow(EvilSpec, ReportTable.Format(0.5), ReportTable.Format(0.75), ReportTable.Format(null));
        table.AddRow("cusum", "0.400", "0.600", "0.900");
        var report = new HtmlReport("Evaluation of " + Evil)
            .Paragraph("Dataset: " + Evil)
            .Heading("Leaderboard")
            .Table(table)
            .Preformatted(EvilSpec);
        var names = new[] { "series", "leaderboard", "ROC", "PR", "replay" };
        var charts = Charts();
        for (var i = 0; i < charts.Length; i++)
        {
            report.Heading(names[i], 3).Chart(charts[i], caption: names[i] + " of " + Evil);
        }

        return report;
    }
}
