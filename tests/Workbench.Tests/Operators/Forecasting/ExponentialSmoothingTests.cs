using Workbench.Core;
using Workbench.Operators.Forecasting;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Forecasting;

/// <summary>SES, Holt and Holt-Winters on small inputs computed by hand (binary fractions, so exact).</summary>
public class ExponentialSmoothingTests
{
    [Fact]
    public void Ses_HandComputed_MissingKeepsTheLevel()
    {
        // ℓ = y₁ = 4; then ℓ = 0.5·8 + 0.5·4 = 6; missing → 6; then 0.5·2 + 0.5·6 = 4.
        var f = Values(new SesForecaster(Alpha: 0.5), 4, 8, null, 2, 1);
        Assert.Equal([null, 4.0, 6, 6, 4], f);
    }

    [Fact]
    public void Ses_LeadingMissing_AreSkipped()
    {
        Assert.Equal([null, null, null, 4.0], Values(new SesForecaster(Alpha: 0.5), null, null, 4, 8));
    }

    [Fact]
    public void Ses_HStep_IsFlat_VarianceGrowsByAlphaSquared()
    {
        var values = Gaussian(1, 50).Select(x => (double?)x).ToArray();
        var ahead = After(new SesForecaster(Alpha: 0.4), values, 5);
        var one = HalfWidth(ahead[0]);
        for (var h = 1; h <= 5; h++)
        {
            Assert.Equal(ahead[0].Value, ahead[h - 1].Value);
            Assert.Equal(Math.Sqrt(1 + ((h - 1) * 0.16)), HalfWidth(ahead[h - 1]) / one, 12);
        }
    }

    [Fact]
    public void Holt_HandComputed_InitialisesFromTheFirstTwoValues()
    {
        // ℓ₀ = 1, b₀ = 2; replay 1 → ℓ = 2, b = 1.5; replay 3 → ℓ = 3.25, b = 1.375; forecast 4.625.
        // 4 → ℓ = 4.3125, b = 1.21875; forecast 5.53125; missing → imputed, ℓ = 5.53125, b unchanged; forecast 6.75.
        var f = Values(new HoltForecaster(Alpha: 0.5, Beta: 0.5), 1, 3, 4, null, 10);
        Assert.Equal([null, null, 4.625, 5.53125, 6.75], f);
        var ahead = After(new HoltForecaster(Alpha: 0.5, Beta: 0.5), [1, 3, 4], 3);
        Assert.Equal([5.53125, 6.75, 7.96875], ahead.Select(p => p.Value));
    }

    [Fact]
    public void Holt_Damped_HStepAddsDampedTrend()
    {
        // ℓ₀ = 1, b₀ = 2, φ = 0.5; after 1, 3: ℓ = 2.4375, b = 0.65625; ŷ(h) = ℓ + (φ + … + φʰ)·b.
        var ahead = After(new HoltForecaster(Alpha: 0.5, Beta: 0.5, Damped: true, Phi: 0.5), [1, 3], 3);
        Assert.Equal([2.765625, 2.9296875, 3.01171875], ahead.Select(p => p.Value));
    }

    [Fact]
    public void Holt_DampedFlag_IgnoresPhiWhenFalse()
    {
        var values = new double?[] { 1, 3, 4, 7, 9 };
        Assert.Equal(Values(new HoltForecaster(0.5, 0.5, false, 0.98), values), Values(new HoltForecaster(0.5, 0.5, false, 0.5), values));
        Assert.NotEqual(Values(new HoltForecaster(0.5, 0.5, true, 0.98), values), Values(new HoltForecaster(0.5, 0.5, false, 0.98), values));
    }

    [Fact]
    public void HoltWinters_Additive_HandComputed()
    {
        // m = 2: ℓ₀ = mean(1, 3) = 2, b₀ = mean((3−1)/2, (5−3)/2) = 1, s = (−1, 1). Replaying 1, 3, 3, 5 gives
        // ℓ = 4.6015625, b = 0.80859375, s = (−0.78125, 0.3984375) (statsmodels agrees: see the reference tests).
        var hw = new HoltWintersForecaster(Alpha: 0.5, Beta: 0.5, Gamma: 0.5, Period: 2);
        var f = Values(hw, 1, 3, 3, 5, 7);
        Assert.Equal([null, null, null, null, 4.62890625], f);
        var ahead = After(hw, [1, 3, 3, 5], 3);
        Assert.Equal([4.62890625, 6.6171875, 6.24609375], ahead.Select(p => p.Value));
    }

