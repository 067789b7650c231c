using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;

namespace Workbench.Tests.Operators.Forecasting;

public class MovingAverageForecasterTests
{
    [Fact]
    public void OneStep_IsTheMeanOfTheLastWindow_AfterTheWindowFills()
    {
        var f = Values(new MovingAverageForecaster(Window: 3), 1, 2, 3, 6, 9);
        Assert.Null(f[0]);
        Assert.Null(f[2]);
        Assert.Equal(2.0, f[3]!.Value, 12);
        Assert.Equal(11.0 / 3, f[4]!.Value, 12);
    }

    [Fact]
    public void Missing_IsSkipped_WindowHoldsLastPresentValues()
    {
        var f = Points(new MovingAverageForecaster(Window: 3), [1, 2, null, 6, 4]);
        Assert.Equal([null, null, null, null], f[..4].Select(p => p.Value));
        // Window 1, 2, 6: mean 3, sample variance (4 + 1 + 9) / 2 = 7; interval ± t₂·sqrt(7·(1 + 1/3)), t₂ = 4.3027.
        Assert.Equal(3.0, f[4].Value!.Value, 12);
        Assert.Equal(4.302652729749464 * Math.Sqrt(7 * 4.0 / 3), HalfWidth(f[4]), 12);
    }

    [Fact]
    public void HStep_IsFlat_WithTheSameInterval()
    {
        var ahead = After(new MovingAverageForecaster(Window: 4, IntervalLevel: 0.8), [5, 1, 2, 3, 4], 3);
        Assert.All(ahead, p => Assert.Equal(2.5, p.Value!.Value, 12));
        var expected = PredictionInterval.StudentT(0.8, 3) * Math.Sqrt((5.0 / 3) * 1.25); // var of 1..4 = 5/3
        Assert.All(ahead, p => Assert.Equal(expected, HalfWidth(p), 12));
    }

    [Fact]
    public void WindowOne_IsNaive_WithoutInterval()
    {
        var f = Points(new MovingAverageForecaster(Window: 1), [3, null, 5]);
        Assert.Equal([null, 3.0, 3.0], f.Select(p => p.Value));
        Assert.All(f, p => Assert.Null(p.Upper));
    }
}
