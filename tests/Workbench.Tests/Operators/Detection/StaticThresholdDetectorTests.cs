using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class StaticThresholdDetectorTests
{
    [Fact]
    public void Score_ZeroInside_OnePlusDistanceOutside_BoundsThemselvesInside()
    {
        var scores = Scores(new StaticThresholdDetector(10, 0), 5, 10, 12.5, -1, 0);
        AssertScores([0, 0, 3.5, 2, 0], scores);
    }

    [Fact]
    public void Flag_ExactlyTheValuesOutsideTheBand()
    {
        var d = new StaticThresholdDetector(10, 0);
        var flags = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 5, 10, 10.000001, -1e-9, null)), d.Threshold);
        Assert.Equal([false, false, true, true, false], flags.Select(f => f.Flag));
    }

    [Fact]
    public void OneSidedBounds()
    {
        AssertScores([0, 0, 11], Scores(new StaticThresholdDetector(Upper: 10), -1e9, 10, 20));
        AssertScores([1e9 + 1, 0, 0], Scores(new StaticThresholdDetector(Lower: 0), -1e9, 0, 20));
    }

    [Fact]
    public void Missing_GetsNoScore() =>
        AssertScores([null, 2], Scores(new StaticThresholdDetector(Upper: 10), null, 11));

    [Fact]
    public void Spec_PrintsAbsentBoundsAsNone_AndParsesThemBack()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("threshold(upper=10)");
        Assert.Equal(new StaticThresholdDetector(Upper: 10), d);
        Assert.Equal("threshold(upper=10,lower=none)", d.Spec);
        Assert.Equal(d, OperatorCatalog.BuiltIn.ParseDetector(d.Spec));
        Assert.Equal(1, d.Threshold);
    }

    [Theory]
    [InlineData("threshold", "needs an upper and/or a lower bound")]
    [InlineData("threshold(upper=none,lower=none)", "needs an upper and/or a lower bound")]
    [InlineData("threshold(upper=1,lower=2)", "lower must be < upper")]
    [InlineData("threshold(upper=1,lower=1)", "lower must be < upper")]
    [InlineData("threshold(upper=abc)", "is not a finite number or none")]
    [InlineData("threshold(upper=Infinity)", "is not a finite number or none")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
