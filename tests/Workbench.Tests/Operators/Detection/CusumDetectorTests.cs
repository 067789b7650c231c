using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class CusumDetectorTests
{
    private static CusumDetector Warmup(double k, double h, int warmup, bool reset = false) =>
        new(k, h, warmup, ChartBaseline.Warmup, Reset: reset);

    private static CusumDetector Rolling(double k, double h, int window, bool reset = true) =>
        new(k, h, Baseline: ChartBaseline.Rolling, Window: window, Reset: reset);

    [Fact]
    public void Warmup_HandComputed_TwoSided_WithoutReset()
    {
        // Warm-up -1, 0, 1: mu0 = 0, sigma = 1, so u = x. k = 0.5.
        // x=2: C+ = 1.5; x=1: C+ = 2; x=-3: C+ = 0, C- = 2.5; x=0: C- = 2.
        var scores = Scores(Warmup(0.5, 2, 3), -1, 0, 1, 2, 1, -3, 0);
        AssertScores([null, null, null, 1.5, 2, 2.5, 2], scores);
    }

    [Fact]
    public void Warmup_WithReset_RestartsBothSumsAfterASignal()
    {
        // As above with h = 2: x=1 gives C+ = 2 >= h -> both sums restart; x=-3: C- = 3 - 0.5 = 2.5 -> restart;
        // x=0: C+ = C- = max(0, -0.5) = 0.
        var scores = Scores(Warmup(0.5, 2, 3, reset: true), -1, 0, 1, 2, 1, -3, 0);
        AssertScores([null, null, null, 1.5, 2, 2.5, 0], scores);
    }

    [Fact]
    public void Warmup_StandardisesByTheWarmupEstimate()
    {
        // Warm-up 8, 10, 12: mu0 = 10, sigma = 2. x = 14 -> u = 2 -> C+ = 2 - k = 1.75.
        AssertScores([null, null, null, 1.75], Scores(Warmup(0.25, 5, 3), 8, 10, 12, 14));
    }

    [Fact]
    public void Warmup_Missing_GetsNoScore_AndLeavesTheSumsUnchanged()
    {
        var scores = Scores(Warmup(0.5, 2, 3), -1, 0, null, 1, 2, null, 1);
        AssertScores([null, null, null, null, 1.5, null, 2], scores);
    }

    [Fact]
    public void Rolling_HandComputed_PreviousWindowBaseline_AndReset()
    {
        // window 3, k = 0.5, h = 2.
        // 0, 1, 2 fill the window. x=3 vs {0,1,2} (mean 1, sd 1): u = 2 -> C+ = 1.5.
        // x=2 vs {1,2,3} (mean 2, sd 1): u = 0 -> C+ = 1.
        // x=4 vs {2,3,2} (mean 7/3, sd 1/sqrt 3): u = (5/3)*sqrt 3 -> C+ = 0.5 + u >= 2: signal, sums restart.
        // x=3 vs {3,2,4} (mean 3, sd 1): u = 0 -> C+ = max(0, -0.5) = 0; without the reset C+ = 0.5 + u - 0.5 = u.
        var u = 5.0 / 3 * Math.Sqrt(3);
        var withReset = Scores(Rolling(0.5, 2, 3), 0, 1, 2, 3, 2, 4, 3);
        AssertScores([null, null, null, 1.5, 1, 0.5 + u, 0], withReset);

        var withoutReset = Scores(Rolling(0.5, 2, 3, reset: false), 0, 1, 2, 3, 2, 4, 3);
        AssertScores([null, null, null, 1.5, 1, 0.5 + u, u], withoutReset);
    }

    [Fact]
    public void Rolling_NegativeSide_AndMissingValues()
    {
        // window 2, k = 0: 0, null, 2 fill the window {0, 2} (mean 1, sd sqrt 2). x=-1: u = -2/sqrt 2 -> C- = sqrt 2.
        // null: no score. x=1 vs {2,-1} (mean 0.5, sd 3/sqrt 2): u = sqrt 2/6 -> C- = sqrt 2 - sqrt 2/6, C+ = sqrt 2/6.
        var scores = Scores(Rolling(0, 100, 2), 0, null, 2, -1, null, 1);
        AssertScores([null, null, null, Math.Sqrt(2), null, Math.Sqrt(2) * 5 / 6], scores);
    }

    [Fact]
    public void Rolling_FollowsALevelShift_WhereTheWarmupChartStaysAlarmed()
    {
        // Alternating 0/1 for 40 values, then 10/11 for 40: the rolling chart signals at the step, then settles;
        // the warm-up chart keeps signalling for the rest of the series.
        var values = Enumerable.Range(0, 80).Select(i => (double?)((i % 2) + (i >= 40 ? 10 : 0))).ToArray();
        var rolling = Scores(new CusumDetector(Window: 4), values);
        var warmup = Scores(new CusumDetector(Warmup: 4, Baseline: ChartBaseline.Warmup), values);

        Assert.Contains(rolling[40..45], s => s >= 5);
        Assert.All(rolling[50..], s => Assert.True(s < 5, $"rolling score {s}"));
        Assert.All(rolling[4..40], s => Assert.True(s < 5, $"rolling score {s}"));
        Assert.True(warmup[50..].Count(s => s >= 5) > 20);
    }

    [Fact]
    public void Flag_AtH()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("cusum(k=0.5,h=2,baseline=warmup,warmup=3)");
        var flags = DetectorBatch.Flag(DetectorBatch.Score(d, OperatorTestKit.Series("s", -1, 0, 1, 2, 1, 0)), d.Threshold);
        Assert.Equal([false, false, false, false, true, false], flags.Select(f => f.Flag));
    }

    [Fact]
    public void Spec_Defaults_PrintEveryOption_AndRoundTrip()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("cusum");
        Assert.Equal(new CusumDetector(), d);
        Assert.Equal("cusum(k=0.5,h=5,baseline=rolling,window=60,warmup=30,reset=true)", d.Spec);

        var custom = OperatorCatalog.BuiltIn.ParseDetector("cusum(baseline=WARMUP,warmup=10,reset=false,window=7)");
        Assert.Equal(new CusumDetector(Warmup: 10, Baseline: ChartBaseline.Warmup, Window: 7, Reset: false), custom);
        Assert.Equal(custom, OperatorCatalog.BuiltIn.ParseDetector(custom.Spec));
    }

    [Theory]
    [InlineData("cusum(k=-0.1)", "k must be")]
    [InlineData("cusum(h=0)", "h must be")]
    [InlineData("cusum(warmup=1)", "warmup must be >= 2")]
    [InlineData("cusum(window=1)", "window must be >= 2")]
    [InlineData("cusum(baseline=median)", "rolling, warmup")]
    [InlineData("cusum(reset=yes)", "true or false")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
