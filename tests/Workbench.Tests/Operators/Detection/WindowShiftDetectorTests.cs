using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class LevelShiftDetectorTests
{
    [Fact]
    public void Score_HandComputed()
    {
        // Left 1,3 (mean 2, var 2), right 5,7 (mean 6, var 2): 4 / sqrt(2). Same for 3,5 | 7,9.
        AssertScores([null, null, null, 4 / Math.Sqrt(2), 4 / Math.Sqrt(2)], Scores(new LevelShiftDetector(2), 1, 3, 5, 7, 9));
    }

    [Fact]
    public void Step_PeaksWhenTheStepIsAtTheWindowBoundary()
    {
        var noise = new double[] { 0.1, -0.2, 0.3, -0.1, 0.2, 0, -0.3, 0.1 };
        var values = Enumerable.Range(0, 40).Select(i => (double?)(noise[i % noise.Length] + (i >= 20 ? 5 : 0))).ToArray();
        var scores = Scores(new LevelShiftDetector(5), values);
        var peak = Array.IndexOf(scores, scores.Max());
        Assert.Equal(20 + 5 - 1, peak);
    }

    [Fact]
    public void Missing_GetsNoScore_AndIsSkipped() =>
        AssertScores([null, null, null, null, 4 / Math.Sqrt(2)], Scores(new LevelShiftDetector(2), 1, 3, null, 5, 7));

    [Theory]
    [InlineData("level-shift(window=1)", "window must be >= 2")]
    [InlineData("level-shift(threshold=0)", "threshold must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}

public class VarianceShiftDetectorTests
{
    [Fact]
    public void Score_HandComputed_SymmetricLogRatio()
    {
        // Left 0,1,2 (var 1), right 0,2,4 (var 4): ln 4. Reversed order gives the same score.
        AssertScores([null, null, null, null, null, Math.Log(4)], Scores(new VarianceShiftDetector(3), 0, 1, 2, 0, 2, 4));
        AssertScores([null, null, null, null, null, Math.Log(4)], Scores(new VarianceShiftDetector(3), 0, 2, 4, 0, 1, 2));
    }

    [Fact]
    public void FlatWindows_ScoreZero_FlatAgainstNoisyIsLargeButFinite()
    {
        var flat = Scores(new VarianceShiftDetector(3), 5, 5, 5, 5, 5, 5);
        Assert.Equal(0, flat[5]);
        var burst = Scores(new VarianceShiftDetector(3), 5, 5, 5, 4, 6, 5);
        Assert.True(burst[5] > 20 && double.IsFinite(burst[5]!.Value));
    }

    [Fact]
    public void Missing_GetsNoScore_AndIsSkipped() =>
        AssertScores([null, null, null, null, null, null, Math.Log(4)], Scores(new VarianceShiftDetector(3), 0, 1, 2, null, 0, 2, 4));

    [Theory]
    [InlineData("variance-shift(window=2)", "window must be >= 3")]
    [InlineData("variance-shift(threshold=-1)", "threshold must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
