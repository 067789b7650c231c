using System.Reactive.Linq;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Indicators;

public class MacdTests
{
    [Fact]
    public void Macd_HandComputed_Fast2Slow3Signal2()
    {
        // Closes 1, 2, 3, 5, 2, 8, 4.
        // EMA2 (alpha 2/3, seed (1+2)/2): -, 3/2, 5/2, 25/6, 49/18, 337/54, 769/162
        // EMA3 (alpha 1/2, seed (1+2+3)/3): -, -, 2, 7/2, 11/4, 43/8, 75/16
        // line = EMA2 - EMA3: 1/2, 2/3, -1/36, 187/216, 77/1296
        // signal = EMA2 of the line, seeded (1/2 + 2/3)/2 = 7/12: 7/12, 19/108, 103/162, 163/648
        var macd = Stats(new MacdOptions(2, 3, 2), 1, 2, 3, 5, 2, 8, 4);
        Assert.Equal([null, null], macd[..2]);
        Assert.Equal(new MacdValue(0.5, null, null), macd[2]);
        double[] line = [2.0 / 3, -1.0 / 36, 187.0 / 216, 77.0 / 1296];
        double[] signal = [7.0 / 12, 19.0 / 108, 103.0 / 162, 163.0 / 648];
        for (var i = 0; i < line.Length; i++)
        {
            var m = macd[i + 3]!.Value;
            Assert.Equal(line[i], m.Line, 12);
            Assert.Equal(signal[i], m.Signal!.Value, 12);
            Assert.Equal(line[i] - signal[i], m.Histogram!.Value, 12);
        }
    }

    [Fact]
    public void Macd_Default_12_26_9_WarmUp()
    {
        var values = Enumerable.Range(0, 40).Select(i => (double?)(100 + Math.Sin(i / 3.0))).ToArray();
        var macd = Stats(new MacdOptions(), values);
        Assert.All(macd[..25], m => Assert.Null(m));
        Assert.All(macd[25..33], m => Assert.Null(m!.Value.Signal)); // line from the 26th value
        Assert.All(macd[33..], m => Assert.NotNull(m!.Value.Histogram)); // signal after 9 line values

        // The line equals EMA(12) - EMA(26) computed separately.
        var ema12 = Stats(new EmaOptions(12), values);
        var ema26 = Stats(new EmaOptions(26), values);
        Assert.Equal(ema12[30]!.Value - ema26[30]!.Value, macd[30]!.Value.Line, 12);
        Assert.Equal((12, 26, 9), (new MacdOptions().Fast, new MacdOptions().Slow, new MacdOptions().Signal));
    }

    [Fact]
    public void Macd_FlatInput_IsZero()
    {
        var macd = Stats(new MacdOptions(2, 3, 2), 5, 5, 5, 5, 5);
        Assert.Equal(new MacdValue(0, 0, 0), macd[^1]);
    }

    [Fact]
    public void Sugar_EqualsGenericOperator()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new MacdOptions(), input), input.ToObservable().Macd().ToList().Wait());
        Assert.Equal(RollingBatch.Compute(new MacdOptions(3, 7, 2), input), input.ToObservable().Macd(new MacdOptions(3, 7, 2)).ToList().Wait());
    }

    [Theory]
    [InlineData(0, 26, 9, "Fast")]
    [InlineData(12, 12, 9, "Slow")]
    [InlineData(12, 5, 9, "Slow")]
    [InlineData(12, 26, 0, "Signal")]
    public void Options_OutOfRange_Throw(int fast, int slow, int signal, string parameter) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => new MacdOptions(fast, slow, signal).CreateKernel()).ParamName);
}
