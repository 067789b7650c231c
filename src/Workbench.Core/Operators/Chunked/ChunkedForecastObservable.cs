using Workbench.Core;
using Workbench.Operators.Forecasting;
using Workbench.Replay;

namespace Workbench.Operators.Chunked;

/// <summary>The rolling-forecast operator on chunked streams.</summary>
public static class ChunkedForecastObservable
{
    /// <summary>
    /// Rolling <paramref name="horizon"/>-step-ahead forecasts for every row of every chunk, through the same
    /// <see cref="RollingForecast"/> as <see cref="ForecastObservable.Forecast"/> (state per series, per subscription; a
    /// <see cref="ForecastInputException"/> names the row's series). Flattened (<see cref="ChunkFlatten.ToForecasted"/>),
    /// the output equals the per-event operator's.
    /// </summary>
    public static IObservable<ResultChunk<ForecastPoint>> Forecast(this IObservable<ObservationBatch> source, IForecaster forecaster, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        return ChunkOperator.Create<ForecastChunkKernel, ForecastCell, ForecastPoint>(source, new ForecastChunkKernel(forecaster, horizon));
    }

    /// <summary>Replay → <see cref="ForecastObservable.Forecast"/> fused (see <see cref="FusedReplay{TKernel, TState, TResult, TOut}"/>).</summary>
    internal static IObservable<ForecastedObservation> Fused(IFusableReplay replay, IForecaster forecaster, int horizon) =>
        replay.Fuse<ForecastChunkKernel, ForecastCell, ForecastPoint, ForecastedObservation>(
            new ForecastChunkKernel(forecaster, horizon));

    private sealed class ForecastCell(RollingForecast forecast, string series)
    {
        public readonly RollingForecast Forecast = forecast;
        public readonly string Series = series;
    }

    private readonly struct ForecastChunkKernel(IForecaster forecaster, int horizon) : IFusedKernel<ForecastCell, ForecastPoint, ForecastedObservation>
    {
        public ForecastedObservation Output(in LabeledObservation observation, ForecastPoint result) => new(observation, result);

        public ForecastCell Create(string series) => new(new RollingForecast(forecaster.CreateKernel(), horizon), series);

        public ForecastPoint Next(ForecastCell state, DateTime timestamp, double? value)
        {
            try
            {
                return state.Forecast.Next(timestamp, value);
            }
            catch (ForecastInputException e) when (e.Series is null)
            {
                throw e.WithSeries(state.Series);
            }
        }
    }
}
