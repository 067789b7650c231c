using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class MadDetectorTests
{
    [Fact]
    public void Score_HandComputed_PreviousWindowOnly()
    {
        // Baseline 1,2,3,4,100: median 3, |dev| 2,1,0,1,97 -> MAD 1; x = 7 -> 4 / 1.4826.
        // Then baseline 2,3,4,100,7: median 4, |dev| 2,1,0,96,3 -> MAD 2; x = 4 -> 0; x = 10 -> 6 / (1.4826 * 2)
        // against baseline 3,4,100,7,4: median 4, |dev| 1,0,96,3,0 -> MAD 1 -> 6 / 1.4826.
        var scores = Scores(new MadDetector(5, 3.5), 1, 2, 3, 4, 100, 7, 4, 10);
        AssertScores([null, null, null, null, null, 4 / 1.4826, 0, 6 / 1.4826], scores);
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheBaselineUnchanged()
    {
        var withGap = Scores(new MadDetector(3), 1, null, 2, 3, null, 9);
        var without = Scores(new MadDetector(3), 1, 2, 3, 9);
        Assert.Null(withGap[1]);
        Assert.Null(withGap[4]);
        Assert.Equal(without[3], withGap[5]);
    }

    [Fact]
    public void ZeroMad_GivesZeroForTheMajorityValue_AndHugeFiniteOtherwise()
    {
        var scores = Scores(new MadDetector(3), 5, 5, 6, 5, 7);
        Assert.Equal(0, scores[3]);
        Assert.True(scores[4] > 1e9 && double.IsFinite(scores[4]!.Value));
    }

    [Fact]
    public void Robust_ToOutliersInTheBaseline_UnlikeZScore()
    {
        // One huge outlier in the baseline barely moves median/MAD, so a later moderate deviation still scores high.
        var mad = Scores(new MadDetector(9), 1, 2, 1, 2, 1000, 1, 2, 1, 2, 10);
        var z = Scores(new ZScoreDetector(9), 1, 2, 1, 2, 1000, 1, 2, 1, 2, 10);
        Assert.True(mad[9] > 3.5);
        Assert.True(z[9] < 1);
    }

    [Theory]
    [InlineData("mad(window=2)", "window must be >= 3")]
    [InlineData("mad(threshold=0)", "threshold must be")]
    [InlineData("mad(window=x)", "is not an integer")]
    [InlineData("mad(span=3)", "has no parameter 'span'")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
