using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Forecasting;

public class RollingForecastTests
{
    /// <summary>A kernel whose h-step forecast is "rows seen × 10 + h", so each output names when it was made.</summary>
    private sealed class Recorder : IForecasterKernel
    {
        private int _seen;

        public void Forecast(Span<ForecastPoint> destination)
        {
            for (var h = 0; h < destination.Length; h++)
            {
                destination[h] = ForecastPoint.Point((_seen * 10) + h + 1);
            }
        }

        public void Update(DateTime timestamp, double? value) => _seen++;
    }

    private sealed record RecorderForecaster : IForecaster
    {
        public string Name => "recorder";

        public string Spec => "recorder";

        public IForecasterKernel CreateKernel() => new Recorder();
    }

    [Fact]
    public void OneStep_RowGetsTheForecastMadeFromAllRowsBeforeIt()
    {
        var out1 = AssertStreamEqualsBatch(new RecorderForecaster(), Series("s", 1, 2, 3, 4));
        // Row t: made after t rows, 1 step ahead -> t*10 + 1.
        Assert.Equal([1.0, 11, 21, 31], out1.Select(f => f.Forecast.Value));
    }

    [Fact]
    public void ThreeStep_RowGetsTheThirdStepOfTheForecastMadeTwoRowsEarlier()
    {
        var out3 = AssertStreamEqualsBatch(new RecorderForecaster(), Series("s", 1, 2, 3, 4, 5, 6), horizon: 3);
        // Row t (t >= 2): made before row t-2, i.e. after t-2 rows, 3 steps ahead -> (t-2)*10 + 3.
        Assert.Equal([null, null, 3.0, 13, 23, 33], out3.Select(f => f.Forecast.Value));
    }

    [Fact]
    public void Naive_CarriesLastPresentValue_SkipsMissing()
    {
        var f = AssertStreamEqualsBatch(new NaiveForecaster(), Series("s", null, 5, null, 7), horizon: 1);
        Assert.Equal([null, null, 5.0, 5.0], f.Select(x => x.Forecast.Value));
        Assert.All(f, x => Assert.Null(x.Forecast.Lower));
    }

    [Fact]
    public void PerSeries_StateIsIsolated()
    {
        var mixed = AssertStreamEqualsBatch(new NaiveForecaster(), Interleave(Series("a", 1, 2, 3), Series("b", 10, 20, 30)));
        Assert.Equal([null, 1.0, 2.0], mixed.Where(x => x.Observation.Series == "a").Select(x => x.Forecast.Value));
        Assert.Equal([null, 10.0, 20.0], mixed.Where(x => x.Observation.Series == "b").Select(x => x.Forecast.Value));
    }
}
