using Workbench.Evaluation.Metrics;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Metrics;

public class PointMetricsTests
{
    [Fact]
    public void Compute_HandComputed_MatchesScikitLearn()
    {
        // labels 0011010010, flags 0110010111: TP rows 2,5,8 = 3; FP rows 1,7,9 = 3; FN row 3 = 1; TN = 3.
        // precision 3/6, recall 3/4, F1 = 6/10. scikit-learn 1.2.1 (see RankingMetricsTests for the script):
        // precision_recall_fscore_support(y1, f, average="binary", zero_division=0) -> (0.5, 0.75, 0.6).
        var r = PointMetrics.Compute(B("0011010010"), B("0110010111"));

        Assert.Equal(new PointScores(3, 3, 1, 3), r);
        Assert.Equal(0.5, r.Precision, 15);
        Assert.Equal(0.75, r.Recall, 15);
        Assert.Equal(0.6, r.F1, 15);
        Assert.Equal(10, r.Total);
    }

    [Fact]
    public void Compute_NoAnomaliesNothingFlagged_AllZero()
    {
        // scikit-learn with zero_division=0 gives (0.0, 0.0, 0.0) here too.
        var r = PointMetrics.Compute(B("0000"), B("0000"));

        Assert.Equal(new PointScores(0, 0, 0, 4), r);
        Assert.Equal(0, r.Precision);
        Assert.Equal(0, r.Recall);
        Assert.Equal(0, r.F1);
    }

    [Fact]
    public void Compute_NoAnomaliesSomethingFlagged_PrecisionZero()
    {
        var r = PointMetrics.Compute(B("0000"), B("0100"));

        Assert.Equal(new PointScores(0, 1, 0, 3), r);
        Assert.Equal(0, r.Precision);
        Assert.Equal(0, r.F1);
    }

    [Fact]
    public void Compute_AllAnomaliesAllFlagged_PerfectScores()
    {
        var r = PointMetrics.Compute(B("111"), B("111"));

        Assert.Equal(1.0, r.Precision);
        Assert.Equal(1.0, r.Recall);
        Assert.Equal(1.0, r.F1);
    }

    [Fact]
    public void Compute_AnomaliesButEmptyFlags_RecallZeroPrecisionZero()
    {
        var r = PointMetrics.Compute(B("0110"), B("0000"));

        Assert.Equal(new PointScores(0, 0, 2, 2), r);
        Assert.Equal(0, r.Precision);
        Assert.Equal(0, r.Recall);
        Assert.Equal(0, r.F1);
    }

    [Fact]
    public void Compute_EmptySeries_AllZero()
    {
        Assert.Equal(new PointScores(0, 0, 0, 0), PointMetrics.Compute(Array.Empty<bool>(), Array.Empty<bool>()));
    }

    [Fact]
    public void Compute_MultipleSeries_PoolsCounts()
    {
        var pooled = PointMetrics.Compute([B("0011"), B("10"), B("")], [B("0110"), B("11"), B("")]);

        Assert.Equal(new PointScores(2, 2, 1, 1), pooled);
        Assert.Equal(PointMetrics.Compute(B("001110"), B("011011")), pooled);
    }

    [Fact]
    public void Compute_LengthMismatch_ThrowsNamingSeries()
    {
        var ex = Assert.Throws<ArgumentException>(() => PointMetrics.Compute([B("01"), B("011")], [B("01"), B("01")]));

        Assert.Equal("flags", ex.ParamName);
        Assert.Contains("Series 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_SeriesCountMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => PointMetrics.Compute([B("01"), B("01")], [B("01")]));

        Assert.Equal("flags", ex.ParamName);
    }

    [Fact]
    public void PointAdjusted_OneFlagInEvent_CountsTheWholeEvent()
    {
        // Events rows 1-3 (flag at 2: detected, 3 TP) and rows 6-7 (no flag: 2 FN); flag at row 4 is FP; TN rows 0,5,8.
        var labels = B("011100110");
        var flags = B("001010000");

        var adjusted = PointMetrics.PointAdjusted(labels, null, flags);
        var plain = PointMetrics.Compute(labels, flags);

        Assert.Equal(new PointScores(3, 1, 2, 3), adjusted);
        Assert.Equal(new PointScores(1, 1, 4, 3), plain);
        Assert.Equal(6.0 / 9, adjusted.F1, 15);
    }

    [Fact]
    public void PointAdjusted_EventsAtStartAndEnd_Adjusted()
    {
        var r = PointMetrics.PointAdjusted(B("1100011"), null, B("0100001"));

        Assert.Equal(new PointScores(4, 0, 0, 3), r);
    }

    [Fact]
    public void PointAdjusted_AdjacentEventsWithIds_StaySeparate()
    {
        // Rows 1-4 are labelled; ids split them into two adjacent events. Only event 7 has a flag.
        var labels = B("011110");
        var flags = B("010000");

        var withIds = PointMetrics.PointAdjusted(labels, [null, 7, 7, 8, 8, null], flags);
        var asRuns = PointMetrics.PointAdjusted(labels, null, flags);

        Assert.Equal(new PointScores(2, 0, 2, 2), withIds);
        Assert.Equal(new PointScores(4, 0, 0, 2), asRuns);
    }

    [Fact]
    public void PointAdjusted_MultipleSeries_EventsDoNotSpanSeries()
    {
        // A run at the end of series 0 and one at the start of series 1; only the second is flagged.
        var r = PointMetrics.PointAdjusted([B("0011"), B("1100")], null, [B("0000"), B("0100")]);

        Assert.Equal(new PointScores(2, 0, 2, 4), r);
    }

    [Fact]
    public void PointAdjusted_NoAnomalies_EqualsPointWise()
    {
        Assert.Equal(PointMetrics.Compute(B("00000"), B("01100")), PointMetrics.PointAdjusted(B("00000"), null, B("01100")));
    }

    [Fact]
    public void PointAdjusted_LabelledPointWithoutId_ThrowsNamingRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => PointMetrics.PointAdjusted(B("011"), [null, 1, null], B("000")));

        Assert.Equal("eventIds", ex.ParamName);
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PointAdjusted_SparseBlindFlags_LookFarBetterThanPointWise()
    {
        // The documented optimism: 1,000 rows, events at rows 100-199 and 600-699, a flag on every 50th row regardless
        // of the data. Point-wise: TP 4 (rows 100, 150, 600, 650), FP 16, FN 196 -> F1 = 8 / 220.
        // Point-adjusted: both events hit -> TP 200, FP 16, FN 0 -> F1 = 400 / 416.
        var labels = new bool[1000];
        var flags = new bool[1000];
        for (var i = 0; i < 1000; i++)
        {
            labels[i] = i is >= 100 and < 200 or >= 600 and < 700;
            flags[i] = i % 50 == 0;
        }

        Assert.Equal(8.0 / 220, PointMetrics.Compute(labels, flags).F1, 15);
        Assert.Equal(400.0 / 416, PointMetrics.PointAdjusted(labels, null, flags).F1, 15);
    }
}
