using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;

namespace Workbench.Tests.Operators.Forecasting;

public class SeasonalNaiveForecasterTests
{
    [Fact]
    public void OneStep_IsTheValueOneSeasonEarlier()
    {
        var f = Values(new SeasonalNaiveForecaster(Period: 3), 1, 2, 3, 4, 5, 6, 7);
        Assert.Equal([null, null, null, 1.0, 2, 3, 4], f);
    }

    [Fact]
    public void Missing_AdvancesThePhase_AndCarriesTheSlotFromASeasonEarlier()
    {
        // Period 2: phase 1 is missing at row 3, so row 5 (phase 1) still gets the value from row 1.
        var f = Values(new SeasonalNaiveForecaster(Period: 2), 1, 2, 3, null, 5, 6);
        Assert.Equal([null, null, 1.0, 2, 3, 2], f);
    }

    [Fact]
    public void LeadingMissing_LeavesItsPhaseWithoutForecast()
    {
        var f = Values(new SeasonalNaiveForecaster(Period: 2), null, 2, null, 4, 5);
        Assert.Equal([null, null, null, 2.0, null], f);
    }

    [Fact]
    public void HStep_UsesTheLatestValueAtEachPhase()
    {
        var ahead = After(new SeasonalNaiveForecaster(Period: 2), [1, 2, 3, null, 5, 6], 5);
        Assert.Equal([5.0, 6, 5, 6, 5], ahead.Select(p => p.Value));
    }

    [Fact]
    public void Interval_FromRunningOneStepErrors_WidensBySqrtOfSeasonsAhead()
    {
        // Period 1 over 0,1,0,1,…: every one-step error is ±1, so σ² = 1 once 10 errors are in.
        var values = Enumerable.Range(0, 11).Select(i => (double?)(i % 2)).ToArray();
        var rolling = Points(new SeasonalNaiveForecaster(Period: 1), values);
        Assert.All(rolling, p => Assert.Null(p.Lower)); // row 10 is forecast after only 9 errors
        var ahead = After(new SeasonalNaiveForecaster(Period: 1), values, 4);
        var z = PredictionInterval.ZScore(0.95);
        for (var h = 1; h <= 4; h++)
        {
            Assert.Equal(0, ahead[h - 1].Value);
            Assert.Equal(z * Math.Sqrt(h), HalfWidth(ahead[h - 1]), 12);
        }

        // Period 3, horizon 7: k = ⌊(h−1)/3⌋ → multipliers 1,1,1,√2,√2,√2,√3.
        var seasonal = Enumerable.Range(0, 40).Select(i => (double?)((i % 3) + (i % 2))).ToArray();
        var p3 = After(new SeasonalNaiveForecaster(Period: 3), seasonal, 7);
        var one = HalfWidth(p3[0]);
        double[] expected = [1, 1, 1, Math.Sqrt(2), Math.Sqrt(2), Math.Sqrt(2), Math.Sqrt(3)];
        for (var h = 0; h < 7; h++)
        {
            Assert.Equal(expected[h], HalfWidth(p3[h]) / one, 12);
        }
    }
}
