using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class ForecastResidualDetectorTests
{
    [Fact]
    public void ResidualSd_HandComputed_WithNaive()
    {
        // Naive forecasts -, 1, 2, 4, 7, 7 -> residuals -, 1, 2, 3, 0, 13.
        // Row 4: baseline residuals 1,2,3 (mean 2, sd 1) -> |0 - 2| = 2.
        // Row 5: baseline 2,3,0 (mean 5/3, sd sqrt(7/3)) -> |13 - 5/3| / sqrt(7/3).
        var scores = Scores(new ForecastResidualDetector(new NaiveForecaster(), Window: 3), 1, 2, 4, 7, 7, 20);
        AssertScores([null, null, null, null, 2, (13 - (5.0 / 3)) / Math.Sqrt(7.0 / 3)], scores);
    }

    [Fact]
    public void Interval_OneIsOnTheBound()
    {
        // test-band(width=4): forecast = last value, interval +-4. Row 1: (12 - 10) / 4; row 2: (12 - 7) / 4; row 3: 0.
        var d = new ForecastResidualDetector(new BandForecaster(4), ResidualScale.Interval, Threshold: 1);
        AssertScores([null, 0.5, 1.25, 0], Scores(d, 10, 12, 7, 7));
    }

    [Fact]
    public void Interval_WithoutAnInterval_GivesNoScore() =>
        AssertScores([null, null, null], Scores(new ForecastResidualDetector(new NaiveForecaster(), ResidualScale.Interval), 1, 5, 9));

    [Fact]
    public void Missing_GetsNoScore_AddsNoResidual_ForecasterStillSeesIt()
    {
        // Naive carries the last present value over the gap: forecasts -, 1, 2, 2, 4, 7, 7.
        var withGap = Scores(new ForecastResidualDetector(new NaiveForecaster(), Window: 3), 1, 2, null, 4, 7, 7, 20);
        AssertScores([null, null, null, null, null, 2, (13 - (5.0 / 3)) / Math.Sqrt(7.0 / 3)], withGap);
    }

    [Fact]
    public void NestedSpec_ResolvesThroughTheParsingCatalog_AndRoundTrips()
    {
        var d = TestForecasters.Catalog.ParseDetector("forecast-residual(forecaster=test-band(width=2.5),scale=interval,threshold=1)");
        Assert.Equal(new ForecastResidualDetector(new BandForecaster(2.5), ResidualScale.Interval, 100, 1), d);
        Assert.Equal("forecast-residual(forecaster=test-band(width=2.5),scale=interval,window=100,threshold=1)", d.Spec);
        Assert.Equal(d, TestForecasters.Catalog.ParseDetector(d.Spec));

        // The built-in catalog does not know the test forecaster.
        AssertBadSpec("forecast-residual(forecaster=test-band(width=2.5))", "parameter 'forecaster': invalid spec 'test-band(width=2.5)': unknown forecaster 'test-band'");
    }

    [Fact]
    public void BareName_UsesNaive()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("forecast-residual");
        Assert.Equal("forecast-residual(forecaster=naive,scale=residual-sd,window=100,threshold=4)", d.Spec);
        Assert.Equal(new ForecastResidualDetector(), d);
    }

    [Theory]
    [InlineData("forecast-residual(forecaster=zscore)", "unknown forecaster 'zscore'")]
    [InlineData("forecast-residual(forecaster=naive(x=1))", "'naive' has no parameter 'x'")]
    [InlineData("forecast-residual(scale=sigma)", "is not one of residual-sd, interval")]
    [InlineData("forecast-residual(window=1)", "window must be >= 2")]
    [InlineData("forecast-residual(threshold=0)", "threshold must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
