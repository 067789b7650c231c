using System.Text.Json;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Forecasting;

/// <summary>
/// The independent check: Holt-Winters (both seasonalities, damped or not), SES, Holt and AR(p) against statsmodels
/// 0.13.5, from the fixtures written by tools/reference/make_forecasting_fixtures.py. Tolerance 1e-11 relative (to
/// max(1, |reference|)): both sides run the same recursions in double precision, so differences are round-off of
/// summation order (numpy's pairwise sums, different least-squares solvers); the largest measured is 5e-14.
/// </summary>
public class StatsmodelsReferenceTests
{
    private const double Tolerance = 1e-11;

    public static TheoryData<string> EtsCases() => CaseNames("exponential_smoothing.json");

    public static TheoryData<string> ArCases() => CaseNames("ar.json");

    [Theory]
    [MemberData(nameof(EtsCases))]
    public void ExponentialSmoothing_OneStep_MatchesStatsmodelsFittedValues(string name)
    {
        var (fixture, c) = Case("exponential_smoothing.json", name);
        var series = Numbers(fixture.GetProperty("series"));
        var expected = Numbers(c.GetProperty("one_step"));
        var warmup = c.GetProperty("warmup").GetInt32();
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(c.GetProperty("spec").GetString()!);

        var actual = Points(forecaster, series);

        Assert.Equal(series.Length, actual.Length);
        for (var t = 0; t < warmup; t++)
        {
            Assert.Null(actual[t].Value);
        }

        for (var t = warmup; t < series.Length; t++)
        {
            Close(expected[t]!.Value, actual[t].Value, Tolerance, $"{name} row {t}");
        }
    }

    [Theory]
    [MemberData(nameof(EtsCases))]
    public void ExponentialSmoothing_HStepFromTheEnd_MatchesStatsmodelsStates(string name)
    {
        var (fixture, c) = Case("exponential_smoothing.json", name);
        var series = Numbers(fixture.GetProperty("series"));
        var expected = Numbers(c.GetProperty("forecast_from_end"));
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(c.GetProperty("spec").GetString()!);

        var actual = After(forecaster, series, expected.Length);

        for (var h = 0; h < expected.Length; h++)
        {
            Close(expected[h]!.Value, actual[h].Value, Tolerance, $"{name} h={h + 1}");
        }
    }

    [Theory]
    [MemberData(nameof(EtsCases))]
    public void ExponentialSmoothing_IntervalWidening_MatchesEtsAnalyticVariance(string name)
    {
        var (fixture, c) = Case("exponential_smoothing.json", name);
        if (c.GetProperty("relative_variance").ValueKind == JsonValueKind.Null)
        {
            // Multiplicative seasonality: statsmodels has no analytic variance; covered by the coverage test.
            Assert.Contains("multiplicative", c.GetProperty("spec").GetString(), StringComparison.Ordinal);
            return;
        }

        var series = Numbers(fixture.GetProperty("series"));
        var expected = Numbers(c.GetProperty("relative_variance"));
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(c.GetProperty("spec").GetString()!);

        var actual = After(forecaster, series, expected.Length);

        // Half-width(h) / half-width(1) = sqrt(var_h / σ²): the running σ² cancels.
        var one = HalfWidth(actual[0]);
        for (var h = 0; h < expected.Length; h++)
        {
            var ratio = HalfWidth(actual[h]) / one;
            Close(expected[h]!.Value, ratio * ratio, Tolerance, $"{name} relative variance h={h + 1}");
        }
    }

