using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Thresholds;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Thresholds;

public class ThresholdStrategyTests
{
    private static readonly double?[] Scores = [1, null, 5, 3, 5, 2, 4, null];

    [Fact]
    public void Fixed_FlagsScoresAtOrAboveValue_NullsNever()
    {
        var r = new FixedThreshold(4).Apply(Scores);

        Assert.Equal(B("00101010"), r.Flags[0]);
        Assert.Equal(4, r.Threshold);
        Assert.False(r.IsOracle);
        Assert.Equal(3, r.FlaggedCount);
        Assert.Equal("fixed(4)", r.Strategy);
    }

    [Fact]
    public void Fixed_NegativeInfinity_FlagsEveryPresentScore()
    {
        var r = new FixedThreshold(double.NegativeInfinity).Apply(Scores);
        Assert.Equal(B("10111110"), r.Flags[0]);
    }

    [Fact]
    public void Percentile_NearestRank_TopShareOfPresentScores()
    {
        // 10 present scores 1..10: 30 % → k = 3 → threshold 8.
        double?[] s = [3, 1, 10, 8, null, 2, 9, 4, 5, 6, 7];
        var r = new PercentileThreshold(30).Apply(s);
        Assert.Equal(8, r.Threshold);
        Assert.Equal(B("00110010000"), r.Flags[0]);

        // 25 % of 10 → k = ⌈2.5⌉ = 3 as well; 5 % → k = 1.
        Assert.Equal(8, new PercentileThreshold(25).Apply(s).Threshold);
        Assert.Equal(10, new PercentileThreshold(5).Apply(s).Threshold);
        Assert.Equal(1, new PercentileThreshold(100).Apply(s).Threshold);
    }

    [Fact]
    public void Percentile_Zero_FlagsNothing()
    {
        var r = new PercentileThreshold(0).Apply(Scores);
        Assert.Equal(double.PositiveInfinity, r.Threshold);
        Assert.Equal(0, r.FlaggedCount);
    }

    [Fact]
    public void Percentile_TiesAtBoundary_AllFlagged()
    {
        // 6 present scores, 50 % → k = 3; the 3rd highest is 5, tied with a 4th.
        double?[] s = [5, 9, 5, 1, 5, 0];
        var r = new PercentileThreshold(50).Apply(s);
        Assert.Equal(5, r.Threshold);
        Assert.Equal(4, r.FlaggedCount);
    }

    [Fact]
    public void TopK_FlagsKHighest_PooledOverSeries()
    {
        double?[][] s = [[1, 7, null], [6, 2, 9]];
        var r = new TopKThreshold(3).Apply(s);

        Assert.Equal(6, r.Threshold);
        Assert.Equal(B("010"), r.Flags[0]);
        Assert.Equal(B("101"), r.Flags[1]);
        Assert.Equal("top-k(3)", r.Strategy);
    }

    [Fact]
    public void TopK_TieAtBoundary_FlagsAllTied_OrderIndependent()
    {
        double?[] s = [4, 8, 4, 1];
        var r = new TopKThreshold(2).Apply(s);
        Assert.Equal(4, r.Threshold);
        Assert.Equal(B("1110"), r.Flags[0]);

        var reversed = new TopKThreshold(2).Apply([1, 4, 8, 4]);
        Assert.Equal(B("0111"), reversed.Flags[0]);
    }

    [Fact]
    public void TopK_MoreThanPresent_FlagsAllPresent_ZeroFlagsNothing()
    {
        Assert.Equal(B("10111110"), new TopKThreshold(100).Apply(Scores).Flags[0]);
        var none = new TopKThreshold(0).Apply(Scores);
        Assert.Equal(double.PositiveInfinity, none.Threshold);
        Assert.Equal(0, none.FlaggedCount);
    }

    public static TheoryData<string> AllStrategies => ["fixed", "percentile", "topk", "bestf1"];

    private static ThresholdStrategy Make(string name) => name switch
    {
        "fixed" => new FixedThreshold(0),
        "percentile" => new PercentileThreshold(50),
        "topk" => new TopKThreshold(2),
        _ => new BestF1Threshold(),
    };

    [Theory]
    [MemberData(nameof(AllStrategies))]
    public void AllNullScores_FlagNothing(string name)
    {
        var r = Make(name).Apply([null, null, null], B("010"));
        Assert.Equal(B("000"), r.Flags[0]);
        Assert.Equal(0, r.FlaggedCount);
        Assert.Equal(name == "bestf1", r.IsOracle);
    }

