namespace Workbench.Operators.Forecasting;

/// <summary>A configured forecaster: immutable options plus a factory for per-series state.</summary>
public interface IForecaster
{
    /// <summary>The spec name, e.g. <c>holt-winters</c>.</summary>
    string Name { get; }

    /// <summary>The full spec with every parameter; parses back to this forecaster.</summary>
    string Spec { get; }

    /// <summary>Fresh state for one series.</summary>
    IForecasterKernel CreateKernel();
}

/// <summary>
/// The Rx-free state of a forecaster for one series. The rolling protocol is: <see cref="Forecast"/> (from the
/// rows seen so far) then <see cref="Update"/> with the next row, repeated.
/// </summary>
public interface IForecasterKernel
{
    /// <summary>
    /// Writes the forecasts for the next <c>destination.Length</c> steps (1-step first) made from the rows seen so
    /// far. A point is <see cref="ForecastPoint.None"/> while the method cannot forecast yet (warm-up).
    /// </summary>
    void Forecast(Span<ForecastPoint> destination);

    /// <summary>Takes the next row of the series. A missing value (null) is handled as the method documents.</summary>
    void Update(DateTime timestamp, double? value);
}

/// <summary>A forecast value with its prediction interval.</summary>
/// <param name="Value">The point forecast; null while the method cannot forecast yet.</param>
/// <param name="Lower">Lower bound of the prediction interval; null where the method defines none.</param>
/// <param name="Upper">Upper bound of the prediction interval; null where the method defines none.</param>
public readonly record struct ForecastPoint(double? Value, double? Lower, double? Upper)
{
    /// <summary>No forecast.</summary>
    public static ForecastPoint None => default;

    /// <summary>A point forecast without an interval.</summary>
    public static ForecastPoint Point(double value) => new(value, null, null);
}
