using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class EmaSpikeDetectorTests
{
    [Fact]
    public void Score_HandComputed_SpikeAndDrop()
    {
        // alpha 0.5, warm-up 1: b = 10. x=25: d = 1.5 -> 1.5 / 1 = 1.5; b = 17.5. x=10: d = -7.5/17.5 -> /0.5;
        // b = 13.75. x=2: d = -11.75/13.75 -> /0.5.
        var scores = Scores(new EmaSpikeDetector(0.5, 1, 0.5, null, 1), 10, 25, 10, 2);
        AssertScores([null, 1.5, 7.5 / 17.5 / 0.5, 11.75 / 13.75 / 0.5], scores);
    }

    [Fact]
    public void SmartMeterRule_FlagsAbove100PercentAndBelow50Percent()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("ema-spike(alpha=0.01,outage=0.1,warmup=1)");
        foreach (var (x, flag) in new[] { (1.99, false), (2.01, true), (0.51, false), (0.49, true), (1.0, false) })
        {
            var flagged = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 1, x)), d.Threshold);
            Assert.Equal(flag, flagged[1].Flag);
        }
    }

    [Fact]
    public void Outage_FlagsEvenWithoutABaseline()
    {
        // Baseline 0: relative change undefined (no score) unless the outage rule fires.
        AssertScores([null, 1], Scores(new EmaSpikeDetector(Outage: 0.1, Warmup: 1), 0, 0.05));
        AssertScores([null, 0, 2 * 0.95], Scores(new EmaSpikeDetector(Alpha: 0.5, Outage: 0.1, Warmup: 1), 1, 1, 0.05));
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheBaselineUnchanged() =>
        AssertScores([null, null, 1.5], Scores(new EmaSpikeDetector(0.5, 1, 0.5, null, 1), 10, null, 25));

    [Fact]
    public void Warmup_OnlyBuildsTheBaseline() =>
        AssertScores([null, null, null, 0], Scores(new EmaSpikeDetector(Warmup: 3), 4, 4, 4, 4));

    [Theory]
    [InlineData("ema-spike(alpha=0)", "alpha must be in (0, 1]")]
    [InlineData("ema-spike(spike=0)", "spike must be")]
    [InlineData("ema-spike(drop=1.5)", "drop must be in (0, 1]")]
    [InlineData("ema-spike(warmup=0)", "warmup must be >= 1")]
    [InlineData("ema-spike(outage=low)", "is not a finite number or none")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}

public class ScalingRatioDetectorTests
{
    [Fact]
    public void Score_IsTheRelativeDisagreementOfTheTwoForecasts()
    {
        // naive: -, 10, 20, 30; test-mean: -, 10, 15, 20. Row 3 is missing but both forecasts exist.
        var d = TestForecasters.Catalog.ParseDetector("scaling-ratio(forecaster=naive,benchmark=test-mean)");
        AssertScores([null, 0, (20.0 / 15) - 1, 0.5], Scores(d, 10, 20, 30, null));
    }

    [Fact]
    public void PowerGridRule_FlagsAbove9Percent()
    {
        var d = TestForecasters.Catalog.ParseDetector("scaling-ratio(forecaster=naive,benchmark=test-mean)");
        Assert.Equal(0.09, d.Threshold);
        // Forecasts for row 2: naive = x1, mean = (100 + x1) / 2.
        foreach (var (x1, flag) in new[] { (110.0, false), (120.0, true), (80.0, true), (92.0, false) })
        {
            var flagged = DetectorBatch.Flag(DetectorBatch.Score(d, Series("s", 100, x1, 0)), d.Threshold);
            Assert.Equal(flag, flagged[2].Flag);
        }
    }

    [Fact]
    public void ZeroBenchmark_GivesNoScore()
    {
        var d = TestForecasters.Catalog.ParseDetector("scaling-ratio(forecaster=naive,benchmark=test-mean)");
        AssertScores([null, null, 1], Scores(d, 0, 3, 5));
    }

    [Fact]
    public void Spec_RoundTrips_WithNestedParameters()
    {
        var d = TestForecasters.Catalog.ParseDetector("scaling-ratio(forecaster=test-band(width=3),benchmark=test-mean,threshold=0.1)");
        Assert.Equal("scaling-ratio(forecaster=test-band(width=3),benchmark=test-mean,threshold=0.1)", d.Spec);
        Assert.Equal(new ScalingRatioDetector(new BandForecaster(3), new MeanForecaster(), 0.1), d);
    }

    [Theory]
    [InlineData("scaling-ratio", "needs forecaster=<spec>")]
    [InlineData("scaling-ratio(forecaster=naive)", "needs benchmark=<spec>")]
    [InlineData("scaling-ratio(forecaster=naive,benchmark=nosuch)", "parameter 'benchmark': invalid spec 'nosuch': unknown forecaster 'nosuch'")]
    [InlineData("scaling-ratio(forecaster=naive,benchmark=naive,threshold=0)", "threshold must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
