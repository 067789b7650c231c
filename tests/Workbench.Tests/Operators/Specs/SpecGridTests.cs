using Workbench.Operators.Specs;

namespace Workbench.Tests.Operators.Specs;

public sealed class SpecGridTests
{
    [Fact]
    public void Lists_ExpandToEveryCombination_FirstParameterSlowest()
    {
        var points = SpecGrid.Expand("zscore(window=[60,288,1440],threshold=[3,4,5])");
        Assert.Equal(9, points.Count);
        Assert.Equal("zscore(window=60,threshold=3)", points[0].Spec);
        Assert.Equal("zscore(window=60,threshold=4)", points[1].Spec);
        Assert.Equal("zscore(window=1440,threshold=5)", points[8].Spec);
        Assert.Equal(Enumerable.Range(0, 9), points.Select(p => p.Index));
        Assert.Equal([new("window", "288"), new("threshold", "5")], points[5].Parameters);
        Assert.All(points, p => OperatorCatalog.BuiltIn.ParseDetector(p.Spec));
    }

    [Fact]
    public void Ranges_AreInclusive_IntegersStayIntegers_AndFixedParametersAreNotColumns()
    {
        var points = SpecGrid.Expand("cusum(k=0.5..1.5:0.25,h=5,window=60..180:60)");
        Assert.Equal(5 * 3, points.Count);
        Assert.Equal(["0.5", "0.75", "1", "1.25", "1.5"], points.Where(p => p.Parameters[1].Value == "60").Select(p => p.Parameters[0].Value));
        Assert.Equal("cusum(k=1.5,h=5,window=180)", points[^1].Spec);
        Assert.All(points, p => Assert.Equal(["k", "window"], p.Parameters.Select(x => x.Key)));
        // 0.1..0.3:0.1 has three points despite floating-point steps.
        Assert.Equal(["0.1", "0.2", "0.3"], SpecGrid.Expand("zscore(threshold=0.1..0.3:0.1)").Select(p => p.Parameters[0].Value));
    }

    [Fact]
    public void NestedSpecs_ExpandInPlace_WithTheirPathAsParameterName()
    {
        var points = SpecGrid.Expand("scaling-ratio(forecaster=holt-winters(alpha=[0.3,0.5],period=24),benchmark=[naive,daily-profile(k=[2,3])],threshold=0.09)");
        Assert.Equal(2 * 3, points.Count);
        Assert.Equal("scaling-ratio(forecaster=holt-winters(alpha=0.3,period=24),benchmark=naive,threshold=0.09)", points[0].Spec);
        Assert.Equal("scaling-ratio(forecaster=holt-winters(alpha=0.5,period=24),benchmark=daily-profile(k=3),threshold=0.09)", points[5].Spec);
        Assert.Equal([new("forecaster.alpha", "0.5"), new("benchmark", "daily-profile"), new("benchmark.k", "3")], points[5].Parameters);
        Assert.All(points, p => OperatorCatalog.BuiltIn.ParseDetector(p.Spec));
    }

    [Fact]
    public void APlainSpec_IsAOnePointGrid()
    {
        var points = SpecGrid.Expand("mad(window=36)");
        Assert.Equal("mad(window=36)", Assert.Single(points).Spec);
        Assert.Empty(points[0].Parameters);
        Assert.False(SpecGrid.IsGrid("mad(window=36)"));
        Assert.True(SpecGrid.IsGrid("mad(window=[36,72])"));
    }

    [Theory]
    [InlineData("zscore(window=[])", "empty list")]
    [InlineData("zscore(window=[60,])", "empty element")]
    [InlineData("zscore(window=[60,288)", "unbalanced")]
    [InlineData("zscore(window=60..10:5)", "end >= start")]
    [InlineData("zscore(window=10..60)", "needs a step")]
    [InlineData("zscore(window=10..60:0)", "step > 0")]
    [InlineData("zscore(window=1..10000000:1)", "more than")]
    [InlineData("zscore(window=1..3000:1,threshold=1..3000:1,k=[1,2])", "--max-points")]
    public void BadGrids_AreRejectedWithOneClearLine(string grid, string expected)
    {
        var e = Assert.Throws<OperatorSpecException>(() => SpecGrid.Expand(grid));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TenMillionPoints_WithoutMaxPoints_AreRefusedBeforeAnyIsBuilt()
    {
        var e = Assert.Throws<OperatorSpecException>(() => SpecGrid.Expand("zscore(window=1..10000:1,threshold=1..1000:1)"));
        Assert.Contains("10,000,000 points", e.Message, StringComparison.Ordinal);
        Assert.Equal(12, SpecGrid.Expand("zscore(window=1..3:1,threshold=1..4:1)", maxPoints: 12).Count);
    }
}
