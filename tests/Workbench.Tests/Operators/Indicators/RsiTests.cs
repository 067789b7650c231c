using System.Reactive.Linq;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Indicators;

public class RsiTests
{
    // StockCharts ChartSchool, "Relative Strength Index (RSI)" worked example (spreadsheet cs-rsi.xls): 33 closes at
    // the precision of the spreadsheet (the page prints them rounded to 2 decimals) and the 14-period RSI column,
    // printed to 2 decimals. First average gain/loss = simple mean of the first 14 changes, then Wilder smoothing.
    private static readonly double?[] Closes =
    [
        44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826,
        45.8931, 46.0328, 45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439,
        46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672,
        43.4205, 42.6628, 43.1314,
    ];

    private static readonly double[] PublishedRsi14 =
    [
        70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38,
        54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77,
    ];

    [Fact]
    public void Rsi_ReproducesPublishedStockChartsTable()
    {
        var rsi = Stats(new RsiOptions(14), Closes);
        Assert.All(rsi[..14], r => Assert.Null(r)); // 15 closes are needed for 14 changes
        for (var i = 0; i < PublishedRsi14.Length; i++)
        {
            Assert.True(Math.Abs(rsi[i + 14]!.Value - PublishedRsi14[i]) <= 0.005, $"RSI[{i + 14}] = {rsi[i + 14]} vs {PublishedRsi14[i]}");
        }
    }

    [Fact]
    public void Rsi_HandComputed_Period3()
    {
        // Closes 10, 11, 10, 12, 12, 9: changes +1, -1, +2, 0, -3.
        // Seed over the first 3 changes: avgGain 3/3 = 1, avgLoss 1/3 -> RS 3 -> RSI 75.
        // Next change 0: avgGain (1*2 + 0)/3 = 2/3, avgLoss (1/3*2 + 0)/3 = 2/9 -> RS 3 -> RSI 75.
        // Next change -3: avgGain (2/3*2)/3 = 4/9, avgLoss (2/9*2 + 3)/3 = 31/27 -> RS 12/31 -> RSI 100 - 100/(43/31).
        var rsi = Stats(new RsiOptions(3), 10, 11, 10, 12, 12, 9);
        Assert.Equal([null, null, null], rsi[..3]);
        Assert.Equal(75, rsi[3]!.Value, 12);
        Assert.Equal(75, rsi[4]!.Value, 12);
        Assert.Equal(100 - (100 / (43.0 / 31)), rsi[5]!.Value, 12);
    }

    [Fact]
    public void Rsi_Extremes_AllUp100_AllDown0_Flat50()
    {
        Assert.Equal(100, Stats(new RsiOptions(3), 1, 2, 3, 4, 5)[^1]);
        Assert.Equal(0, Stats(new RsiOptions(3), 5, 4, 3, 2, 1)[^1]);
        Assert.Equal(50, Stats(new RsiOptions(3), 7, 7, 7, 7, 7)[^1]);
    }

    [Fact]
    public void Rsi_Missing_MeasuresTheNextChangeFromTheLastPresentValue()
    {
        var gapped = Stats(new RsiOptions(3), 10, 11, null, 10, 12, 12, 9);
        var dense = Stats(new RsiOptions(3), 10, 11, 10, 12, 12, 9);
        Assert.Null(gapped[2]);
        Assert.Equal(dense, gapped.Where((_, i) => i != 2));
    }

    [Fact]
    public void Sugar_EqualsGenericOperator_DefaultPeriod14()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new RsiOptions(14), input), input.ToObservable().Rsi().ToList().Wait());
        Assert.Equal(14, new RsiOptions().Period);
    }

    [Fact]
    public void Options_OutOfRange_Throw() =>
        Assert.Equal("Period", Assert.Throws<ArgumentOutOfRangeException>(() => new RsiOptions(0).CreateKernel()).ParamName);
}
