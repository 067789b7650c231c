using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class EwmaDetectorTests
{
    private static EwmaDetector Warmup(double lambda, double l, int warmup, bool reset = false) =>
        new(lambda, l, warmup, ChartBaseline.Warmup, Reset: reset);

    private static EwmaDetector Rolling(double lambda, double l, int window, bool reset = true) =>
        new(lambda, l, Baseline: ChartBaseline.Rolling, Window: window, Reset: reset);

    [Fact]
    public void Warmup_HandComputed_ExactTimeVaryingLimits()
    {
        // Warm-up -1, 0, 1: mu0 = 0, sigma = 1. lambda = 0.5: lambda / (2 - lambda) = 1/3.
        // t=1: z = 0.5*2 + 0.5*0 = 1, se = sqrt(1/3 * (1 - 0.25)) = 0.5 -> 2.
        // t=2: z = 0.5*0 + 0.5*1 = 0.5, se = sqrt(1/3 * (1 - 0.0625)) = sqrt(0.3125) -> 0.5 / sqrt(0.3125).
        var scores = Scores(Warmup(0.5, 3, 3), -1, 0, 1, 2, 0);
        AssertScores([null, null, null, 2, 0.5 / Math.Sqrt(0.3125)], scores);
    }

    [Fact]
    public void Warmup_WithReset_RestartsTheChartAfterASignal()
    {
        // As above with L = 1.5: t=1 scores 2 >= L, so the chart restarts: z0 = mu0 = 0, t = 1 again for x = 0 -> 0
        // (without the reset it would be 0.5 / sqrt(0.3125) ~ 0.89).
        AssertScores([null, null, null, 2, 0], Scores(Warmup(0.5, 1.5, 3, reset: true), -1, 0, 1, 2, 0));
    }

    [Fact]
    public void Warmup_LimitsWiden_TowardsTheAsymptote()
    {
        // A constant offset of one sigma: z_t -> 1 and se_t -> sqrt(lambda / (2 - lambda)) from below.
        var values = new double?[] { -1, 0, 1 }.Concat(Enumerable.Repeat<double?>(1, 200)).ToArray();
        var scores = Scores(Warmup(0.2, 3, 3), values);
        Assert.Equal(1 / Math.Sqrt(0.2 / 1.8), scores[^1]!.Value, 9);
    }

    [Fact]
    public void Warmup_Missing_GetsNoScore_AndDoesNotAdvanceTheChart()
    {
        var withGap = Scores(Warmup(0.5, 3, 3), -1, null, 0, 1, 2, null, 0);
        AssertScores([null, null, null, null, 2, null, 0.5 / Math.Sqrt(0.3125)], withGap);
    }

    [Fact]
    public void LambdaOne_IsAShewhartChart()
    {
        // lambda = 1: z_t = x_t and se = sigma: score = |x - mu0| / sigma.
        AssertScores([null, null, null, 3, 0.5], Scores(Warmup(1, 3, 3), -1, 0, 1, -3, 0.5));
    }

    [Fact]
    public void Warmup_FlatBaseline_GivesFiniteScores()
    {
        var scores = Scores(Warmup(0.5, 3, 2), 4, 4, 4, 5);
        Assert.Equal(0, scores[2]);
        Assert.True(double.IsFinite(scores[3]!.Value) && scores[3] > 1e6);
    }

    [Fact]
    public void Rolling_HandComputed_MovingCentreAndLimits_AndReset()
    {
        // lambda = 0.5 (lambda / (2 - lambda) = 1/3), L = 3, window 3.
        // 0, 1, 2 fill the window. x=3: centre 1, sd 1, z0 = 1, z1 = 2, se = 0.5 -> 2.
        // x=2: centre 2, sd 1, z2 = 2, se = sqrt(1/3 * (1 - 1/16)) -> 0.
        // x=5: centre 7/3, sd 1/sqrt 3, z3 = 3.5, se3 = sqrt(1/3 * (1 - 1/64)) / sqrt 3 -> (7/6) / se3 ~ 3.53 >= L.
        // x=3: centre 10/3, sd sqrt(7/3). With the reset: z0 = 10/3, z1 = 19/6, se = 0.5 sd -> (1/6) / (0.5 sd).
        //      Without: z4 = 3.25, se4 = sd * sqrt(1/3 * (1 - 1/256)) -> (1/12) / se4.
        var se3 = Math.Sqrt((1 - (1.0 / 64)) / 3) / Math.Sqrt(3);
        var sd = Math.Sqrt(7.0 / 3);
        var withReset = Scores(Rolling(0.5, 3, 3), 0, 1, 2, 3, 2, 5, 3);
        AssertScores([null, null, null, 2, 0, 7.0 / 6 / se3, 1.0 / 6 / (0.5 * sd)], withReset);

        var withoutReset = Scores(Rolling(0.5, 3, 3, reset: false), 0, 1, 2, 3, 2, 5, 3);
        AssertScores([null, null, null, 2, 0, 7.0 / 6 / se3, 1.0 / 12 / (sd * Math.Sqrt((1 - (1.0 / 256)) / 3))], withoutReset);
    }

    [Fact]
    public void Rolling_Missing_GetsNoScore_AndAdvancesNeitherChartNorWindow()
    {
        var gaps = Scores(Rolling(0.5, 3, 3), null, 0, 1, null, 2, 3, null, 2);
        AssertScores([null, null, null, null, null, 2, null, 0], gaps);
    }

    [Fact]
    public void Rolling_FollowsALevelShift_WhereTheWarmupChartStaysAlarmed()
    {
        var values = Enumerable.Range(0, 80).Select(i => (double?)((i % 2) + (i >= 40 ? 10 : 0))).ToArray();
        var rolling = Scores(new EwmaDetector(Window: 4), values);
        var warmup = Scores(new EwmaDetector(Warmup: 4, Baseline: ChartBaseline.Warmup), values);

        Assert.Contains(rolling[40..45], s => s >= 3);
        Assert.All(rolling[4..40], s => Assert.True(s < 3, $"rolling score {s}"));
        Assert.All(rolling[50..], s => Assert.True(s < 3, $"rolling score {s}"));
        Assert.All(warmup[50..], s => Assert.True(s >= 3, $"warm-up score {s}"));
    }

    [Fact]
    public void Spec_UpperCaseL_IsAccepted_AndPrintedCanonically()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("ewma(lambda=0.1,L=2.7)");
        Assert.Equal(new EwmaDetector(0.1, 2.7), d);
        Assert.Equal("ewma(lambda=0.1,l=2.7,baseline=rolling,window=60,warmup=30,reset=true)", d.Spec);
        Assert.Equal(2.7, d.Threshold);

        var custom = OperatorCatalog.BuiltIn.ParseDetector("ewma(baseline=warmup,warmup=12,window=5,reset=false)");
        Assert.Equal(new EwmaDetector(Warmup: 12, Baseline: ChartBaseline.Warmup, Window: 5, Reset: false), custom);
        Assert.Equal(custom, OperatorCatalog.BuiltIn.ParseDetector(custom.Spec));
    }

    [Theory]
    [InlineData("ewma(lambda=0)", "lambda must be in (0, 1]")]
    [InlineData("ewma(lambda=1.5)", "lambda must be in (0, 1]")]
    [InlineData("ewma(l=0)", "l must be")]
    [InlineData("ewma(warmup=1)", "warmup must be >= 2")]
    [InlineData("ewma(window=1)", "window must be >= 2")]
    [InlineData("ewma(baseline=fixed)", "rolling, warmup")]
    [InlineData("ewma(reset=1)", "true or false")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
