using Workbench.Evaluation.Metrics;

namespace Workbench.Tests.Evaluation.Metrics;

// Expected values marked "scikit-learn" were produced with Debian's python3-sklearn 1.2.1 by this script:
//
//   from sklearn.metrics import roc_auc_score as auc, average_precision_score as ap, precision_recall_fscore_support as prf
//   y1 = [0, 0, 1, 1, 0, 1, 0, 0, 1, 0]; s1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05, 0.2, 0.35, 0.6]
//   print(auc(y1, s1), ap(y1, s1))                     # 0.75 0.7857142857142857
//   y2 = [1, 0, 1, 0, 0, 1, 1, 0]; s2 = [0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.9, 0.9]
//   print(auc(y2, s2), ap(y2, s2))                     # 0.5 0.5
//   y3 = [0, 1, 0, 0, 1, 0, 1]; s3 = [3.0, 2.0, 1.0, 7.0, -1.0, 2.0, 5.0]
//   print(auc(y3, s3), ap(y3, s3))                     # 0.375 0.44285714285714284
//   f = [0, 1, 1, 0, 0, 1, 0, 1, 1, 1]
//   print(prf(y1, f, average="binary", zero_division=0))       # (0.5, 0.75, 0.6, None)
//   print(ap([0, 0, 0], [0.1, 0.2, 0.3]))              # -0.0 (with a "no positive class" warning)
public class RankingMetricsTests
{
    private static readonly bool[] Y1 = [false, false, true, true, false, true, false, false, true, false];
    private static readonly double?[] S1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05, 0.2, 0.35, 0.6];

    [Fact]
    public void RocAuc_HandComputed_CountsPairs()
    {
        // Positives 0.9, 0.8 beat all 6 negatives; each 0.35 beats 0.1, 0.05, 0.2 -> (6 + 6 + 3 + 3) / 24.
        Assert.Equal(18.0 / 24, RankingMetrics.RocAuc(Y1, S1), 15);
        Assert.Equal(0.75, RankingMetrics.RocAuc(Y1, S1), 15); // scikit-learn
    }

    [Fact]
    public void AveragePrecision_HandComputed_StepsAtEachThreshold()
    {
        // Thresholds 0.9 (R .25, P 1), 0.8 (R .5, P 1), 0.6 and 0.4 (no new positive), 0.35 (R 1, P 4/7).
        Assert.Equal(0.25 + 0.25 + (0.5 * 4 / 7), RankingMetrics.AveragePrecision(Y1, S1), 15);
        Assert.Equal(0.7857142857142857, RankingMetrics.AveragePrecision(Y1, S1), 15); // scikit-learn
    }

    [Fact]
    public void RocAucAndAp_HeavyTies_GroupedExactly()
    {
        bool[] y = [true, false, true, false, false, true, true, false];
        double?[] s = [0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.9, 0.9];

        // scikit-learn: 0.5 and 0.5. By hand, pairs won (ties count one half):
        // Positive 0.9: beats 0.5, 0.5, 0.2, ties 0.9 -> 3.5; each positive 0.5: beats 0.2, ties two 0.5 -> 2, twice;
        // positive 0.2: ties 0.2 -> 0.5. (3.5 + 2 + 2 + 0.5) / 16 = 0.5.
        Assert.Equal(0.5, RankingMetrics.RocAuc(y, s), 15);

        // Thresholds 0.9 (1 of 2 flagged positive: R .25, P .5), 0.5 (3 of 6: R .75, P .5), 0.2 (4 of 8: R 1, P .5).
        Assert.Equal(0.5, RankingMetrics.AveragePrecision(y, s), 15);
    }

    [Fact]
    public void RocAucAndAp_NegativeScores_MatchScikitLearn()
    {
        bool[] y = [false, true, false, false, true, false, true];
        double?[] s = [3.0, 2.0, 1.0, 7.0, -1.0, 2.0, 5.0];

        Assert.Equal(0.375, RankingMetrics.RocAuc(y, s), 15);
        Assert.Equal(0.44285714285714284, RankingMetrics.AveragePrecision(y, s), 15);
    }

    [Fact]
    public void RocAucAndAp_NullScores_RankLowestAndTieTogether()
    {
        bool[] y = [true, false, true, false];
        double?[] s = [0.9, null, null, 0.1];

        // AUC: positive 0.9 beats both negatives (2); null positive ties the null negative (0.5), loses to 0.1 -> 2.5 / 4.
        Assert.Equal(0.625, RankingMetrics.RocAuc(y, s), 15);

        // AP: threshold 0.9 (R .5, P 1), 0.1 (no positive), null group (R 1, P 2/4) -> 0.5 + 0.25.
        Assert.Equal(0.75, RankingMetrics.AveragePrecision(y, s), 15);

        // Same as replacing null by a score below every other one.
        double?[] low = [0.9, -1e300, -1e300, 0.1];
        Assert.Equal(RankingMetrics.RocAuc(y, low), RankingMetrics.RocAuc(y, s));
        Assert.Equal(RankingMetrics.AveragePrecision(y, low), RankingMetrics.AveragePrecision(y, s));
    }

    [Fact]
    public void RocAucAndAp_PerfectScores_AreOne()
    {
        bool[] y = [false, true, true, false, false];
        double?[] s = [0.1, 0.8, 0.7, 0.3, 0.2];

        Assert.Equal(1.0, RankingMetrics.RocAuc(y, s));
        Assert.Equal(1.0, RankingMetrics.AveragePrecision(y, s));
    }

    [Fact]
    public void RocAuc_ReversedScores_IsZero()
    {
        Assert.Equal(0.0, RankingMetrics.RocAuc([false, true, true], [0.9, 0.2, 0.1]));
    }

    [Fact]
    public void RocAuc_ConstantScores_IsHalf_ApIsPositiveShare()
    {
        bool[] y = [false, true, false, false];
        double?[] s = [1, 1, 1, 1];

        Assert.Equal(0.5, RankingMetrics.RocAuc(y, s));
        Assert.Equal(0.25, RankingMetrics.AveragePrecision(y, s));
    }

    [Fact]
    public void RocAuc_OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(RankingMetrics.RocAuc([false, false], [0.1, 0.2])));
        Assert.True(double.IsNaN(RankingMetrics.RocAuc([true, true], [0.1, 0.2])));
        Assert.True(double.IsNaN(RankingMetrics.RocAuc(Array.Empty<bool>(), Array.Empty<double?>())));
    }

    [Fact]
    public void AveragePrecision_NoAnomalies_IsZero_AllAnomalies_IsOne()
    {
        Assert.Equal(0.0, RankingMetrics.AveragePrecision([false, false, false], [0.1, 0.2, 0.3])); // scikit-learn: -0.0
        Assert.Equal(1.0, RankingMetrics.AveragePrecision([true, true, true], [0.1, null, 0.3]));
        Assert.Equal(0.0, RankingMetrics.AveragePrecision(Array.Empty<bool>(), Array.Empty<double?>()));
    }

    [Fact]
    public void RocAucAndAp_MultipleSeries_PoolLikeConcatenation()
    {
        bool[][] labels = [Y1[..4], Y1[4..], []];
        double?[][] scores = [S1[..4], S1[4..], []];

        Assert.Equal(RankingMetrics.RocAuc(Y1, S1), RankingMetrics.RocAuc(labels, scores));
        Assert.Equal(RankingMetrics.AveragePrecision(Y1, S1), RankingMetrics.AveragePrecision(labels, scores));
        Assert.Equal(RankingMetrics.RocAuc(Y1, S1), RankingMetrics.RocAuc([labels[1], labels[0]], [scores[1], scores[0]]));
    }

    [Fact]
    public void RocAuc_NaNScore_IsNoScore()
    {
        // ScorePolicy: NaN ranks like null (below every score): the positive at 0.1 beats the NaN negative.
        Assert.Equal(1.0, RankingMetrics.RocAuc([true, false], [0.1, double.NaN]));
        Assert.Equal(RankingMetrics.RocAuc([true, false, true], [null, 0.3, 0.5]), RankingMetrics.RocAuc([true, false, true], [double.NaN, 0.3, 0.5]));
        Assert.Equal(RankingMetrics.AveragePrecision([true, false, true], [null, 0.3, 0.5]), RankingMetrics.AveragePrecision([true, false, true], [double.NaN, 0.3, 0.5]));
    }

    [Fact]
    public void AveragePrecision_LengthMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecision([true, false], [0.1]));

        Assert.Equal("scores", ex.ParamName);
    }
}
