using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class RandomDetectorTests
{
    // Expected numbers printed by CPython 3.11.2 on this machine:
    //   python3 -c "import random; random.seed(42); print([random.random() for _ in range(5)])"
    private static readonly double[] Seed42 = [0.6394267984578837, 0.025010755222666936, 0.27502931836911926, 0.22321073814882275, 0.7364712141640124];

    [Fact]
    public void Seed42_ReproducesCPythonRandom()
    {
        var scores = Scores(new RandomDetector(), 1, 2, 3, 4, 5);
        Assert.Equal(Seed42.Select(v => (double?)v), scores);
    }

    [Fact]
    public void MissingValues_StillConsumeTheirDraw()
    {
        Assert.Equal(Seed42.Select(v => (double?)v), Scores(new RandomDetector(), null, 2, null, null, 5));
    }

    [Fact]
    public void EverySeries_IsReseeded()
    {
        var scored = AssertStreamEqualsBatch(new RandomDetector(), Interleave(Series("a", 1, 2, 3), Series("b", 1, 2, 3)));
        Assert.Equal(Seed42[..3].Select(v => (double?)v), scored.Where(s => s.Observation.Series == "b").Select(s => s.Score));
    }

    [Fact]
    public void Twister_MatchesCPython_AcrossTwistsAndSeeds()
    {
        // random.seed(42): draws #311, #312 (the 624-word state is exhausted at draw 312) and #999.
        var mt = new MersenneTwister(42);
        var draws = Enumerable.Range(0, 1000).Select(_ => mt.NextDouble()).ToArray();
        Assert.Equal(0.21007653833975404, draws[311]);
        Assert.Equal(0.24952973922292443, draws[312]);
        Assert.Equal(0.8554501933059546, draws[999]);

        Assert.Equal([0.8444218515250481, 0.7579544029403025, 0.420571580830845], Draws(0, 3));
        Assert.Equal([0.3177580158172969, 0.8173550078299876], Draws(int.MaxValue, 2));
        // A seed above 2^32 is keyed by two 32-bit words, as CPython does.
        Assert.Equal([0.37701448538609916, 0.02069602357922562, 0.14040538980009454], Draws(123456789012, 3));
    }

    [Fact]
    public void Spec_MapsToNabNames()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("random");
        Assert.Equal("random(seed=42,threshold=0.99)", d.Spec);
        Assert.Equal(new RandomDetector(0, 0.5), OperatorCatalog.BuiltIn.ParseDetector("random(seed=0,threshold=0.5)"));
    }

    [Theory]
    [InlineData("random(seed=-1)", "seed must be >= 0")]
    [InlineData("random(threshold=1)", "threshold must be in (0, 1)")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);

    private static double[] Draws(long seed, int n)
    {
        var mt = new MersenneTwister(seed);
        return Enumerable.Range(0, n).Select(_ => mt.NextDouble()).ToArray();
    }
}

public class WindowedGaussianDetectorTests
{
    [Fact]
    public void SmallWindow_MatchesNabAlgorithmInPython()
    {
        // Reference: NAB's windowedGaussian as nab-scoring.md section 10 describes it, run in CPython 3.11 with
        // numpy 1.24 (numpy.mean / numpy.std, math.erfc) for window 5, step 2.
        var scores = Scores(new WindowedGaussianDetector(5, 2), 5, 5, 5, 6, 2, 9, 4, 4, 30, 1);
        AssertScores([0.0, 0.5, 0.5, 1.0, 0.9999999999999695, 0.99941010798106, 0.6708732928443583, 0.6978828576025025, 1.0, 0.8021429709344656], scores, 13);
    }

    [Fact]
    public void NabDefaults_MatchPythonAcrossTheSlidingPhase()
    {
        // x_i = (i * 7919 mod 1000) / 10, plus 50 every 1013 rows; same Python reference as above with 6400/100.
        var values = Enumerable.Range(0, 7000).Select(i => (double?)((i * 7919 % 1000 / 10.0) + (i % 1013 == 0 ? 50.0 : 0.0))).ToArray();
        var scores = DetectorBatch.Score(new WindowedGaussianDetector(), values.Select((_, i) => T0.AddMinutes(i)).ToArray(), values);
        var expected = new (int Row, double Score)[]
        {
            (1, 1.0), (2, 0.7301825396964785), (10, 0.9757584020647089), (500, 0.5020760980167683),
            (6399, 0.7339240391900785), (6400, 0.6349321846742745), (6401, 0.526006010540399), (6499, 0.6100056587645193),
            (6500, 0.5002583169025405), (6501, 0.610402962488312), (6999, 0.9260152001049088),
        };
        Assert.Equal(0.0, scores[0]);
        foreach (var (row, score) in expected)
        {
            Assert.True(Math.Abs(score - scores[row]!.Value) < 1e-12, $"row {row}: expected {score}, got {scores[row]}");
        }
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheWindowUnchanged()
    {
        var withGap = Scores(new WindowedGaussianDetector(5, 2), 5, null, 5, 5, 6);
        var without = Scores(new WindowedGaussianDetector(5, 2), 5, 5, 5, 6);
        Assert.Null(withGap[1]);
        Assert.Equal(without, withGap.Where((_, i) => i != 1));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(0.1, 0.8875370839817152)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1, 0.15729920705028513)]
    [InlineData(2, 0.004677734981047265)]
    [InlineData(2.9999, 2.210442648216091e-05)]
    [InlineData(3, 2.2090496998585438e-05)]
    [InlineData(3.5, 7.430983723414128e-07)]
    [InlineData(5, 1.5374597944280351e-12)]
    [InlineData(6, 2.1519736712498916e-17)]
    [InlineData(10, 2.088487583762545e-45)]
    [InlineData(26, 5.663192408856143e-296)]
    public void Erfc_MatchesCPythonMathErfc(double x, double expected)
    {
        // Absolute error below 1e-16 everywhere, relative error below 1e-13 in the continued-fraction range.
        var got = DetectorMath.Erfc(x);
        Assert.True(Math.Abs(got - expected) < 2e-16 || Math.Abs(got - expected) < 1e-13 * expected, $"erfc({x}) = {got}, expected {expected}");
        Assert.True(Math.Abs(2 - expected - DetectorMath.Erfc(-x)) < 1e-15, $"erfc(-{x})");
    }

    [Fact]
    public void Spec_DefaultsAreNabs()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("windowed-gaussian");
        Assert.Equal("windowed-gaussian(window=6400,step=100,threshold=0.9999)", d.Spec);
    }

    [Theory]
    [InlineData("windowed-gaussian(window=1)", "window must be >= 2")]
    [InlineData("windowed-gaussian(window=10,step=11)", "step must be in [1, window]")]
    [InlineData("windowed-gaussian(threshold=0.5)", "threshold must be in (0.5, 1)")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
