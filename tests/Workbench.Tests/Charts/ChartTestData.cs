using System.Text.Json;
using Plotly.NET;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;

namespace Workbench.Tests.Charts;

/// <summary>Small inputs for the figure tests, and the figure as parsed JSON.</summary>
internal static class ChartTestData
{
    public const string Evil = "<script>alert(1)</script>";

    public static readonly DateTime T0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime At(int minute) => T0.AddMinutes(minute);

    /// <summary>
    /// 20 rows of series <paramref name="series"/>, one a minute: a spike event at row 3 (id 1), a level-shift event at
    /// rows 8–10 (id 2), a second spike at row 15 (id 3); row 12 missing (normal).
    /// </summary>
    public static LabeledObservation[] Observations(string series = "host-1/latency")
    {
        var rows = new LabeledObservation[20];
        for (var i = 0; i < rows.Length; i++)
        {
            double? value = i == 12 ? null : 10 + (i % 3);
            var label = i switch
            {
                3 => AnomalyLabel.Anomaly(AnomalyKind.Spike, 1),
                >= 8 and <= 10 => AnomalyLabel.Anomaly(AnomalyKind.LevelShift, 2),
                15 => AnomalyLabel.Anomaly(AnomalyKind.Spike, 3),
                _ => AnomalyLabel.Normal,
            };
            rows[i] = new LabeledObservation(series, At(i), i == 3 || i == 15 ? 40 : value, label);
        }

        return rows;
    }

    /// <summary>The observations scored (score = |value − 10|, null when missing) and flagged at 5.</summary>
    public static FlaggedObservation[] Flagged(LabeledObservation[] rows, double threshold = 5) =>
        rows.Select(o =>
        {
            double? score = o.Value is double v ? Math.Abs(v - 10) : null;
            return new FlaggedObservation(o, score, score >= threshold);
        }).ToArray();

    public static ForecastPoint[] Forecast(int n) =>
        Enumerable.Range(0, n).Select(i => i < 2 ? ForecastPoint.None : new ForecastPoint(11, 9, 13)).ToArray();

    public static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement.Clone();

    public static JsonElement[] Traces(GenericChart chart) => [.. Figure(chart).GetProperty("data").EnumerateArray()];

    public static JsonElement Layout(GenericChart chart) => Figure(chart).GetProperty("layout");

    public static JsonElement[] Shapes(GenericChart chart) =>
        Layout(chart).TryGetProperty("shapes", out var s) ? [.. s.EnumerateArray()] : [];

    public static string Name(this JsonElement trace) => trace.GetProperty("name").GetString()!;

    public static string Str(this JsonElement e, string property) => e.GetProperty(property).GetString()!;

    public static double?[] Numbers(this JsonElement e, string property) =>
        [.. e.GetProperty(property).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];

    /// <summary>A string array property; a JSON null reads as the text "null".</summary>
    public static string[] Strings(this JsonElement e, string property) =>
        [.. e.GetProperty(property).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? "null" : v.GetString()!)];
}
