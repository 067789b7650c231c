using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class PageHinkleyDetectorTests
{
    [Fact]
    public void Score_UpwardDrift_HandComputed()
    {
        // delta 0, alpha 1: x=4 after three zeros: m = 1, U = 3 -> 3; next 4: m = 1.6, U = 3 + 2.4 = 5.4.
        AssertScores([0, 0, 0, 3, 5.4], Scores(new PageHinkleyDetector(0, 100, 1), 0, 0, 0, 4, 4));
    }

    [Fact]
    public void Score_DownwardDrift_HandComputed()
    {
        // delta 0.1: D = 0.1, 0.2, then 0.2 + (-4 + 4/3 + 0.1) -> PH- = 0.2 - D = 2.5666...; then
        // m = -2: D = -2.3666... + (-4 + 2 + 0.1) = -4.2666... -> 4.4666...
        AssertScores([0, 0, 2.5666666666666667, 4.466666666666667], Scores(new PageHinkleyDetector(0.1, 100, 1), 0, 0, -4, -4));
    }

    [Fact]
    public void Fading_HandComputed()
    {
        // delta 0.5, alpha 0.5: U1 = -0.5; U2 = 0.5 * -0.5 + (2 - 1 - 0.5) = 0.25 -> PH+ = 0.75.
        AssertScores([0, 0.75], Scores(new PageHinkleyDetector(0.5, 100, 0.5), 0, 2));
    }

    [Fact]
    public void Restarts_AfterReachingLambda()
    {
        AssertScores([0, 0, 0, 3, 5.4, 0], Scores(new PageHinkleyDetector(0, 5, 1), 0, 0, 0, 4, 4, 4));
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheTestUnchanged() =>
        AssertScores([0, null, 0, 0, 3], Scores(new PageHinkleyDetector(0, 100, 1), 0, null, 0, 0, 4));

    [Theory]
    [InlineData("page-hinkley(delta=-1)", "delta must be")]
    [InlineData("page-hinkley(lambda=0)", "lambda must be")]
    [InlineData("page-hinkley(alpha=0)", "alpha must be in (0, 1]")]
    [InlineData("page-hinkley(alpha=1.01)", "alpha must be in (0, 1]")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
