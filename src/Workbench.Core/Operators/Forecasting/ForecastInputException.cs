using System.Globalization;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// A row a forecaster cannot take: e.g. a value ≤ 0 under multiplicative seasonality, or a timestamp earlier than
/// the previous row's for the daily profile. The message names the forecaster, series (when known), timestamp,
/// value and problem. Kernels do not know their series; the rolling operators add it with <see cref="WithSeries"/>.
/// </summary>
public sealed class ForecastInputException : Exception
{
    /// <summary>Creates the exception for one row.</summary>
    /// <param name="forecaster">The forecaster's spec name, e.g. <c>holt-winters</c>.</param>
    /// <param name="timestamp">The row's timestamp.</param>
    /// <param name="value">The row's value (null when missing).</param>
    /// <param name="problem">What is wrong, in a few words.</param>
    /// <param name="series">The series id when known.</param>
    public ForecastInputException(string forecaster, DateTime timestamp, double? value, string problem, string? series = null)
        : base(Describe(forecaster, timestamp, value, problem, series))
    {
        Forecaster = forecaster;
        Timestamp = timestamp;
        Value = value;
        Problem = problem;
        Series = series;
    }

    /// <summary>The forecaster's spec name.</summary>
    public string Forecaster { get; }

    /// <summary>The series id; null when thrown by a kernel outside a rolling operator.</summary>
    public string? Series { get; }

    /// <summary>The offending row's timestamp.</summary>
    public DateTime Timestamp { get; }

    /// <summary>The offending row's value.</summary>
    public double? Value { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>The same problem, naming <paramref name="series"/>.</summary>
    public ForecastInputException WithSeries(string series) => new(Forecaster, Timestamp, Value, Problem, series);

    private static string Describe(string forecaster, DateTime timestamp, double? value, string problem, string? series) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{forecaster}: {(series is null ? "" : $"series '{series}', ")}row at {timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} " +
            $"(value {(value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "missing")}): {problem}");
}
