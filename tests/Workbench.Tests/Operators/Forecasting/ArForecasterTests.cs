using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;

namespace Workbench.Tests.Operators.Forecasting;

public class ArForecasterTests
{
    [Fact]
    public void Periodic_ExactAr1_FitsPhiTwo_ZeroInterval()
    {
        // Window 4 over 1, 2, 4, 8: rows (1→2), (2→4), (4→8) fit y = 2·y(t−1) exactly; σ² = 0.
        var f = Points(new ArForecaster(P: 1, Every: 1, Window: 4), [1, 2, 4, 8, 16, 32]);
        Assert.Equal([null, null, null, null], f[..4].Select(p => p.Value));
        Assert.Equal(16, f[4].Value!.Value, 9);
        Assert.Equal(32, f[5].Value!.Value, 9);
        Assert.Equal(0, HalfWidth(f[5]), 9);
        var ahead = After(new ArForecaster(P: 1, Every: 1, Window: 4), [1, 2, 4, 8], 3);
        Assert.Equal([16.0, 32, 64], ahead.Select(p => Math.Round(p.Value!.Value, 9)));
    }

    [Fact]
    public void Periodic_HandComputedOls_InterceptSlopeAndSigma()
    {
        // Rows (1→2), (2→4), (4→7): slope 69/42 = 23/14, intercept 13/3 − (23/14)(7/3) = 1/2, SSR = 1/14, df = 1.
        var forecaster = new ArForecaster(P: 1, Every: 1, Window: 4);
        var ahead = After(forecaster, [1, 2, 4, 7], 2);
        var phi = 23.0 / 14;
        var z = PredictionInterval.ZScore(0.95);
        Assert.Equal(0.5 + (phi * 7), ahead[0].Value!.Value, 12);
        Assert.Equal(z * Math.Sqrt(1.0 / 14), HalfWidth(ahead[0]), 12);
        Assert.Equal(0.5 + (phi * (0.5 + (phi * 7))), ahead[1].Value!.Value, 12);
        Assert.Equal(z * Math.Sqrt((1.0 / 14) * (1 + (phi * phi))), HalfWidth(ahead[1]), 12);
    }

    [Fact]
    public void Periodic_RefitsOnlyEveryNRows()
    {
        // Window 4, every 2: fits after rows 4 and 6. The row-5 forecast still uses the row-4 fit (φ = 2).
        var f = Values(new ArForecaster(P: 1, Every: 2, Window: 4), 1, 2, 4, 8, 16, 100, 0);
        Assert.Equal(32, f[5]!.Value, 9);
        // Refit on 4, 8, 16, 100: rows (4→8), (8→16), (16→100).
        double[] x = [4, 8, 16], y = [8, 16, 100];
        var (c, phi) = Ols(x, y);
        Assert.Equal(c + (phi * 100), f[6]!.Value, 9);
    }

    [Fact]
    public void Missing_RowsTouchingAGapAreLeftOutOfTheFit()
    {
        // Window 6 over 1, 2, 4, null, 16, 32: valid rows (1→2), (2→4), (16→32) — all on y = 2·y(t−1).
        var f = Values(new ArForecaster(P: 1, Every: 1, Window: 6), 1, 2, 4, null, 16, 32, 0);
        Assert.Equal(64, f[6]!.Value, 9);
    }

    [Fact]
    public void Missing_AfterTheFit_IsImputedWithTheOneStepForecast()
    {
        var forecaster = new ArForecaster(P: 1, Every: 100, Window: 4);
        var f = Values(forecaster, 1, 2, 4, 8, null, 0);
        Assert.Equal(16, f[4]!.Value, 9);
        Assert.Equal(32, f[5]!.Value, 9); // lag = imputed 16
        Assert.Equal(Values(forecaster, 1, 2, 4, 8, 16, 0), f);
    }

    [Fact]
    public void Missing_BeforeTheFirstPresentValue_IsNotCounted()
    {
        var forecaster = new ArForecaster(P: 1, Every: 1, Window: 4);
        var shifted = Values(forecaster, null, null, 1, 2, 4, 8, 0);
        Assert.Equal(Values(forecaster, 1, 2, 4, 8, 0), shifted[2..]);
    }

    [Fact]
    public void TooFewCompleteRows_SkipsTheFit()
    {
        // Window 4, p = 1: with one gap only (1→2) and no other complete row remain: no fit, no forecast.
        var f = Values(new ArForecaster(P: 1, Every: 1, Window: 4), 1, 2, null, 8, 0);
        Assert.All(f, v => Assert.Null(v));
    }

    [Fact]
    public void FlatSeries_DropsCollinearLags_ForecastsTheConstant()
    {
        var f = Points(new ArForecaster(P: 3, Every: 1, Window: 10), Enumerable.Repeat((double?)5, 14).ToArray());
        Assert.All(f[10..], p => Assert.Equal(5, p.Value!.Value, 12));
        Assert.All(f[10..], p => Assert.Equal(0, HalfWidth(p), 12));
    }

    [Fact]
    public void Recursive_EqualsPeriodicOnTheGrowingWindow()
    {
        // Recursive with forget 1 after row n = OLS on all rows so far; compare with a periodic fit whose window
        // is exactly those rows (a fresh forecaster per length).
        var noise = Gaussian(9, 60);
        var values = new double?[60];
        double a = 0, b = 0;
        for (var i = 0; i < 60; i++)
        {
            var y = 1 + (0.6 * a) - (0.2 * b) + noise[i];
            (b, a) = (a, y);
            values[i] = y;
        }

        var recursive = Values(new ArForecaster(P: 2, Refit: ArRefit.Recursive, Window: 20), values);
        foreach (var n in new[] { 20, 21, 35, 59 })
        {
            var periodic = After(new ArForecaster(P: 2, Every: 1, Window: n), values[..n], 1);
            Assert.Equal(periodic[0].Value!.Value, recursive[n]!.Value, 10);
        }
    }

    [Fact]
    public void Recursive_ForgetDiscountsOldRows()
    {
        // A regime change: the fit with forgetting moves to the new regime faster than without.
        var values = Enumerable.Range(0, 200).Select(i => (double?)(i < 100 ? (i % 2 == 0 ? 1 : -1) : (i % 2 == 0 ? 5 : 6))).ToArray();
        var keep = Values(new ArForecaster(P: 1, Refit: ArRefit.Recursive, Window: 20), values);
        var forget = Values(new ArForecaster(P: 1, Refit: ArRefit.Recursive, Window: 20, Forget: 0.9), values);
        // Row 199 (odd: actual 6) is forecast from row 198 (5).
        Assert.True(Math.Abs(forget[199]!.Value - 6) < 0.01, $"forget: {forget[199]}");
        Assert.True(Math.Abs(keep[199]!.Value - 6) > 0.1, $"keep: {keep[199]}");
    }

    private static (double C, double Phi) Ols(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        var sxx = x.Sum(a => (a - mx) * (a - mx));
        var phi = sxy / sxx;
        return (my - (phi * mx), phi);
    }
}
