using System.Reactive.Linq;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Rolling;

public class EwmaTests
{
    // Reference values from pandas 1.5.3 on [1, 2, 3, 5, 2, 8] with alpha = 0.3:
    // s.ewm(alpha=0.3, adjust=...).mean(), .var(bias=False) and .var(bias=True).
    private static readonly double?[] Input = [1, 2, 3, 5, 2, 8];

    [Fact]
    public void Ewma_Adjusted_MatchesPandas()
    {
        double[] mean = [1.0, 1.5882352941176472, 2.2328767123287676, 3.3253059613106988, 2.84739100645487, 4.599281918420221];
        double[] unbiased = [0, 0.5, 0.9794520547945202, 3.1016671263522406, 2.4155397286345632, 9.21726609771424];
        double[] biased = [0.0, 0.2422145328719723, 0.6261337336585975, 2.208427906782464, 1.8170335991964586, 7.156927917601399];
        AssertMoments(Stats(new EwmaOptions(0.3), Input), mean, unbiased, biased);

        // By hand for the second value: weights 0.7 and 1 -> mean (0.7 + 2) / 1.7 = 27/17.
        Assert.Equal(27.0 / 17, Stats(new EwmaOptions(0.3), 1, 2)[1]!.Value.Mean, 14);
    }

    [Fact]
    public void Ewma_Recursive_MatchesPandas()
    {
        double[] mean = [1.0, 1.3, 1.81, 2.767, 2.5369, 4.17583];
        double[] unbiased = [0, 0.5, 1.2046979865771816, 3.6671579677475297, 2.5627558180250674, 9.57147584429137];
        double[] biased = [0.0, 0.21, 0.7539, 2.664711, 1.98883839, 7.6597338111];
        AssertMoments(Stats(new EwmaOptions(0.3, Adjust: false), Input), mean, unbiased, biased);
    }

    [Fact]
    public void Ewma_Missing_IsSkippedWithoutDecay_AsPandasIgnoreNa()
    {
        // pandas: Series([1, 2, nan, 3, 5]).ewm(alpha=0.3, ignore_na=True).mean() -> 1, 27/17, 27/17, 2.2328..., 3.3253...
        var stats = Stats(new EwmaOptions(0.3), 1, 2, null, 3, 5);
        Assert.Null(stats[2]);
        Assert.Equal(2.2328767123287676, stats[3]!.Value.Mean, 12);
        Assert.Equal(3.1016671263522406, stats[4]!.Value.Variance, 12);
        Assert.Equal(4, stats[4]!.Value.Count);
    }

    [Fact]
    public void Ewma_Parametrisations_GiveDocumentedAlpha()
    {
        Assert.Equal(2.0 / 11, EwmaOptions.FromSpan(10).Alpha, 15);
        Assert.Equal(0.20629947401590032, EwmaOptions.FromHalfLife(3).Alpha, 14); // 1 - 2^(-1/3)
        Assert.Equal(0.25, EwmaOptions.FromCenterOfMass(3).Alpha, 15);
        Assert.Equal(1, EwmaOptions.FromSpan(1).Alpha);
        Assert.False(EwmaOptions.FromSpan(4, adjust: false).Adjust);

        // Half-life 1: the previous value's weight is exactly half the new one's (adjusted weights 1/2 and 1).
        Assert.Equal((0.5 * 10 + 20) / 1.5, Stats(EwmaOptions.FromHalfLife(1), 10, 20)[1]!.Value.Mean, 12);
    }

    [Fact]
    public void Ewma_MinCount_AndLargeOffset()
    {
        var stats = Stats(new EwmaOptions(0.5, MinCount: 3), 1, 2, 3);
        Assert.Equal([null, null], stats[..2]);
        Assert.NotNull(stats[2]);

        var shifted = Stats(new EwmaOptions(0.3), Input.Select(v => v + 1e9).ToArray());
        var plain = Stats(new EwmaOptions(0.3), Input);
        Assert.Equal(plain[^1]!.Value.Variance, shifted[^1]!.Value.Variance, 5);
        Assert.Equal(plain[^1]!.Value.Mean + 1e9, shifted[^1]!.Value.Mean, 5);
    }

    [Fact]
    public void Ewma_AlphaOne_IsTheLastValue()
    {
        var stats = Stats(new EwmaOptions(1), 3, 7, -2);
        Assert.Equal([3.0, 7.0, -2.0], stats.Select(s => s!.Value.Mean));
        Assert.All(stats, s => Assert.Equal(0, s!.Value.PopulationVariance));
    }

    [Fact]
    public void ExponentialMoments_Clear_Forgets()
    {
        var m = new ExponentialMoments(0.4);
        m.Add(5);
        m.Add(9);
        m.Clear();
        m.Add(2);
        Assert.Equal(2, m.Mean);
        Assert.Equal(1, m.Count);
        Assert.Equal(0, m.Variance);
    }

    [Fact]
    public void Ewma_Sugar_EqualsGenericOperator()
    {
        var input = MixedInput();
        var options = EwmaOptions.FromHalfLife(20);
        Assert.Equal(RollingBatch.Compute(options, input), input.ToObservable().Ewma(options).ToList().Wait());
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new EwmaOptions(0).CreateKernel()).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new EwmaOptions(1.5).Validate()).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new EwmaOptions(double.NaN).Validate()).ParamName);
        Assert.Equal("MinCount", Assert.Throws<ArgumentOutOfRangeException>(() => new EwmaOptions(0.5, MinCount: 0).Validate()).ParamName);
        Assert.Equal("span", Assert.Throws<ArgumentOutOfRangeException>(() => EwmaOptions.FromSpan(0.5)).ParamName);
        Assert.Equal("halfLife", Assert.Throws<ArgumentOutOfRangeException>(() => EwmaOptions.FromHalfLife(0)).ParamName);
        Assert.Equal("centerOfMass", Assert.Throws<ArgumentOutOfRangeException>(() => EwmaOptions.FromCenterOfMass(-1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMoments(0));
    }

    private static void AssertMoments(EwMoments?[] stats, double[] mean, double[] unbiased, double[] biased)
    {
        for (var i = 0; i < mean.Length; i++)
        {
            var s = stats[i]!.Value;
            Assert.Equal(i + 1, s.Count);
            Assert.Equal(mean[i], s.Mean, 12);
            Assert.Equal(unbiased[i], s.Variance, 12);
            Assert.Equal(biased[i], s.PopulationVariance, 12);
        }
    }
}