    [Fact]
    public void HoltWinters_Multiplicative_HandComputed()
    {
        // m = 2 over 2, 4, 4, 8: ℓ₀ = 3, b₀ = mean(1, 2) = 1.5, s = (2/3, 4/3); α = β = γ = 0.5.
        double l = 3, b = 1.5;
        double[] s = [2.0 / 3, 4.0 / 3];
        double[] y = [2, 4, 4, 8];
        for (var t = 0; t < 4; t++)
        {
            var trended = l + b;
            var level = (0.5 * y[t] / s[t % 2]) + (0.5 * trended);
            s[t % 2] = (0.5 * y[t] / trended) + (0.5 * s[t % 2]);
            b = (0.5 * (level - l)) + (0.5 * b);
            l = level;
        }

        var ahead = After(new HoltWintersForecaster(0.5, 0.5, 0.5, 2, Seasonality.Multiplicative), [2, 4, 4, 8], 3);
        Assert.Equal((l + b) * s[0], ahead[0].Value!.Value, 12);
        Assert.Equal((l + (2 * b)) * s[1], ahead[1].Value!.Value, 12);
        Assert.Equal((l + (3 * b)) * s[0], ahead[2].Value!.Value, 12);
    }

    [Fact]
    public void HoltWinters_MissingInWarmup_CarriesTheLastValue_AfterwardsImputesTheForecast()
    {
        var hw = new HoltWintersForecaster(Alpha: 0.5, Beta: 0.5, Gamma: 0.5, Period: 2);
        Assert.Equal(Values(hw, 1, 3, 3, 3, 7), Values(hw, 1, 3, null, 3, 7));

        // After the warm-up, a missing row equals feeding the one-step forecast (4.62890625) instead.
        var withGap = Values(hw, 1, 3, 3, 5, null, 6, 9);
        var imputed = Values(hw, 1, 3, 3, 5, 4.62890625, 6, 9);
        Assert.Equal(imputed, withGap);
    }

    [Fact]
    public void HoltWinters_MissingRows_RecordNoError()
    {
        // The same values with every third row missing after warm-up: intervals need 10 *present* rows.
        var hw = new HoltWintersForecaster(Alpha: 0.3, Beta: 0.1, Gamma: 0.2, Period: 2);
        var values = Enumerable.Range(0, 4 + 20).Select(i => i >= 4 && i % 3 == 0 ? null : (double?)(10 + (i % 2) + (0.1 * i))).ToArray();
        var points = Points(hw, values);
        var firstInterval = Array.FindIndex(points, p => p.Lower.HasValue);
        Assert.True(firstInterval > 4);
        Assert.Equal(10, values.Take(firstInterval).Skip(4).Count(v => v.HasValue));
    }

    [Fact]
    public void HoltWinters_Multiplicative_RejectsNonPositiveValues_NamingSeriesAndRow()
    {
        var input = Series("load/a", 2, 4, 4, 0, 5);
        var e = Assert.Throws<ForecastInputException>(() =>
            ForecasterBatch.Forecast(new HoltWintersForecaster(Period: 2, Seasonality: Seasonality.Multiplicative), input));
        Assert.Equal("load/a", e.Series);
        Assert.Equal(input[3].Timestamp, e.Timestamp);
        Assert.Equal(0, e.Value);
        Assert.Contains("series 'load/a'", e.Message, StringComparison.Ordinal);
        Assert.Contains("values > 0", e.Message, StringComparison.Ordinal);

        // Additive seasonality takes the same values.
        Assert.Equal(5, ForecasterBatch.Forecast(new HoltWintersForecaster(Period: 2), input).Length);
    }

