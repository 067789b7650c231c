using Workbench.Core;
using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Forecasting;

public class DailyProfileForecasterTests
{
    private static readonly TimeSpan SixHours = TimeSpan.FromHours(6);
    private static readonly DailyProfileForecaster TwoClusters = new(K: 2, Days: 3, Slots: 4);

    // Day profiles over four 6-hour slots: "low" [1,2,3,4], "high" [10,20,30,40], and a low variant with a gap.
    private static readonly double?[] Low = [1, 2, 3, 4];
    private static readonly double?[] High = [10, 20, 30, 40];
    private static readonly double?[] LowWithGap = [2, null, 4, 5]; // closes as [2, 3, 4, 5]

    private static double?[] Days(params double?[][] days) => days.SelectMany(d => d).ToArray();

    [Fact]
    public void NoForecast_BeforeKDaysAreClustered()
    {
        var f = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, High, [1])));
        Assert.All(f, x => Assert.Null(x.Forecast.Value)); // clustering happens when day 3's first row arrives
    }

    [Fact]
    public void Forecast_IsTheNearestProfilesValueAtTheSlot()
    {
        // After low, high: the first row of day 3 (value 1 at slot 0) is nearest to "low": slot 1 → 2.
        var f = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, High, [1, 2, 3])));
        Assert.Equal([2.0, 3.0], f[^2..].Select(x => x.Forecast.Value));
        Assert.All(f, x => Assert.Null(x.Forecast.Lower)); // one-day clusters: no interval

        // A "high" start picks the other profile.
        var g = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, High, [11, 0])));
        Assert.Equal(20.0, g[^1].Forecast.Value);
    }

    [Fact]
    public void GapInADay_IsInterpolated_AndTheClusterSpreadGivesTheInterval()
    {
        // Days low, high, low-with-gap; then day 4 starts with 1. Clusters: {low, [2,3,4,5]} → centre
        // [1.5, 2.5, 3.5, 4.5], sample variance 0.5 per slot, 2 members; {high}.
        var f = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, High, LowWithGap, [1, 0])));
        var last = f[^1].Forecast;
        Assert.Equal(2.5, last.Value!.Value, 12);
        // Two members: Student t with 1 df (Cauchy), P(|T| ≤ t) = 2·atan(t)/π = 0.95 ⇒ t = tan(0.95·π/2) = 12.706.
        Assert.Equal(Math.Tan(0.95 * Math.PI / 2) * Math.Sqrt(0.5 * 1.5), HalfWidth(last), 9);
    }

    [Fact]
    public void HStep_WalksTheSlotsOfTheChosenProfile_PastMidnight()
    {
        var ahead = After(TwoClusters, Timed("s", SixHours, Days(Low, High, LowWithGap, [1])));
        Assert.Equal([2.5, 3.5, 4.5, 1.5, 2.5], ahead.Select(p => Math.Round(p.Value!.Value, 12)));
    }

    [Fact]
    public void StartOfDay_UsesTheClusterOfTheLatestDay()
    {
        // After low, high, low: the forecast for day 4's first row (made before any day-4 value) is from "low".
        var f = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, High, Low, [5])));
        Assert.Equal(1.0, f[^1].Forecast.Value);
        var g = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, High, High, [5])));
        Assert.Equal(10.0, g[^1].Forecast.Value);
    }

    [Fact]
    public void DayBelowCoverage_IsNotUsed()
    {
        // Day 2 has one value in four slots (coverage 0.5 needs 2): history stays [low] until day 3 closes.
        var sparse = new double?[] { 50, null, null, null };
        var f = AssertStreamEqualsBatch(TwoClusters, Timed("s", SixHours, Days(Low, sparse, High, [1, 0])));
        Assert.Equal(2.0, f[^1].Forecast.Value); // clustered on {low, high}; the sparse day is absent
        Assert.All(f[..^1], x => Assert.Null(x.Forecast.Value));
    }

    [Fact]
    public void SlotsAverageRowsWithinASlot()
    {
        // Hourly rows with slots=4: each 6-hour slot is the mean of six rows.
        var day1 = Enumerable.Range(0, 24).Select(h => (double?)(h / 6 * 10)).ToArray(); // 0,0,…,10,…,30
        var day2 = Enumerable.Range(0, 24).Select(h => (double?)((h / 6 * 10) + 100)).ToArray();
        var input = Timed("s", TimeSpan.FromHours(1), [.. day1, .. day2, 1]);
        var ahead = After(new DailyProfileForecaster(K: 2, Days: 2, Slots: 4), input);
        Assert.Equal(0.0, ahead[0].Value); // 01:00 → slot 0 of the profile nearest to [1]
        var far = After(new DailyProfileForecaster(K: 2, Days: 2, Slots: 4), input, 7);
        Assert.Equal(10.0, far[6].Value); // 07:00 → slot 1
    }

    [Fact]
    public void SlotsZero_InfersOneSlotPerRowFromTheCadence()
    {
        var input = Timed("s", SixHours, Days(Low, High, LowWithGap, [1, 0]));
        var inferred = AssertStreamEqualsBatch(new DailyProfileForecaster(K: 2, Days: 3, Slots: 0), input);
        var given = AssertStreamEqualsBatch(TwoClusters, input);
        Assert.Equal(given.Select(x => x.Forecast), inferred.Select(x => x.Forecast));
    }

    [Fact]
    public void SlotsZero_CadenceNotDividingADay_ThrowsNamingSeries()
    {
        var input = Timed("meter-7", TimeSpan.FromMinutes(7), 1, 2, 3);
        var e = Assert.Throws<ForecastInputException>(() => ForecasterBatch.Forecast(new DailyProfileForecaster(Slots: 0), input));
        Assert.Equal("meter-7", e.Series);
        Assert.Equal(input[1].Timestamp, e.Timestamp);
        Assert.Contains("slots=", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfOrderRow_ThrowsNamingSeriesAndTimestamp()
    {
        var input = Timed("s", SixHours, 1, 2, 3);
        input.Add(LabeledObservation.Normal("s", T0.AddHours(1), 4));
        var e = Assert.Throws<ForecastInputException>(() => ForecasterBatch.Forecast(TwoClusters, input));
        Assert.Equal("s", e.Series);
        Assert.Contains("earlier than the previous row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_AddsNothingToItsSlot_NeverNaN()
    {
        var input = Timed("s", SixHours, Days(Low, [null, null, null, null], High, [null, null, 3, null], Low, [1, null, null]));
        var f = AssertStreamEqualsBatch(TwoClusters, input);
        Assert.All(f, x => Assert.False(x.Forecast.Value is { } v && double.IsNaN(v)));
        Assert.Equal(2.0, f[^2].Forecast.Value); // day 6 starts with 1: "low"
    }

    [Fact]
    public void KMeans_IsDeterministic_AndSeparatesTwoDayTypes()
    {
        // 20 days alternating weekday/weekend shapes with noise: with k = 2 the forecast follows the day type.
        var noise = Gaussian(3, 20 * 24);
        var values = new List<double?>();
        for (var d = 0; d < 20; d++)
        {
            for (var h = 0; h < 24; h++)
            {
                var weekday = d % 2 == 0;
                values.Add((weekday ? 50 + (30 * Math.Sin(Math.PI * h / 24)) : 20) + noise[(d * 24) + h]);
            }
        }

        values.Add(50); // day 21 starts like a weekday
        var input = Timed("s", TimeSpan.FromHours(1), [.. values]);
        var forecaster = new DailyProfileForecaster(K: 2, Days: 14, Slots: 24);
        var first = AssertStreamEqualsBatch(forecaster, input);
        var second = AssertStreamEqualsBatch(forecaster, input);
        Assert.Equal(first, second);
        var next = After(forecaster, input, 12)[11].Value!.Value; // 12:00 on a weekday ≈ 50 + 30
        Assert.InRange(next, 75, 85);
    }

    [Fact]
    public void Train_ClustersOnceOnTheFirstNDays_ThenTheProfilesAreFrozen()
    {
        var trained = new DailyProfileForecaster(K: 2, Days: 4, Slots: 4, Train: 2);
        // Days 1-2 train ("low", "high"); day 3 ("low") is not forecast before training ends, then days of 100s follow.
        var input = Timed("s", SixHours, Days(Low, High, [1, 2, 3, 4], [100, 100, 100, 100], [100, 100, 100, 100], [100, 100]));
        var f = AssertStreamEqualsBatch(trained, input);
        Assert.All(f[..8], x => Assert.Null(x.Forecast.Value)); // training days: no forecast
        Assert.Equal(2.0, f[9].Forecast.Value);                  // day 3 starts with 1: the "low" profile
        // Two days of 100s later the trained profiles have not moved: the nearest stays "high", slot 1 → 20.
        Assert.Equal(20.0, f[^1].Forecast.Value);

        // The rolling benchmark (train=0) learns the new days and follows them.
        var rolling = AssertStreamEqualsBatch(new DailyProfileForecaster(K: 2, Days: 4, Slots: 4), input);
        Assert.InRange(rolling[^1].Forecast.Value!.Value, 50, 100);
    }

    [Fact]
    public void Weekly_StartsADayWithTheClusterOfTheSameWeekdayLastWeek()
    {
        // Trained on Mon 2024-01-01 ("low") and Tue ("high"); Wed 3rd is "low", Thu..Tue are "high"; then Wed 10th.
        var days = new List<double?[]> { Low, High, Low };
        days.AddRange(Enumerable.Repeat(High, 6));
        days.Add([1, 2]);
        var input = Timed("s", SixHours, Days([.. days]));
        var weekly = AssertStreamEqualsBatch(new DailyProfileForecaster(K: 2, Days: 2, Slots: 4, Train: 2, Weekly: true), input);
        var plain = AssertStreamEqualsBatch(new DailyProfileForecaster(K: 2, Days: 2, Slots: 4, Train: 2), input);
        Assert.Equal(1.0, weekly[36].Forecast.Value);  // Wed 10th 00:00: last Wednesday was "low"
        Assert.Equal(10.0, plain[36].Forecast.Value);  // without: the cluster of the latest training day ("high")
        Assert.Equal(2.0, weekly[37].Forecast.Value);  // once the day has a quarter of its slots, its own shape decides
    }

    [Theory]
    [InlineData("daily-profile(k=3,days=28,train=2)")]
    [InlineData("daily-profile(k=3,days=28,train=29)")]
    [InlineData("daily-profile(train=-1)")]
    [InlineData("daily-profile(weekly=true)")]
    public void Train_OutsideKToDays_IsRejectedNamingTrain(string spec)
    {
        var e = Assert.ThrowsAny<Exception>(() => Workbench.Operators.Specs.OperatorCatalog.BuiltIn.ParseForecaster(spec));
        Assert.Contains("train", e.Message, StringComparison.Ordinal);
    }

    private static ForecastPoint[] After(IForecaster forecaster, List<LabeledObservation> input, int horizon = 5)
    {
        var kernel = forecaster.CreateKernel();
        foreach (var o in input)
        {
            kernel.Update(o.Timestamp, o.Value);
        }

        var result = new ForecastPoint[horizon];
        kernel.Forecast(result);
        return result;
    }
}
