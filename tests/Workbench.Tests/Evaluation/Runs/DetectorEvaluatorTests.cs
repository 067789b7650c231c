using Workbench.Core;
using Workbench.Data;
using Workbench.Evaluation.Breakdown;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Tests.Generation;
using static Workbench.Tests.Evaluation.Runs.EvaluationTestData;

namespace Workbench.Tests.Evaluation.Runs;

public class DetectorEvaluatorTests
{
    [Fact]
    public void Evaluate_PerfectDetector_ScoresOneOnEveryMetric()
    {
        var r = DetectorEvaluator.Evaluate(ThreeSeries(), [new ValueDetector(500)]).Single();

        Assert.Equal(("three", "value", "fixed(500)", 500.0, false), (r.Dataset, r.Name, r.ThresholdStrategy, r.Threshold, r.ThresholdIsOracle));
        Assert.Equal((300L, 300L, 16L), (r.Rows, r.Scored, r.Flagged));
        foreach (var v in new[] { r.Precision, r.Recall, r.F1, r.RocAuc, r.PrAuc, r.PointAdjustedF1, r.RangePrecision, r.RangeRecall, r.RangeF1, r.EventRecall, r.OracleF1 })
        {
            Assert.Equal(1.0, v, 12);
        }

        Assert.Equal((3, 3), (r.Events, r.EventsDetected));
        Assert.Equal((1.0, 1.0), (r.AffiliationPrecision, r.AffiliationRecall));
        Assert.InRange(r.VusRoc!.Value, 0.9, 1.0); // the buffer ramps keep even a perfect score just under 1 (the reference's definition)
        Assert.Equal(0.0, r.MeanDelay);
        Assert.Equal(0.0, r.MeanDelaySeconds);
        Assert.Equal(0.0, r.FalseAlarmsPer1k);
        Assert.Equal(["drift", "level_shift", "spike"], r.ByKind.Keys);
        Assert.All(r.ByKind.Values, k => Assert.Equal((1, 1, 1.0), (k.Events, k.Detected, k.Recall)));
    }

    [Fact]
    public void Evaluate_NullDetector_FindsNothingAndRanksAtChance()
    {
        var r = DetectorEvaluator.Evaluate(ThreeSeries(), [new NullDetector()]).Single();

        Assert.Equal((0L, 0.0, 0.0, 0.0), (r.Flagged, r.Precision, r.Recall, r.F1));
        Assert.Equal(0.5, r.RocAuc, 12);
        Assert.Equal(16.0 / 300, r.PrAuc, 12); // constant scores: AP = the positive share
        Assert.Equal((0.0, 0.0, 0.0), (r.EventRecall, r.RangeRecall, r.PointAdjustedF1));
        Assert.Null(r.MeanDelay);
        Assert.Null(r.MeanDelaySeconds);
        Assert.Null(r.AffiliationPrecision); // no flag in any zone: undefined, reported as null (not 0, not NaN)
        Assert.Equal(0.0, r.AffiliationRecall);
        Assert.InRange(r.VusRoc!.Value, 0.49, 0.51); // constant scores: about chance (the buffer ramps move it off 0.5 exactly)
        Assert.All(r.ByKind.Values, k => Assert.Equal((0, 0.0, (double?)null), (k.Detected, k.Recall, k.MeanDelay)));
    }

    [Fact]
    public void Evaluate_StateIsPerSeries_EachSeriesGetsAFreshKernel()
    {
        var scores = DetectorEvaluator.Score(new FifthRowDetector(), ThreeSeries());
        Assert.All(scores, s => Assert.Equal([4], Enumerable.Range(0, s.Length).Where(i => s[i] == 1)));
        var r = DetectorEvaluator.Evaluate(ThreeSeries(), [new FifthRowDetector()]).Single();
        Assert.Equal(3, r.Flagged);
        Assert.Equal(0.0, r.Precision); // row 4 is normal in every series
        Assert.Equal(3 * 1000.0 / 284, r.FalseAlarmsPer1k, 12);
    }

    [Fact]
    public void Evaluate_PermutingSeries_ChangesNothing()
    {
        var detectors = new IDetector[] { new ValueDetector(5), new FifthRowDetector(), OperatorCatalog.BuiltIn.ParseDetector("zscore(window=10,threshold=2)") };
        var forward = DetectorEvaluator.Evaluate(ThreeSeries(), detectors);
        var reversed = DetectorEvaluator.Evaluate(ThreeSeries(reverse: true), detectors);
        Assert.Equal(forward.Count, reversed.Count);
        for (var d = 0; d < forward.Count; d++)
        {
            var (f, b) = (forward[d], reversed[d]);
            Assert.Equal(f with { ByKind = b.ByKind }, b);
            Assert.Equal(f.ByKind, b.ByKind);
        }
    }

