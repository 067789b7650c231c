using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class CusumDetectorTests
{
    [Fact]
    public void Score_HandComputed_TwoSided()
    {
        // Warm-up -1, 0, 1: mu0 = 0, sigma = 1, so u = x. k = 0.5.
        // x=2: C+ = 1.5; x=1: C+ = 2; x=-3: C+ = 0, C- = 2.5; x=0: C- = 2.
        var scores = Scores(new CusumDetector(0.5, 2, 3), -1, 0, 1, 2, 1, -3, 0);
        AssertScores([null, null, null, 1.5, 2, 2.5, 2], scores);
    }

    [Fact]
    public void Standardises_ByTheWarmupEstimate()
    {
        // Warm-up 8, 10, 12: mu0 = 10, sigma = 2. x = 14 -> u = 2 -> C+ = 2 - k = 1.75.
        AssertScores([null, null, null, 1.75], Scores(new CusumDetector(0.25, 5, 3), 8, 10, 12, 14));
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheSumsUnchanged()
    {
        var scores = Scores(new CusumDetector(0.5, 2, 3), -1, 0, null, 1, 2, null, 1);
        AssertScores([null, null, null, null, 1.5, null, 2], scores);
    }

    [Fact]
    public void Flag_AtH()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("cusum(k=0.5,h=2,warmup=3)");
        var flags = DetectorBatch.Flag(DetectorBatch.Score(d, OperatorTestKit.Series("s", -1, 0, 1, 2, 1, 0)), d.Threshold);
        Assert.Equal([false, false, false, false, true, false], flags.Select(f => f.Flag));
    }

    [Theory]
    [InlineData("cusum(k=-0.1)", "k must be")]
    [InlineData("cusum(h=0)", "h must be")]
    [InlineData("cusum(warmup=1)", "warmup must be >= 2")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
