using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Chunked;
using Workbench.Replay;

namespace Workbench.Operators.Forecasting;

/// <summary>The rolling-forecast operator on observation streams.</summary>
public static class ForecastObservable
{
    /// <summary>
    /// Rolling <paramref name="horizon"/>-step-ahead forecasts: each output pairs an observation with the forecast
    /// for its row made <paramref name="horizon"/> rows earlier in its series (the first rows get
    /// <see cref="ForecastPoint.None"/>). State per series, created per subscription.
    /// </summary>
    public static IObservable<ForecastedObservation> Forecast(this IObservable<LabeledObservation> source, IForecaster forecaster, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (source is IFusableReplay replay)
        {
            // Straight on a virtual replay: replay and kernel fused, same notifications (see FusedReplay).
            return ChunkedForecastObservable.Fused(replay, forecaster, horizon);
        }

        // A dedicated observer instead of Defer + Select: one layer less per event. State is created per subscription;
        // a kernel exception (e.g. ForecastInputException) ends the stream with OnError.
        return Observable.Create<ForecastedObservation>(observer =>
            source.Subscribe(new ForecastObserver(observer, new SeriesState<RollingForecast>(() => new RollingForecast(forecaster.CreateKernel(), horizon)))));
    }

    private sealed class ForecastObserver(IObserver<ForecastedObservation> downstream, SeriesState<RollingForecast> states) : IObserver<LabeledObservation>
    {
        private bool _stopped;

        public void OnNext(LabeledObservation value)
        {
            if (_stopped)
            {
                return;
            }

            ForecastPoint forecast;
            try
            {
                forecast = states.For(value.Series).Next(value);
            }
            catch (Exception e)
            {
                _stopped = true;
                downstream.OnError(e);
                return;
            }

            downstream.OnNext(new ForecastedObservation(value, forecast));
        }

        public void OnError(Exception error)
        {
            if (!_stopped)
            {
                _stopped = true;
                downstream.OnError(error);
            }
        }

        public void OnCompleted()
        {
            if (!_stopped)
            {
                _stopped = true;
                downstream.OnCompleted();
            }
        }
    }
}

/// <summary>
/// Rolling h-step forecasting over one series: before each row, the kernel forecasts h steps ahead and the h-th
/// step is queued; the row receives the forecast queued h rows earlier. Shared by the Rx operator and the batch twin.
/// </summary>
public sealed class RollingForecast
{
    private readonly IForecasterKernel _kernel;
    private readonly ForecastPoint[] _ahead;
    private readonly ForecastPoint[] _queue;
    private long _row;

    /// <summary>Wraps <paramref name="kernel"/> for <paramref name="horizon"/>-step rolling forecasts.</summary>
    public RollingForecast(IForecasterKernel kernel, int horizon)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        _kernel = kernel;
        _ahead = new ForecastPoint[horizon];
        _queue = new ForecastPoint[horizon];
    }

    /// <summary>
    /// <see cref="Next(DateTime, double?)"/> for an observation; a <see cref="ForecastInputException"/> from the
    /// kernel is rethrown naming the observation's series.
    /// </summary>
    public ForecastPoint Next(in LabeledObservation observation)
    {
        try
        {
            return Next(observation.Timestamp, observation.Value);
        }
        catch (ForecastInputException e) when (e.Series is null)
        {
            throw e.WithSeries(observation.Series);
        }
    }

    /// <summary>Returns the forecast for this row, then feeds the row to the kernel.</summary>
    public ForecastPoint Next(DateTime timestamp, double? value)
    {
        var h = _ahead.Length;
        _kernel.Forecast(_ahead);
        // Slot row % h keeps the forecast for row + h - 1, made now before this row is seen; this row's own
        // forecast was stored h - 1 rows ago, in slot (row + 1) % h (for h = 1: the one just made).
        _queue[(int)(_row % h)] = _ahead[h - 1];
        var forThisRow = _row >= h - 1 ? _queue[(int)((_row + 1) % h)] : ForecastPoint.None;
        _kernel.Update(timestamp, value);
        _row++;
        return forThisRow;
    }
}
