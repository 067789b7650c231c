using Workbench.Core;

namespace Workbench.Operators.Forecasting;

/// <summary>The array twin of <see cref="ForecastObservable"/>: identical results without Rx.</summary>
public static class ForecasterBatch
{
    /// <summary>Rolling forecasts for observations of any number of series (state per series, in input order).</summary>
    public static ForecastedObservation[] Forecast(IForecaster forecaster, IReadOnlyList<LabeledObservation> observations, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var states = new SeriesState<RollingForecast>(() => new RollingForecast(forecaster.CreateKernel(), horizon));
        var result = new ForecastedObservation[observations.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var o = observations[i];
            result[i] = new ForecastedObservation(o, states.For(o.Series).Next(o));
        }

        return result;
    }
}
