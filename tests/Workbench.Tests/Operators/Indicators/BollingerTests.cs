using System.Reactive.Linq;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Indicators;

public class BollingerTests
{
    [Fact]
    public void Bollinger_Period3_HandComputed_PopulationSigma()
    {
        // Windows of 4, 1, 7, 3, 9: {4,1,7} mean 4, population variance (0+9+9)/3 = 6;
        // {1,7,3} mean 11/3, population variance 56/9; {7,3,9} mean 19/3, population variance 56/9.
        var bands = Stats(new BollingerOptions(3, 2), 4, 1, 7, 3, 9);
        Assert.Equal([null, null], bands[..2]);
        double[] mean = [4, 11.0 / 3, 19.0 / 3];
        double[] sigma = [Math.Sqrt(6), Math.Sqrt(56.0 / 9), Math.Sqrt(56.0 / 9)];
        for (var i = 0; i < mean.Length; i++)
        {
            var b = bands[i + 2]!.Value;
            Assert.Equal(mean[i], b.Middle, 12);
            Assert.Equal(sigma[i], b.StandardDeviation, 12);
            Assert.Equal(mean[i] + (2 * sigma[i]), b.Upper, 12);
            Assert.Equal(mean[i] - (2 * sigma[i]), b.Lower, 12);
        }
    }

    [Fact]
    public void Bollinger_MiddleIsTheSma_AndKScalesTheWidth()
    {
        var input = MixedInput();
        var bands = RollingBatch.Compute(new BollingerOptions(10, 1.5), input);
        var sma = RollingBatch.Compute(new SmaOptions(10), input);
        Assert.Equal(sma.Select(s => s.Stat.HasValue), bands.Select(b => b.Stat.HasValue));
        foreach (var (b, s) in bands.Zip(sma).Where(p => p.First.Stat.HasValue))
        {
            Assert.Equal(s.Stat!.Value, b.Stat!.Value.Middle, 6);
            Assert.Equal(1.5 * b.Stat.Value.StandardDeviation, b.Stat.Value.Upper - b.Stat.Value.Middle, 6);
        }

        var flat = Stats(new BollingerOptions(3, 2), 5, 5, 5);
        Assert.Equal(new BollingerBand(5, 5, 5, 0), flat[2]);
    }

    [Fact]
    public void Sugar_EqualsGenericOperator_Defaults20And2()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new BollingerOptions(20, 2), input), input.ToObservable().Bollinger().ToList().Wait());
        Assert.Equal((20, 2.0), (new BollingerOptions().Period, new BollingerOptions().K));
    }

    [Theory]
    [InlineData(1, 2, "Period")]
    [InlineData(20, -1, "K")]
    [InlineData(20, double.NaN, "K")]
    [InlineData(20, double.PositiveInfinity, "K")]
    public void Options_OutOfRange_Throw(int period, double k, string parameter) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => new BollingerOptions(period, k).CreateKernel()).ParamName);
}
