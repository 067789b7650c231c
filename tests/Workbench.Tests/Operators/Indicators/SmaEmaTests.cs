using System.Reactive.Linq;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Indicators;

public class SmaEmaTests
{
    // StockCharts ChartSchool, "Moving Averages - Simple and Exponential" worked example (spreadsheet cs-movavg):
    // 30 closes, 10-day SMA and 10-day EMA (alpha = 2/11, seeded with the first 10-day SMA), printed to 2 decimals.
    private static readonly double?[] Closes =
    [
        22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29,
        22.15, 22.39, 22.38, 22.61, 23.36, 24.05, 23.75, 23.83, 23.95, 23.63,
        23.82, 23.87, 23.65, 23.19, 23.10, 23.33, 22.68, 23.10, 22.40, 22.17,
    ];

    private static readonly double[] PublishedEma10 =
    [
        22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.80, 22.97, 23.13, 23.28, 23.34,
        23.43, 23.51, 23.53, 23.47, 23.40, 23.39, 23.26, 23.23, 23.08, 22.92,
    ];

    [Fact]
    public void Ema_ReproducesPublishedStockChartsTable()
    {
        var ema = Stats(new EmaOptions(10), Closes);
        Assert.All(ema[..9], e => Assert.Null(e));
        for (var i = 0; i < PublishedEma10.Length; i++)
        {
            Assert.True(Math.Abs(ema[i + 9]!.Value - PublishedEma10[i]) <= 0.005, $"EMA10[{i + 9}] = {ema[i + 9]} vs {PublishedEma10[i]}");
        }
    }

    [Fact]
    public void Sma_HandComputed_OnThePublishedCloses()
    {
        var sma = Stats(new SmaOptions(10), Closes);
        Assert.All(sma[..9], e => Assert.Null(e));
        // First: (22.27 + 22.19 + ... + 22.29) / 10 = 222.21 / 10.
        Assert.Equal(22.221, sma[9]!.Value, 10);
        // Next window drops 22.27 and adds 22.15: 222.09 / 10.
        Assert.Equal(22.209, sma[10]!.Value, 10);
        Assert.Equal(Closes[20..].Average(v => v!.Value), sma[^1]!.Value, 10);
    }

    [Fact]
    public void Ema_HandComputed_Small()
    {
        // Period 3, alpha 0.5: seed (1 + 2 + 3) / 3 = 2; then 2 + 0.5 (5 - 2) = 3.5; 3.5 + 0.5 (2 - 3.5) = 2.75.
        Assert.Equal([null, null, 2.0, 3.5, 2.75], Stats(new EmaOptions(3), 1, 2, 3, 5, 2));
        // Missing values are skipped: no decay, the next value continues the recursion.
        Assert.Equal([null, null, 2.0, null, 3.5, 2.75], Stats(new EmaOptions(3), 1, 2, 3, null, 5, 2));
        Assert.Equal([4.0, 6.0], Stats(new EmaOptions(1), 4, 6));
    }

    [Fact]
    public void Sugar_EqualsGenericOperator()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new SmaOptions(8), input), input.ToObservable().Sma(8).ToList().Wait());
        Assert.Equal(RollingBatch.Compute(new EmaOptions(8), input), input.ToObservable().Ema(8).ToList().Wait());
        Assert.Equal(RollingBatch.Compute(new SmaOptions(), input), input.ToObservable().Sma().ToList().Wait());
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Equal("Period", Assert.Throws<ArgumentOutOfRangeException>(() => new SmaOptions(0).CreateKernel()).ParamName);
        Assert.Equal("Period", Assert.Throws<ArgumentOutOfRangeException>(() => new EmaOptions(-1).CreateKernel()).ParamName);
        Assert.Equal(20, new SmaOptions().Period);
        Assert.Equal(20, new EmaOptions().Period);
    }
}