    [Theory]
    [MemberData(nameof(ArCases))]
    public void Ar_OneStepAndInterval_MatchStatsmodelsAutoReg(string name)
    {
        var (fixture, c) = Case("ar.json", name);
        var series = Numbers(fixture.GetProperty("series"));
        var level = fixture.GetProperty("level").GetDouble();
        var expected = Numbers(c.GetProperty("one_step"));
        var lower = Numbers(c.GetProperty("lower"));
        var upper = Numbers(c.GetProperty("upper"));
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(c.GetProperty("spec").GetString()!);
        Assert.Equal(level, ((ArForecaster)forecaster).IntervalLevel);

        var actual = Points(forecaster, series);

        var compared = 0;
        for (var t = 0; t < series.Length; t++)
        {
            if (expected[t] is not { } e)
            {
                Assert.Null(actual[t].Value);
                continue;
            }

            Close(e, actual[t].Value, Tolerance, $"{name} row {t}");
            Close(lower[t]!.Value, actual[t].Lower, Tolerance, $"{name} lower row {t}");
            Close(upper[t]!.Value, actual[t].Upper, Tolerance, $"{name} upper row {t}");
            compared++;
        }

        Assert.True(compared > series.Length / 2, $"{name}: only {compared} forecasts compared");
    }

    [Theory]
    [MemberData(nameof(ArCases))]
    public void Ar_HStepFromTheEnd_MatchesAutoRegPrediction(string name)
    {
        var (fixture, c) = Case("ar.json", name);
        if (c.GetProperty("forecast_from_end").ValueKind == JsonValueKind.Null)
        {
            Assert.Contains("recursive", c.GetProperty("spec").GetString(), StringComparison.Ordinal);
            return;
        }

        var series = Numbers(fixture.GetProperty("series"));
        var expected = Numbers(c.GetProperty("forecast_from_end"));
        var relative = Numbers(c.GetProperty("relative_variance"));
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(c.GetProperty("spec").GetString()!);

        var actual = After(forecaster, series, expected.Length);

        var one = HalfWidth(actual[0]);
        for (var h = 0; h < expected.Length; h++)
        {
            Close(expected[h]!.Value, actual[h].Value, Tolerance, $"{name} h={h + 1}");
            var ratio = HalfWidth(actual[h]) / one;
            Close(relative[h]!.Value, ratio * ratio, Tolerance, $"{name} relative variance h={h + 1}");
        }
    }

    [Fact]
    public void ZScore_MatchesScipyNormPpf()
    {
        var fixture = Fixture("quantiles.json");
        var levels = Numbers(fixture.GetProperty("levels"));
        var z = Numbers(fixture.GetProperty("z"));
        for (var i = 0; i < levels.Length; i++)
        {
            var actual = PredictionInterval.ZScore(levels[i]!.Value);
            Assert.True(Math.Abs(actual - z[i]!.Value) <= 1e-13 * z[i]!.Value, $"level {levels[i]}: {actual:R} vs {z[i]:R}");
        }
    }

    [Fact]
    public void StudentT_MatchesMpmathHighPrecision()
    {
        var fixture = Fixture("quantiles.json");
        var levels = Numbers(fixture.GetProperty("t_levels"));
        var df = fixture.GetProperty("t_df").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var t = Numbers(fixture.GetProperty("t"));
        for (var i = 0; i < levels.Length; i++)
        {
            var actual = PredictionInterval.StudentT(levels[i]!.Value, df[i]);
            // Measured: ≤ 3e-13 relative for levels ≤ 0.99; at 0.999999 the CDF's flatness costs digits (≤ 2e-10).
            var tolerance = levels[i] <= 0.99 ? 1e-12 : 1e-9;
            Assert.True(Math.Abs(actual - t[i]!.Value) <= tolerance * t[i]!.Value, $"level {levels[i]}, df {df[i]}: {actual:R} vs {t[i]:R}");
        }
    }

    [Fact]
    public void Fixtures_RecordTheirGenerator()
    {
        foreach (var name in new[] { "exponential_smoothing.json", "ar.json", "quantiles.json" })
        {
            Assert.StartsWith("tools/reference/make_forecasting_fixtures.py with statsmodels 0.13.5",
                Fixture(name).GetProperty("generator").GetString(), StringComparison.Ordinal);
        }
    }

    private static TheoryData<string> CaseNames(string file)
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture(file).GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    private static (JsonElement Fixture, JsonElement Case) Case(string file, string name)
    {
        var fixture = Fixture(file);
        return (fixture, fixture.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name));
    }
}
