using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class EnsembleDetectorTests
{
    // Members threshold(upper=10) (threshold 1) and missing(run=2) (threshold 2) over 5, 12, null, null:
    // threshold scores 0, 3, -, -; missing scores 0, 0, 1, 2 -> normalised 0, 0, 0.5, 1.
    private static readonly IDetector[] Members = [new StaticThresholdDetector(Upper: 10), new MissingDetector(2)];

    [Fact]
    public void Mean_OfNormalisedScoresPresent() =>
        AssertScores([0, 1.5, 0.5, 1], Scores(new EnsembleDetector(Members, EnsembleCombine.Mean), 5, 12, null, null));

    [Fact]
    public void Max_OfNormalisedScoresPresent() =>
        AssertScores([0, 3, 0.5, 1], Scores(new EnsembleDetector(Members, EnsembleCombine.Max), 5, 12, null, null));

    [Fact]
    public void Vote_IsTheFractionOfMembersFlagging() =>
        AssertScores([0, 0.5, 0, 0.5], Scores(new EnsembleDetector(Members, EnsembleCombine.Vote, 0.5), 5, 12, null, null));

    [Fact]
    public void NoMemberScore_NoEnsembleScore() =>
        AssertScores([null, null, 0], Scores(new EnsembleDetector([new StaticThresholdDetector(Upper: 10)]), null, null, 3));

    [Fact]
    public void Spec_NestedMembers_RoundTrip_AndEqualityComparesMembers()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("ensemble(members=zscore(window=50)+ensemble(members=missing+random(seed=1),combine=vote)+mad,combine=mean)");
        Assert.Equal(
            "ensemble(members=zscore(window=50,threshold=4)+ensemble(members=missing(run=1)+random(seed=1,threshold=0.99),combine=vote,threshold=1)+mad(window=288,threshold=3.5),combine=mean,threshold=1)",
            d.Spec);
        var again = OperatorCatalog.BuiltIn.ParseDetector(d.Spec);
        Assert.Equal(d, again);
        Assert.Equal(d.GetHashCode(), again.GetHashCode());
        Assert.NotEqual(d, OperatorCatalog.BuiltIn.ParseDetector("ensemble(members=zscore(window=50)+mad,combine=mean)"));
    }

    [Fact]
    public void Members_AreCapturedAtConstruction()
    {
        var list = new List<IDetector> { new MissingDetector() };
        var d = new EnsembleDetector(list);
        var copy = d with { Members = list };
        list.Add(new RandomDetector());
        Assert.Single(d.Members);
        Assert.Single(copy.Members);
    }

    [Fact]
    public void Members_ResolveThroughTheParsingCatalog()
    {
        var d = TestForecasters.Catalog.ParseDetector("ensemble(members=forecast-residual(forecaster=test-band(width=1),scale=interval,threshold=1)+missing)");
        var e = Assert.IsType<EnsembleDetector>(d);
        Assert.Equal(new ForecastResidualDetector(new BandForecaster(1), ResidualScale.Interval, 100, 1), e.Members[0]);
    }

    [Theory]
    [InlineData("ensemble", "ensemble needs at least one member")]
    [InlineData("ensemble(members=none)", "ensemble needs at least one member")]
    [InlineData("ensemble(members=zscore+nosuch)", "parameter 'members': invalid spec 'nosuch': unknown detector 'nosuch'")]
    [InlineData("ensemble(members=zscore(window=1))", "window must be >= 2")]
    [InlineData("ensemble(members=zscore,combine=median)", "is not one of mean, max, vote")]
    [InlineData("ensemble(members=zscore,threshold=0)", "threshold must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);

    [Fact]
    public void Member_WithNonPositiveThreshold_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new EnsembleDetector([new ZeroThreshold()]).CreateKernel());
        Assert.Contains("normalising needs a finite threshold > 0", e.Message, StringComparison.Ordinal);
    }

    private sealed class ZeroThreshold : IDetector
    {
        public string Name => "zero";

        public string Spec => "zero";

        public double Threshold => 0;

        public IDetectorKernel CreateKernel() => throw new InvalidOperationException("not reached");
    }
}
