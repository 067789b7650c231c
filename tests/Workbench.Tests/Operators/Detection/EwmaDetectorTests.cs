using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class EwmaDetectorTests
{
    [Fact]
    public void Score_HandComputed_ExactTimeVaryingLimits()
    {
        // Warm-up -1, 0, 1: mu0 = 0, sigma = 1. lambda = 0.5: lambda / (2 - lambda) = 1/3.
        // t=1: z = 0.5*2 + 0.5*0 = 1, se = sqrt(1/3 * (1 - 0.25)) = 0.5 -> 2.
        // t=2: z = 0.5*0 + 0.5*1 = 0.5, se = sqrt(1/3 * (1 - 0.0625)) = sqrt(0.3125) -> 0.5 / sqrt(0.3125).
        var scores = Scores(new EwmaDetector(0.5, 3, 3), -1, 0, 1, 2, 0);
        AssertScores([null, null, null, 2, 0.5 / Math.Sqrt(0.3125)], scores);
    }

    [Fact]
    public void LimitsWiden_TowardsTheAsymptote()
    {
        // A constant offset of one sigma: z_t -> 1 and se_t -> sqrt(lambda / (2 - lambda)) from below.
        var values = new double?[] { -1, 0, 1 }.Concat(Enumerable.Repeat<double?>(1, 200)).ToArray();
        var scores = Scores(new EwmaDetector(0.2, 3, 3), values);
        Assert.Equal(1 / Math.Sqrt(0.2 / 1.8), scores[^1]!.Value, 9);
    }

    [Fact]
    public void Missing_GetsNoScore_AndDoesNotAdvanceTheChart()
    {
        var withGap = Scores(new EwmaDetector(0.5, 3, 3), -1, null, 0, 1, 2, null, 0);
        AssertScores([null, null, null, null, 2, null, 0.5 / Math.Sqrt(0.3125)], withGap);
    }

    [Fact]
    public void LambdaOne_IsAShewhartChart()
    {
        // lambda = 1: z_t = x_t and se = sigma: score = |x - mu0| / sigma.
        AssertScores([null, null, null, 3, 0.5], Scores(new EwmaDetector(1, 3, 3), -1, 0, 1, -3, 0.5));
    }

    [Fact]
    public void FlatWarmup_GivesFiniteScores()
    {
        var scores = Scores(new EwmaDetector(0.5, 3, 2), 4, 4, 4, 5);
        Assert.Equal(0, scores[2]);
        Assert.True(double.IsFinite(scores[3]!.Value) && scores[3] > 1e6);
    }

    [Fact]
    public void Spec_UpperCaseL_IsAccepted_AndPrintedCanonically()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("ewma(lambda=0.1,L=2.7)");
        Assert.Equal(new EwmaDetector(0.1, 2.7), d);
        Assert.Equal("ewma(lambda=0.1,l=2.7,warmup=30)", d.Spec);
        Assert.Equal(2.7, d.Threshold);
    }

    [Theory]
    [InlineData("ewma(lambda=0)", "lambda must be in (0, 1]")]
    [InlineData("ewma(lambda=1.5)", "lambda must be in (0, 1]")]
    [InlineData("ewma(l=0)", "l must be")]
    [InlineData("ewma(warmup=1)", "warmup must be >= 2")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