    [Theory]
    [MemberData(nameof(AllStrategies))]
    public void NonFiniteScore_FollowsScorePolicy_NaNIsNoScore(string name)
    {
        // NaN = no score (never flagged, same result as null); +∞ = double.MaxValue (the highest score).
        var withNaN = Make(name).Apply([[1.0], [2.0, double.NaN]], [B("0"), B("01")]);
        var withNull = Make(name).Apply([[1.0], [2.0, null]], [B("0"), B("01")]);
        Assert.Equal(withNull.Threshold, withNaN.Threshold);
        Assert.Equal(withNull.Flags[1], withNaN.Flags[1]);
        Assert.False(withNaN.Flags[1][1]);
        var withInf = Make(name).Apply([[double.PositiveInfinity, 1.0]], [B("10")]);
        var withMax = Make(name).Apply([[double.MaxValue, 1.0]], [B("10")]);
        Assert.Equal(withMax.Flags[0], withInf.Flags[0]);
        Assert.Equal(withMax.Threshold, withInf.Threshold);
    }

    [Fact]
    public void InvalidParameters_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedThreshold(double.NaN).Apply(Scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PercentileThreshold(-1).Apply(Scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PercentileThreshold(100.5).Apply(Scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKThreshold(-1).Apply(Scores));
    }

    [Fact]
    public void ShapeMismatch_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new TopKThreshold(1).Apply([1, 2], B("1")));
        Assert.Throws<ArgumentException>(() => new TopKThreshold(1).Apply([[1.0]], [B("1"), B("0")]));
    }

    [Fact]
    public void BestF1_HandCase_ChoosesExactOptimum_MarkedOracle()
    {
        // scores: 9 8 7 6 5 ; labels: 1 0 1 1 0 (3 positives)
        // t=9: tp1 fp0 → 2/4 = .5; t=8: tp1 fp1 → 2/5; t=7: tp2 fp1 → 4/6; t=6: tp3 fp1 → 6/7; t=5: tp3 fp2 → 6/8.
        var r = new BestF1Threshold().Apply([9, 8, 7, 6, 5], B("10110"));

        Assert.True(r.IsOracle);
        Assert.Equal(6, r.Threshold);
        Assert.Equal(B("11110"), r.Flags[0]);
        Assert.Contains("oracle", r.Strategy);
        Assert.Equal(6.0 / 7, PointMetrics.Compute(B("10110"), r.Flags[0]).F1, 15);
    }

    [Fact]
    public void BestF1_EqualF1_PrefersHigherThreshold_TiedScoresOneCandidate()
    {
        // t=4: tp1 fp0 fn1 → 2/3; t=2 (two tied points): tp2 fp2 → 4/6 = 2/3 too → keep 4.
        var r = new BestF1Threshold().Apply([4, 2, 2, 2, 1], B("10100"));
        Assert.Equal(4, r.Threshold);
    }

    [Fact]
    public void BestF1_NoAnomalies_FlagsNothing()
    {
        var r = new BestF1Threshold().Apply([3, 1, 2], B("000"));
        Assert.Equal(double.PositiveInfinity, r.Threshold);
        Assert.Equal(0, r.FlaggedCount);
        Assert.True(r.IsOracle);
    }

    [Fact]
    public void BestF1_NullScoreOnAnomaly_CountsAsMissed()
    {
        // Positive with null can't be flagged: best is t=5 (tp1, fn1 → 2/3), not lower.
        var r = new BestF1Threshold().Apply([5, null, 1, 1], B("1100"));
        Assert.Equal(5, r.Threshold);
        Assert.Equal(B("1000"), r.Flags[0]);
    }

    [Fact]
    public void BestF1_WithoutLabels_Rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BestF1Threshold().Apply(Scores));
        Assert.Contains("labels", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void BestF1_EqualsBruteForceOverDistinctScores_SeededRandom(int seed)
    {
        var rng = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            var seriesCount = rng.Next(1, 4);
            var scores = new double?[seriesCount][];
            var labels = new bool[seriesCount][];
            for (var s = 0; s < seriesCount; s++)
            {
                var n = rng.Next(0, 30);
                scores[s] = new double?[n];
                labels[s] = new bool[n];
                for (var i = 0; i < n; i++)
                {
                    labels[s][i] = rng.NextDouble() < 0.3;
                    // Few distinct values so ties are common; some nulls; anomalies score a little higher on average.
                    scores[s][i] = rng.NextDouble() < 0.1 ? null : rng.Next(0, 8) + (labels[s][i] ? rng.Next(0, 3) : 0);
                }
            }

            var r = new BestF1Threshold().Apply(scores, labels);

            // Brute force: every distinct present score as a threshold, plus "flag nothing".
            var bestT = double.PositiveInfinity;
            var bestF1 = 0.0;
            var distinct = scores.SelectMany(x => x).Where(v => v.HasValue).Select(v => v!.Value).Distinct().OrderByDescending(v => v);
            foreach (var t in distinct)
            {
                var flags = scores.Select(x => x.Select(v => v.HasValue && v.Value >= t).ToArray()).ToArray();
                var f1 = PointMetrics.Compute(labels, flags).F1;
                if (f1 > bestF1) { bestF1 = f1; bestT = t; }
            }

            Assert.Equal(bestT, r.Threshold);
            Assert.Equal(bestF1, PointMetrics.Compute(labels, r.Flags).F1);
            Assert.True(r.IsOracle);
        }
    }
}
