using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Nab;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;
using static Workbench.Tests.Evaluation.Nab.NabTestData;
using static Workbench.Tests.Evaluation.Runs.EvaluationTestData;

namespace Workbench.Tests.Evaluation.Runs;

/// <summary>
/// ScorePolicy: a NaN score (from an external file or a detector) is no score, ±∞ is ±double.MaxValue; no metric
/// throws. Checked through the full evaluation (point, ROC, PR, point-adjusted, range, VUS, affiliation, event and
/// kind figures, oracle F1) for every threshold strategy, and through the NAB scorer.
/// </summary>
public class NonFiniteScoreEvaluationTests
{
    public static TheoryData<string> Strategies => new(["fixed", "percentile", "top-k", "best-f1"]);

    private static ThresholdStrategy? Make(string name) => name switch
    {
        "percentile" => new PercentileThreshold(5),
        "top-k" => new TopKThreshold(10),
        "best-f1" => new BestF1Threshold(),
        _ => null,
    };

    /// <summary>The value detector's scores with the given rows (series, row) replaced.</summary>
    private static double?[][] Scores(double? replacement, params (int S, int I)[] rows)
    {
        var scores = DetectorEvaluator.Score(new ValueDetector(500), ThreeSeries());
        foreach (var (s, i) in rows)
        {
            scores[s][i] = replacement;
        }

        return scores;
    }

    private static readonly (int S, int I)[] Rows = [(0, 1), (0, 55), (0, 20), (1, 98), (1, 3), (2, 40)];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void NaNScores_GiveExactlyTheResultOfNoScore_OnEveryMetric(string strategy)
    {
        var data = ThreeSeries();
        var options = new EvaluationOptions { Threshold = Make(strategy) };
        var detector = new ValueDetector(500);
        var nan = DetectorEvaluator.Measure(data, detector, Scores(double.NaN, Rows), options);
        var none = DetectorEvaluator.Measure(data, detector, Scores(null, Rows), options);

        Assert.Equal(none with { ByKind = nan.ByKind }, nan);
        Assert.Equal(none.ByKind, nan.ByKind);
        Assert.Equal(300 - Rows.Length, nan.Scored); // NaN rows are counted as unscored
        Assert.True(nan.RocAuc is > 0 and < 1 && double.IsFinite(nan.PrAuc) && nan.VusRoc is { } v && double.IsFinite(v));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void InfiniteScores_AreTheExtremeFiniteScores(string strategy)
    {
        var data = ThreeSeries();
        var options = new EvaluationOptions { Threshold = Make(strategy) };
        var detector = new ValueDetector(500);
        var scores = Scores(double.PositiveInfinity, (0, 1), (1, 98));
        scores[2][40] = double.NegativeInfinity;
        var max = Scores(double.MaxValue, (0, 1), (1, 98));
        max[2][40] = -double.MaxValue;

        var inf = DetectorEvaluator.Measure(data, detector, scores, options);
        var finite = DetectorEvaluator.Measure(data, detector, max, options);
        Assert.Equal(finite with { ByKind = inf.ByKind }, inf);
    }

    [Fact]
    public void AllScoresNaN_IsLikeADetectorWithoutScores_NotACrash()
    {
        var data = ThreeSeries();
        var scores = DetectorEvaluator.Score(new ValueDetector(500), data).Select(s => s.Select(_ => (double?)double.NaN).ToArray()).ToArray();
        var r = DetectorEvaluator.Measure(data, new ValueDetector(500), scores, new EvaluationOptions { Threshold = new BestF1Threshold() });
        Assert.Equal((0L, 0L), (r.Scored, r.Flagged));
        Assert.Equal(0.0, r.F1);
        Assert.Equal(0.0, r.EventRecall);
    }

    [Fact]
    public void MetricFunctions_TakeNaNDirectly()
    {
        bool[] labels = [false, true, true, false, false];
        double?[] nan = [0.1, double.NaN, 0.9, 0.2, double.NaN];
        double?[] none = [0.1, null, 0.9, 0.2, null];
        Assert.Equal(RankingMetrics.RocAuc(labels, none), RankingMetrics.RocAuc(labels, nan));
        Assert.Equal(RankingMetrics.AveragePrecision(labels, none), RankingMetrics.AveragePrecision(labels, nan));
        Assert.Equal(VusMetrics.Compute(labels, none).Roc, VusMetrics.Compute(labels, nan).Roc);
        var flags = new FixedThreshold(0.5).Apply(nan, labels).Flags[0];
        Assert.Equal([false, false, true, false, false], flags);
        Assert.Equal(RangeMetrics.Compute(labels, null, flags), RangeMetrics.Compute(labels, null, new FixedThreshold(0.5).Apply(none, labels).Flags[0]));
        Assert.True(double.IsFinite(AffiliationMetrics.Compute(labels, flags).Recall));
        Assert.Equal(1, EventMetrics.Compute(labels, null, flags).DetectedCount);
    }

    [Fact]
    public void NabScorer_NaNIsTheLowestScore_InfinityTheHighest()
    {
        var ts = Timestamps(1000);
        var windows = Windows(ts, (500, 599));
        var scores = new double[1000];
        scores[520] = 0.8;
        scores[700] = double.NaN;
        scores[510] = double.PositiveInfinity;
        var expected = (double[])scores.Clone();
        expected[700] = -double.MaxValue;
        expected[510] = double.MaxValue;

        foreach (var threshold in new[] { 0.5, 0.0, -1.0 })
        {
            var nan = NabScorer.ScoreFile(new NabFileInput("f.csv", ts, scores, windows), NabProfile.Standard, threshold);
            var finite = NabScorer.ScoreFile(new NabFileInput("f.csv", ts, expected, windows), NabProfile.Standard, threshold);
            Assert.Equal(finite.RawScore, nan.RawScore);
            Assert.Equal(finite.FalsePositives, nan.FalsePositives);
            Assert.True(double.IsFinite(nan.RawScore));
        }

        var swept = NabScorer.ScoreCorpus([new NabFileInput("f.csv", ts, scores, windows)], NabProfile.Standard);
        var sweptFinite = NabScorer.ScoreCorpus([new NabFileInput("f.csv", ts, expected, windows)], NabProfile.Standard);
        Assert.Equal(sweptFinite.Threshold, swept.Threshold);
        Assert.Equal(sweptFinite.NormalizedScore, swept.NormalizedScore);
        Assert.True(double.IsFinite(swept.NormalizedScore));
    }

    [Fact]
    public void ScorePolicy_Clean_MapsEachKind()
    {
        Assert.Null(ScorePolicy.Clean(double.NaN));
        Assert.Null(ScorePolicy.Clean((double?)null));
        Assert.Equal(double.MaxValue, ScorePolicy.Clean(double.PositiveInfinity));
        Assert.Equal(-double.MaxValue, ScorePolicy.Clean(double.NegativeInfinity));
        Assert.Equal(0.25, ScorePolicy.Clean(0.25));
        IReadOnlyList<double?[]> clean = [[1.0, null]];
        Assert.Same(clean, ScorePolicy.Clean(clean));
    }
}