    [Fact]
    public void HoltWinters_Multiplicative_IntervalScalesWithTheTargetSeason()
    {
        // A clean multiplicative pattern with small noise: the relative half-width follows the seasonal factor.
        var noise = Gaussian(5, 200);
        var values = Enumerable.Range(0, 200).Select(i => (double?)((100 + (0.1 * i)) * (i % 4 == 0 ? 1.5 : 0.8333) * (1 + (0.01 * noise[i])))).ToArray();
        var ahead = After(new HoltWintersForecaster(0.2, 0.05, 0.1, 4, Seasonality.Multiplicative), values, 4);
        // Steps 1..4 target phases 0,1,2,3 (200 % 4 = 0): the first is the large season.
        Assert.True(HalfWidth(ahead[0]) / HalfWidth(ahead[1]) > 1.5);
        Assert.All(ahead, p => Assert.True(HalfWidth(p) > 0));
    }

    [Fact]
    public void Intervals_AppearAfterTenOneStepErrors()
    {
        var values = Enumerable.Range(0, 14).Select(i => (double?)(i % 3)).ToArray();
        var points = Points(new SesForecaster(0.5), values);
        // Errors from row 1 on; the forecast for row 11 is made after 10 errors.
        Assert.All(points[..11], p => Assert.Null(p.Lower));
        Assert.All(points[11..], p => Assert.NotNull(p.Lower));
    }

    [Fact]
    public void Intervals_UseTheRunningMeanSquareOfOneStepErrors()
    {
        // SES with α = 0 keeps ℓ = y₁ = 0 forever; the errors are the values: σ² = mean(y²) over rows 1..n.
        double?[] values = [0, 1, -1, 2, -2, 1, -1, 2, -2, 1, -1, 3];
        var ahead = After(new SesForecaster(Alpha: 0), values, 2);
        var sigma2 = values.Skip(1).Average(v => v!.Value * v.Value);
        Assert.Equal(0, ahead[0].Value);
        Assert.Equal(PredictionInterval.ZScore(0.95) * Math.Sqrt(sigma2), HalfWidth(ahead[0]), 12);
        Assert.Equal(HalfWidth(ahead[0]), HalfWidth(ahead[1]), 12); // α = 0: no widening
    }

    [Fact]
    public void SigmaWindow_KeepsOnlyTheMostRecentErrors()
    {
        // α = 0 keeps the forecast at y₁ = 0: errors are the values. 20 errors of ±1, then 10 of ±3: with
        // sigma-window=10, σ² = 9; with the default 250, σ² = (20 + 90) / 30.
        var values = new List<double?> { 0 };
        values.AddRange(Enumerable.Range(0, 20).Select(i => (double?)(i % 2 == 0 ? 1 : -1)));
        values.AddRange(Enumerable.Range(0, 10).Select(i => (double?)(i % 2 == 0 ? 3 : -3)));
        var z = PredictionInterval.ZScore(0.95);
        Assert.Equal(z * 3, HalfWidth(After(new SesForecaster(0, SigmaWindow: 10), values, 1)[0]), 12);
        Assert.Equal(z * Math.Sqrt(110.0 / 30), HalfWidth(After(new SesForecaster(0), values, 1)[0]), 12);

        // A drop in scale by 1e9 between ring wraps: σ² must not be left as the round-off of the large squares.
        foreach (var big in new[] { 1000, 1003, 1007 })
        {
            var longRun = new List<double?> { 0 };
            longRun.AddRange(Enumerable.Range(0, big).Select(i => (double?)(i % 2 == 0 ? 1e6 : -1e6)));
            longRun.AddRange(Enumerable.Range(0, 10).Select(i => (double?)(i % 2 == 0 ? 1e-3 : -1e-3)));
            Assert.Equal(z * 1e-3, HalfWidth(After(new SesForecaster(0, SigmaWindow: 10), longRun, 1)[0]), 15);
        }
    }

    [Fact]
    public void ForecastedObservation_CarriesTheInputThrough()
    {
        var input = Series("s", 1, 2, 3);
        input[1] = input[1] with { Label = AnomalyLabel.Anomaly(AnomalyKind.Spike, 0) };
        Assert.Equal(input, ForecasterBatch.Forecast(new SesForecaster(), input).Select(f => f.Observation));
    }
}
