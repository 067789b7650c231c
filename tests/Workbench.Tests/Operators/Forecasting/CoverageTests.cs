using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;

namespace Workbench.Tests.Operators.Forecasting;

/// <summary>
/// Interval sanity: on series that follow each method's model with Gaussian noise, about 95 % of one-step actuals
/// fall inside the 95 % interval after warm-up (4000 rows: the binomial standard error is 0.0034, so the bounds
/// [0.935, 0.965] are about ±4.5 standard errors). Seeds are fixed, so the outcome is deterministic.
/// </summary>
public class CoverageTests
{
    private const int N = 4000;

    public static TheoryData<string> Cases() =>
    [
        "seasonal-naive", "moving-average", "ses", "holt", "holt-damped", "holt-winters-additive", "holt-winters-multiplicative",
        "ar-periodic", "ar-recursive", "daily-profile",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneStep95PercentInterval_CoversAbout95Percent(string name)
    {
        var e = Gaussian(name.Length * 7919, N);
        (IForecaster Forecaster, double?[] Values, double Low, double High) c = name switch
        {
            "seasonal-naive" => ((IForecaster)new SeasonalNaiveForecaster(Period: 24), Make(i => Season(i, 24) + (2 * e[i])), 0.935, 0.965),
            "moving-average" => (new MovingAverageForecaster(Window: 100), Make(i => 10 + (2 * e[i])), 0.935, 0.965),
            "ses" => (new SesForecaster(Alpha: 0.3), RandomWalkPlusNoise(e, 0.5, 1), 0.935, 0.965),
            "holt" => (new HoltForecaster(Alpha: 0.3, Beta: 0.05), Make(i => 5 + (0.2 * i) + e[i]), 0.935, 0.965),
            "holt-damped" => (new HoltForecaster(Alpha: 0.3, Beta: 0.05, Damped: true, Phi: 0.95), Make(i => 5 + (0.2 * i) + e[i]), 0.935, 0.965),
            "holt-winters-additive" => (new HoltWintersForecaster(0.2, 0.02, 0.1, 24), Make(i => 50 + (0.01 * i) + Season(i, 24) + e[i]), 0.935, 0.965),
            "holt-winters-multiplicative" => (new HoltWintersForecaster(0.2, 0.02, 0.1, 24, Seasonality.Multiplicative),
                Make(i => (100 + (0.01 * i)) * (1 + (0.3 * Math.Sin(2 * Math.PI * i / 24))) * (1 + (0.02 * e[i]))), 0.935, 0.965),
            "ar-periodic" => (new ArForecaster(P: 2, Every: 50, Window: 300), Ar2(e), 0.935, 0.965),
            "ar-recursive" => (new ArForecaster(P: 2, Refit: ArRefit.Recursive, Window: 100), Ar2(e), 0.935, 0.965),
            // Hourly weeks of five "weekdays" and two "weekend" days with i.i.d. noise. The first row of a day is
            // forecast from the previous day's cluster, so it misses at the two day-type changes a week (1.2 % of
            // rows): accept [0.925, 0.965].
            "daily-profile" => (new DailyProfileForecaster(K: 2, Days: 28, Slots: 24),
                Make(i => ((i / 24 % 7 < 5) ? 50 + (30 * Math.Sin(Math.PI * (i % 24) / 24)) : 20) + (2 * e[i])), 0.925, 0.965),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var (forecaster, values, low, high) = c;
        var points = Points(forecaster, values, step: TimeSpan.FromHours(1)); // hourly: the daily profile sees ~166 days
        int inside = 0, counted = 0;
        for (var t = 500; t < N; t++)
        {
            if (points[t].Lower is { } lo && points[t].Upper is { } hi)
            {
                counted++;
                inside += values[t] >= lo && values[t] <= hi ? 1 : 0;
            }
        }

        Assert.True(counted > 3000, $"{name}: only {counted} intervals");
        var coverage = (double)inside / counted;
        Assert.InRange(coverage, low, high);
    }

    private static double Season(int i, int period) => 10 * Math.Sin(2 * Math.PI * i / period);

    private static double?[] Make(Func<int, double> f) => Enumerable.Range(0, N).Select(i => (double?)f(i)).ToArray();

    private static double?[] RandomWalkPlusNoise(double[] e, double walk, double noise)
    {
        var extra = Gaussian(99, N);
        var level = 0.0;
        var result = new double?[N];
        for (var i = 0; i < N; i++)
        {
            level += walk * extra[i];
            result[i] = level + (noise * e[i]);
        }

        return result;
    }

    private static double?[] Ar2(double[] e)
    {
        var result = new double?[N];
        double a = 10, b = 10;
        for (var i = 0; i < N; i++)
        {
            var y = 3 + (0.5 * a) + (0.2 * b) + e[i];
            (b, a) = (a, y);
            result[i] = y;
        }

        return result;
    }
}
