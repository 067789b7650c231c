using System.Text.Json;
using Workbench.Core;
using Workbench.Operators.Forecasting;
using Workbench.Tests.Support;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Forecasting;

/// <summary>Helpers shared by the forecaster tests: running kernels directly, seeded series, fixtures.</summary>
internal static class ForecastTestKit
{
    /// <summary>Rolling h-step forecasts of one series through Rx and batch (asserted equal); the forecast values.</summary>
    public static double?[] Values(IForecaster forecaster, params double?[] values) =>
        AssertStreamEqualsBatch(forecaster, Series("s", values)).Select(f => f.Forecast.Value).ToArray();

    /// <summary>Rolling forecasts (points with intervals) of one series (1-minute steps unless given), Rx and batch asserted equal.</summary>
    public static ForecastPoint[] Points(IForecaster forecaster, IReadOnlyList<double?> values, int horizon = 1, TimeSpan? step = null) =>
        AssertStreamEqualsBatch(forecaster, Timed("s", step ?? TimeSpan.FromMinutes(1), [.. values]), horizon).Select(f => f.Forecast).ToArray();

    /// <summary>Feeds <paramref name="values"/> (1-minute steps) to a fresh kernel, then forecasts <paramref name="horizon"/> steps.</summary>
    public static ForecastPoint[] After(IForecaster forecaster, IReadOnlyList<double?> values, int horizon)
    {
        var kernel = forecaster.CreateKernel();
        for (var i = 0; i < values.Count; i++)
        {
            kernel.Update(T0.AddMinutes(i), values[i]);
        }

        var result = new ForecastPoint[horizon];
        kernel.Forecast(result);
        return result;
    }

    /// <summary>Half-width of a point's interval.</summary>
    public static double HalfWidth(ForecastPoint p) => (p.Upper!.Value - p.Lower!.Value) / 2;

    /// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box-Muller).</summary>
    public static double[] Gaussian(int seed, int n)
    {
        var random = new Random(seed);
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            result[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return result;
    }

    /// <summary>A fixture under tests/Workbench.Tests/Fixtures/forecasting, made by tools/reference/make_forecasting_fixtures.py.</summary>
    public static JsonElement Fixture(string name)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "Workbench.Tests", "Fixtures", "forecasting", name);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    /// <summary>A JSON array of numbers or nulls.</summary>
    public static double?[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();

    /// <summary>Asserts |actual − expected| ≤ tol·max(1, |expected|).</summary>
    public static void Close(double expected, double? actual, double tol, string what)
    {
        Assert.True(actual.HasValue, $"{what}: expected {expected:R}, got no value");
        var error = Math.Abs(actual!.Value - expected);
        Assert.True(error <= tol * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual.Value:R} (error {error:E2})");
    }

    /// <summary>Observations at the given cadence from <see cref="OperatorTestKit.T0"/>.</summary>
    public static List<LabeledObservation> Timed(string series, TimeSpan step, params double?[] values) =>
        values.Select((v, i) => LabeledObservation.Normal(series, T0 + (step * i), v)).ToList();
}
