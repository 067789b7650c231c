using Workbench.Operators.Detection;
using Workbench.Operators.Specs;

namespace Workbench.Tests.Operators;

public class OperatorSpecTests
{
    [Theory]
    [InlineData("zscore", "zscore")]
    [InlineData(" ZScore ( window = 10 , threshold=3.5 ) ", "zscore(window=10,threshold=3.5)")]
    [InlineData("holt-winters(alpha=0.5,seasonality=additive)", "holt-winters(alpha=0.5,seasonality=additive)")]
    [InlineData("cusum()", "cusum")]
    [InlineData("fr( forecaster = hw(alpha=0.3, period=24) ,window=5)", "fr(forecaster=hw(alpha=0.3, period=24),window=5)")]
    [InlineData("ens(members=a(x=1)+b+c(y=2,z=e(q=3)),combine=max)", "ens(members=a(x=1)+b+c(y=2,z=e(q=3)),combine=max)")]
    public void Parse_ThenToString_IsCanonical(string text, string expected) =>
        Assert.Equal(expected, OperatorSpec.Parse(text).ToString());

    [Theory]
    [InlineData("", "not an operator name")]
    [InlineData("9lives", "not an operator name")]
    [InlineData("zscore(window=10", "missing ')'")]
    [InlineData("zscore(window)", "not key=value")]
    [InlineData("zscore(window=)", "no valid value")]
    [InlineData("zscore(window=1,window=2)", "given twice")]
    [InlineData("zscore(w!n=1)", "not a parameter name")]
    [InlineData("fr(forecaster=hw(alpha=0.3)", "unbalanced '('")]
    [InlineData("fr(forecaster=hw)alpha=0.3)", "unbalanced ')'")]
    [InlineData("fr(forecaster=(alpha=0.3))", "no valid value")]
    [InlineData("fr(forecaster=hw(a=1)=2)", "no valid value")]
    public void Parse_Malformed_Throws(string text, string expected)
    {
        var e = Assert.Throws<OperatorSpecException>(() => OperatorSpec.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedValue_SplitsOnlyAtTopLevelCommas()
    {
        var spec = OperatorSpec.Parse("fr(forecaster=hw(alpha=0.3,period=24),window=5)");
        Assert.Equal([new("forecaster", "hw(alpha=0.3,period=24)"), new("window", "5")], spec.Arguments);
    }

    [Fact]
    public void Catalog_BareName_UsesDefaults_AndPrintsEveryParameter()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("zscore");
        Assert.Equal(new ZScoreDetector(), d);
        Assert.Equal("zscore(window=288,threshold=4)", d.Spec);
    }

    [Fact]
    public void Catalog_RoundTrip_ParseOfSpecIsTheSameDetector()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector("zscore(threshold=2.75,window=30)");
        Assert.Equal(new ZScoreDetector(30, 2.75), d);
        Assert.Equal(d, OperatorCatalog.BuiltIn.ParseDetector(d.Spec));
    }

    [Theory]
    [InlineData("nosuch", "unknown detector 'nosuch'")]
    [InlineData("naive", "unknown detector 'naive'")]
    [InlineData("zscore(span=3)", "has no parameter 'span'")]
    [InlineData("zscore(window=ten)", "is not an integer")]
    [InlineData("zscore(threshold=NaN)", "is not a finite number")]
    [InlineData("zscore(window=1)", "window must be >= 2")]
    [InlineData("zscore(threshold=-1)", "threshold must be")]
    public void Catalog_BadDetectorSpec_ThrowsNamingTheProblem(string text, string expected)
    {
        var e = Assert.Throws<OperatorSpecException>(() => OperatorCatalog.BuiltIn.ParseDetector(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_ForecasterIsNotADetector_AndViceVersa()
    {
        Assert.Equal("naive", OperatorCatalog.BuiltIn.ParseForecaster("naive").Spec);
        Assert.Throws<OperatorSpecException>(() => OperatorCatalog.BuiltIn.ParseForecaster("zscore"));
    }

    [Fact]
    public void Catalog_DuplicateNames_AreRejected() =>
        Assert.Throws<ArgumentException>(() => OperatorCatalog.BuiltIn.With(ZScoreDetector.Descriptor));

    [Fact]
    public void Descriptor_Parameters_ListDefaultsAsSpecText() =>
        Assert.Equal(
            [new OperatorParameter("window", "int", "288", "baseline length in observations (>= 2)"),
             new OperatorParameter("threshold", "double", "4", "flag when |z| >= threshold (> 0)")],
            ZScoreDetector.Descriptor.Parameters);
}
