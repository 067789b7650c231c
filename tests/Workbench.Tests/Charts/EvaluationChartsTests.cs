using System.Reactive.Linq;
using System.Text.Json;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Data;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Online;
using Workbench.Evaluation.Runs;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Charts.ChartTestData;

namespace Workbench.Tests.Charts;

public class EvaluationChartsTests
{
    private static readonly LabeledSeriesSet Data =
        LabeledSeriesSet.FromObservations("example", new DatasetGenerator(ExampleDatasets.Latency(sources: 2, points: 2400, eventsPerSource: 4, seed: 4)).GenerateObservations());

    private static IReadOnlyList<DetectorEvaluation> Evaluate(params string[] specs) =>
        DetectorEvaluator.Evaluate(Data, specs.Select(OperatorCatalog.BuiltIn.ParseDetector).ToArray());

    [Fact]
    public void KindRecallHeatmap_RowsPerEvaluation_ColumnsPerKindPresent_ValuesAreByKindRecall()
    {
        var evaluations = Evaluate("zscore(window=36)", "cusum");
        var kinds = evaluations.SelectMany(e => e.ByKind.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();

        var trace = Assert.Single(Traces(EvaluationCharts.KindRecallHeatmap(evaluations, "t")));

        Assert.Equal("heatmap", trace.Str("type"));
        Assert.Equal(["zscore", "cusum"], trace.Strings("y"));
        Assert.Equal(kinds, trace.Strings("x"));
        var z = trace.GetProperty("z").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        for (var d = 0; d < 2; d++)
        {
            Assert.Equal(kinds.Select(k => evaluations[d].ByKind[k].Recall).ToArray(), z[d]);
        }
    }

    [Fact]
    public void KindRecallHeatmap_KindMissingFromOneEvaluation_IsNull()
    {
        var evaluations = Evaluate("zscore(window=36)", "mad(window=36)");
        var first = evaluations[0];
        var dropped = first.ByKind.Keys.Order(StringComparer.Ordinal).First();
        var without = first with { ByKind = first.ByKind.Where(kv => kv.Key != dropped).ToDictionary() };

        var trace = Assert.Single(Traces(EvaluationCharts.KindRecallHeatmap([without, evaluations[1]])));

        var z = trace.GetProperty("z").EnumerateArray().Select(r => r.EnumerateArray().ToArray()).ToArray();
        Assert.Equal(JsonValueKind.Null, z[0][0].ValueKind);
        Assert.Equal(evaluations[1].ByKind[dropped].Recall, z[1][0].GetDouble());
    }

    [Fact]
    public void KindRecallHeatmap_DuplicateNames_RowsUseTheFullSpecs()
    {
        var evaluations = Evaluate("zscore(window=36)", "zscore(window=72)");

        var trace = Assert.Single(Traces(EvaluationCharts.KindRecallHeatmap(evaluations)));

        Assert.Equal(evaluations.Select(e => e.Detector).ToArray(), trace.Strings("y"));
    }

    [Fact]
    public void KindRecallHeatmap_NoEvaluationOrNoKinds_Throws()
    {
        Assert.Throws<ArgumentException>(() => EvaluationCharts.KindRecallHeatmap([]));
        var e = Evaluate("zscore(window=36)")[0];
        var noKinds = e with { ByKind = new Dictionary<string, KindEvaluation>() };
        Assert.Contains("per-kind", Assert.Throws<ArgumentException>(() => EvaluationCharts.KindRecallHeatmap([noKinds])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlineMetrics_FourLinesOverTheSnapshotTimes_UntimedSkipped()
    {
        var snapshots = new[] { Snapshot(null, 0, 0), Snapshot(At(0), 1, 0), Snapshot(At(10), 1, 1) };

        var traces = Traces(EvaluationCharts.OnlineMetrics(snapshots));

        Assert.Equal(["point F1", "event recall", "event recall (open events counted)", "range F1"], traces.Select(t => t.Name()).ToArray());
        Assert.All(traces, t => Assert.Equal(["2024-03-01 00:00:00", "2024-03-01 00:10:00"], t.Strings("x")));
        Assert.Equal([1.0, 2.0 / 3], traces[0].Numbers("y"));      // tp=1: F1 = 1; then one false positive: 2/3
        Assert.Equal([0.0, 0.0], traces[1].Numbers("y"));          // no closed event
        Assert.Equal([0.0, 0.0], traces[3].Numbers("y"));
        Assert.Equal([0.0, 1.0], Layout(EvaluationCharts.OnlineMetrics(snapshots)).GetProperty("yaxis").Numbers("range"));
    }

    [Fact]
    public void OnlineMetrics_FromTheOperator_LastPointIsTheFinalSnapshot()
    {
        var series = Data.Series[0];
        var detector = OperatorCatalog.BuiltIn.ParseDetector("zscore(window=36)");
        var snapshots = new List<EvaluationSnapshot>();
        using (series.Observations().ToObservable().DetectAndFlag(detector).EvaluateOnline(new OnlineEvaluationOptions { EmitEvery = 100 }).Subscribe(snapshots.Add))
        {
        }

        var traces = Traces(EvaluationCharts.OnlineMetrics(snapshots));

        Assert.Equal(snapshots.Count, traces[0].Strings("x").Length);
        Assert.Equal(snapshots[^1].PointF1, traces[0].Numbers("y")[^1]);
        Assert.Equal(snapshots[^1].EventRecall, traces[1].Numbers("y")[^1]);
    }

    [Fact]
    public void OnlineMetrics_NoTimeOrBackwardTimes_Throws()
    {
        Assert.Throws<ArgumentException>(() => EvaluationCharts.OnlineMetrics([Snapshot(null, 0, 0)]));
        var e = Assert.Throws<ArgumentException>(() => EvaluationCharts.OnlineMetrics([Snapshot(At(5), 1, 0), Snapshot(At(1), 1, 0)]));
        Assert.Contains("Snapshot 1", e.Message, StringComparison.Ordinal);
    }

    private static EvaluationSnapshot Snapshot(DateTime? time, long tp, long fp) => new()
    {
        Time = time,
        Observations = tp + fp,
        TruePositives = tp,
        FalsePositives = fp,
        RangeScoresFinal = new RangeScores(0, 0, 0, 0),
        RangeScoresProvisional = new RangeScores(0, 0, 0, 0),
    };
}
