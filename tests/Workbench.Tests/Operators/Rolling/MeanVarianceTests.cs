using System.Reactive.Linq;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.OperatorTestKit;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Rolling;

public class MeanVarianceTests
{
    [Fact]
    public void MeanVariance_Window3_MatchesHandComputation()
    {
        // Windows of 4, 1, 7, 3, 9, 2, 6: {4,1,7}: mean 4, squares 0+9+9 = 18 -> var 9, pop var 6;
        // {1,7,3}: mean 11/3, var 28/3, pop 56/9; {7,3,9}: mean 19/3, var 28/3; {3,9,2}: mean 14/3, var 43/3;
        // {9,2,6}: mean 17/3, var 37/3. (pandas 1.5.3 rolling(3).mean()/.var()/.var(ddof=0) agree.)
        var stats = Stats(new RollingMomentsOptions(3), 4, 1, 7, 3, 9, 2, 6);
        Assert.Equal([null, null], stats[..2]);
        double[] mean = [4, 11.0 / 3, 19.0 / 3, 14.0 / 3, 17.0 / 3];
        double[] variance = [9, 28.0 / 3, 28.0 / 3, 43.0 / 3, 37.0 / 3];
        for (var i = 0; i < mean.Length; i++)
        {
            var m = stats[i + 2]!.Value;
            Assert.Equal(3, m.Count);
            Assert.Equal(mean[i], m.Mean, 12);
            Assert.Equal(variance[i], m.Variance, 12);
            Assert.Equal(variance[i] * 2 / 3, m.PopulationVariance, 12);
            Assert.Equal(Math.Sqrt(variance[i]), m.StandardDeviation, 12);
        }
    }

    [Fact]
    public void MeanVariance_MinCount_EmitsPartialWindows()
    {
        var stats = Stats(new RollingMomentsOptions(3, MinCount: 1), 4, 1, 7, 3);
        Assert.Equal(new Moments(1, 4, 0, 0), stats[0]);
        Assert.Equal(2.5, stats[1]!.Value.Mean, 12);
        Assert.Equal(4.5, stats[1]!.Value.Variance, 12);
        Assert.Equal(3, stats[3]!.Value.Count);
    }

    [Fact]
    public void MeanVariance_LargeOffset_KeepsPrecision()
    {
        var values = Enumerable.Range(0, 2000).Select(i => (double?)(1e9 + (i % 4))).ToArray();
        var last = Stats(new RollingMomentsOptions(4), values)[^1]!.Value;
        Assert.Equal(1e9 + 1.5, last.Mean, 6);
        Assert.Equal(5.0 / 3, last.Variance, 6);
    }

    [Fact]
    public void MeanVariance_Sugar_EqualsGenericOperator()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new RollingMomentsOptions(7), input), input.ToObservable().MeanVariance(7).ToList().Wait());
    }

    [Theory]
    [InlineData(0, null, "Window")]
    [InlineData(3, 0, "MinCount")]
    [InlineData(3, 4, "MinCount")]
    public void Options_OutOfRange_Throw(int window, int? minCount, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RollingMomentsOptions(window, minCount).CreateKernel());
        Assert.Equal(parameter, e.ParamName);
    }
}