    [Fact]
    public void Evaluate_OracleThreshold_IsMarkedAndEqualsTheBestF1()
    {
        var data = ThreeSeries();
        var r = DetectorEvaluator.Evaluate(data, [new ValueDetector(5)], new EvaluationOptions { Threshold = new BestF1Threshold() }).Single();
        Assert.True(r.ThresholdIsOracle);
        Assert.Equal("best-f1 (oracle)", r.ThresholdStrategy);
        Assert.Equal(1000, r.Threshold);
        Assert.Equal(1.0, r.F1);
        Assert.Equal(r.OracleF1, r.F1);

        var fixedRun = DetectorEvaluator.Evaluate(data, [new ValueDetector(5)]).Single();
        Assert.False(fixedRun.ThresholdIsOracle);
        Assert.True(fixedRun.F1 < 1);
        Assert.Equal(1.0, fixedRun.OracleF1); // the oracle column is reported beside the fair one
    }

    [Fact]
    public void Evaluate_TopK_FlagsExactlyK()
    {
        var r = DetectorEvaluator.Evaluate(ThreeSeries(), [new ValueDetector(5)], new EvaluationOptions { Threshold = new TopKThreshold(16) }).Single();
        Assert.Equal((16L, 1.0), (r.Flagged, r.F1));
        Assert.Equal("top-k(16)", r.ThresholdStrategy);
    }

    [Fact]
    public void Evaluate_MatchesEachMetricComputedDirectly_OnGeneratedData()
    {
        var data = LabeledSeriesSet.FromObservations("small", new DatasetGenerator(DatasetGeneratorTests.SmallSpec(11)).GenerateObservations());
        var detector = OperatorCatalog.BuiltIn.ParseDetector("mad(window=50,threshold=3)");

        var r = DetectorEvaluator.Evaluate(data, [detector]).Single();

        var labels = data.Series.Select(s => s.IsAnomaly).ToList();
        var ids = data.Series.Select(s => s.EventIds).ToList();
        var scores = data.Series.Select(s =>
        {
            var kernel = detector.CreateKernel();
            return Enumerable.Range(0, s.Count).Select(i => kernel.Update(s.Timestamps[i], s.Values[i])).ToArray();
        }).ToList();
        var flags = scores.Select(sc => sc.Select(v => v >= detector.Threshold).ToArray()).ToList();
        var point = PointMetrics.Compute(labels, flags);
        var range = RangeMetrics.Compute(labels, ids, flags);
        var events = EventMetrics.Compute(labels, ids, flags, data.Series.Select(s => s.Timestamps).ToList());
        var kinds = KindBreakdownCalculator.Compute(data.Series.Select(s => s.Labels).ToList(), flags, data.Series.Select(s => s.Timestamps).ToList());

        Assert.True(r.Events > 10, $"{r.Events} events");
        Assert.Equal((point.Precision, point.Recall, point.F1), (r.Precision, r.Recall, r.F1));
        Assert.Equal(RankingMetrics.RocAuc(labels, scores), r.RocAuc);
        Assert.Equal(RankingMetrics.AveragePrecision(labels, scores), r.PrAuc);
        Assert.Equal(PointMetrics.PointAdjusted(labels, ids, flags).F1, r.PointAdjustedF1);
        Assert.Equal((range.Precision, range.Recall, range.F1), (r.RangePrecision, r.RangeRecall, r.RangeF1));
        var vus = VusMetrics.Compute(labels, scores);
        Assert.Equal((vus.Roc, vus.Pr), (r.VusRoc!.Value, r.VusPr!.Value));
        var affiliation = AffiliationMetrics.Compute(labels, flags);
        Assert.Equal((affiliation.Precision, affiliation.Recall), (r.AffiliationPrecision!.Value, r.AffiliationRecall!.Value));
        Assert.Equal((events.Recall, events.MeanDelayRows, events.FalseAlarmsPer1000Normal), (r.EventRecall, r.MeanDelay, r.FalseAlarmsPer1k));
        Assert.Equal(kinds.ByKind.Keys, r.ByKind.Keys);
        foreach (var (kind, k) in kinds.ByKind)
        {
            Assert.Equal((k.EventCount, k.DetectedCount, k.Recall, k.MeanDelayRows), (r.ByKind[kind].Events, r.ByKind[kind].Detected, r.ByKind[kind].Recall, r.ByKind[kind].MeanDelay));
        }
    }

    [Fact]
    public void Evaluate_DegreeOfParallelism_DoesNotChangeResults()
    {
        var detectors = new[] { "zscore(window=10,threshold=2)", "mad(window=10)", "cusum", "random", "windowed-gaussian" }
            .Select(OperatorCatalog.BuiltIn.ParseDetector).ToList();
        var one = DetectorEvaluator.Evaluate(ThreeSeries(), detectors, new EvaluationOptions { MaxDegreeOfParallelism = 1 });
        var all = DetectorEvaluator.Evaluate(ThreeSeries(), detectors);
        Assert.Equal(one.Select(r => r.Detector), detectors.Select(d => d.Spec));
        for (var d = 0; d < one.Count; d++)
        {
            Assert.Equal(one[d] with { ByKind = all[d].ByKind }, all[d]);
        }
    }

    [Fact]
    public void Measure_RejectsScoresOfTheWrongShape()
    {
        var e = Assert.Throws<ArgumentException>(() => DetectorEvaluator.Measure(ThreeSeries(), new NullDetector(), [new double?[100]]));
        Assert.Contains("1 series but dataset 'three' has 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => DetectorEvaluator.Evaluate(ThreeSeries(), [new NullDetector()], new EvaluationOptions { MaxDegreeOfParallelism = 0 }));
    }
}
