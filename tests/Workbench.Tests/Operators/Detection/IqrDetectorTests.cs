using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class IqrDetectorTests
{
    [Fact]
    public void Score_HandComputed_TypeSevenQuartiles()
    {
        // 1,2,3,4: Q1 = 1.75, Q3 = 3.25, IQR 1.5; x = 7 -> (7 - 3.25) / 1.5 = 2.5.
        // 2,3,4,7: Q1 = 2.75, Q3 = 4.75, IQR 2; x = 0 -> 2.75 / 2 = 1.375.
        // 3,4,7,0 -> sorted 0,3,4,7: Q1 = 2.25, Q3 = 4.75; x = 3 -> 0 (between the quartiles).
        var scores = Scores(new IqrDetector(4, 1.5), 1, 2, 3, 4, 7, 0, 3);
        AssertScores([null, null, null, null, 2.5, 1.375, 0], scores);
    }

    [Fact]
    public void Flag_AtTheFence()
    {
        // Baseline 1,2,3,4: upper fence Q3 + 1.5 IQR = 3.25 + 2.25 = 5.5.
        var d = new IqrDetector(4);
        Assert.Equal(1.5, d.Threshold);
        foreach (var (x, flag) in new[] { (5.5, true), (5.49, false), (1.75 - 2.25, true), (-0.49, false) })
        {
            var flagged = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 1, 2, 3, 4, x)), d.Threshold);
            Assert.Equal(flag, flagged[4].Flag);
        }
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheBaselineUnchanged()
    {
        var withGap = Scores(new IqrDetector(4), 1, 2, null, 3, 4, 7);
        AssertScores([null, null, null, null, null, 2.5], withGap);
    }

    [Fact]
    public void Spec_KIsTheThreshold()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("iqr(k=3)");
        Assert.Equal("iqr(window=288,k=3)", d.Spec);
        Assert.Equal(3, d.Threshold);
    }

    [Theory]
    [InlineData("iqr(window=3)", "window must be >= 4")]
    [InlineData("iqr(k=0)", "k must be")]
    [InlineData("iqr(k=-1.5)", "k must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
