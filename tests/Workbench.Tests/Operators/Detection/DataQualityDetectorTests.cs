using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class MissingDetectorTests
{
    [Fact]
    public void Score_IsTheMissingRunLength_NeverNull()
    {
        AssertScores([0, 1, 2, 3, 0, 1], Scores(new MissingDetector(2), 1, null, null, null, 2, null));
    }

    [Fact]
    public void Flag_FromTheRunthMissingValue()
    {
        var d = new MissingDetector(2);
        var flags = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 1, null, null, null, 2, null)), d.Threshold);
        Assert.Equal([false, false, true, true, false, false], flags.Select(f => f.Flag));
        var every = DetectorBatch.Flag(DetectorBatch.Score(new MissingDetector(), Series("s", 1, null, 2)), 1);
        Assert.Equal([false, true, false], every.Select(f => f.Flag));
    }

    [Theory]
    [InlineData("missing(run=0)", "run must be >= 1")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}

public class FlatlineDetectorTests
{
    [Fact]
    public void Score_IsTheFlatRunLength_CappedAtWindow()
    {
        // tol 0.5: [0] 1; [0.75] (0..0.75 > 0.5) 1; [0.75,1] 2; [0.75,1,1.25] 3 (range 0.5 is flat); null;
        // [1,1.25,1.5] 3 (capped at the window, though 0.75..1.5 is not flat anyway); [5] 1.
        AssertScores([1, 1, 2, 3, null, 3, 1], Scores(new FlatlineDetector(3, 0.5), 0, 0.75, 1.0, 1.25, null, 1.5, 5));
        // A long constant run stays at the cap.
        AssertScores([1, 2, 3, 3, 3], Scores(new FlatlineDetector(3), 4, 4, 4, 4, 4));
    }

    [Fact]
    public void Run_IsTheLongestFlatSuffix_NotJustSinceTheLastBreak()
    {
        // 0, 0.6, 1.2 with tol 1: the run ending at 1.2 is [0.6, 1.2] (range 0.6), length 2.
        AssertScores([1, 2, 2], Scores(new FlatlineDetector(5, 1), 0, 0.6, 1.2));
    }

    [Fact]
    public void ExactlyConstant_WithZeroTolerance()
    {
        var d = new FlatlineDetector(3);
        var flags = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 1, 2, 2, 2, 2, 2.0000001)), d.Threshold);
        Assert.Equal([false, false, false, true, true, false], flags.Select(f => f.Flag));
    }

    [Fact]
    public void MatchesBruteForce_OnRandomWalks()
    {
        var rng = new Random(11);
        var values = new double?[3000];
        var x = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            x += rng.Next(5) == 0 ? rng.NextDouble() - 0.5 : 0.01 * (rng.NextDouble() - 0.5);
            values[i] = i % 41 == 3 ? null : Math.Round(x, 3);
        }

        const int window = 25;
        const double tol = 0.05;
        var scores = Scores(new FlatlineDetector(window, tol), values);
        var present = new List<double>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } v)
            {
                Assert.Null(scores[i]);
                continue;
            }

            present.Add(v);
            var run = 0;
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (var j = present.Count - 1; j >= 0 && run < window; j--)
            {
                lo = Math.Min(lo, present[j]);
                hi = Math.Max(hi, present[j]);
                if (hi - lo > tol)
                {
                    break;
                }

                run++;
            }

            Assert.Equal(run, scores[i]);
        }
    }

    [Theory]
    [InlineData("flatline(window=1)", "window must be >= 2")]
    [InlineData("flatline(tolerance=-0.1)", "tolerance must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}

public class OutageDetectorTests
{
    [Fact]
    public void Score_IsTheOutageRunLength_MissingCountsWhenAsked()
    {
        AssertScores([0, 1, 2, 0, 1], Scores(new OutageDetector(0.1, 2, true), 1, 0.05, null, 0.2, 0));
        AssertScores([0, 1, null, 2, 0], Scores(new OutageDetector(0.1, 2, false), 1, 0.05, null, 0.05, 0.1));
    }

    [Fact]
    public void Flag_AtRun()
    {
        var d = new OutageDetector(Run: 2);
        var flags = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 0, 0, 1, 0)), d.Threshold);
        Assert.Equal([false, true, false, false], flags.Select(f => f.Flag));
    }

    [Theory]
    [InlineData("outage(run=0)", "run must be >= 1")]
    [InlineData("outage(missing=yes)", "is not true or false")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
