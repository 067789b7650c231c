using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Rolling;

namespace Workbench.Operators.Chunked;

/// <summary>
/// From chunks back to one notification per event: the bridge from a chunked stream to per-event operators and
/// sinks. Each row is copied out as it is emitted, so the results outlive the (reused) chunks.
/// </summary>
public static class ChunkFlatten
{
    /// <summary>The rows of every chunk as observations, in order.</summary>
    public static IObservable<LabeledObservation> ToObservations(this IObservable<ObservationBatch> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Observable.Create<LabeledObservation>(observer => source.Subscribe(new BatchFlattener(observer)));
    }

    /// <summary>Every row with its result, through <paramref name="selector"/>, in order.</summary>
    public static IObservable<TOut> Flatten<TResult, TOut>(this IObservable<ResultChunk<TResult>> source, Func<LabeledObservation, TResult, TOut> selector)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        return Observable.Create<TOut>(observer => source.Subscribe(new ResultFlattener<TResult, TOut>(observer, selector)));
    }

    /// <summary>Detector results as the per-event <see cref="DetectObservable.Detect"/> emits them.</summary>
    public static IObservable<ScoredObservation> ToScored(this IObservable<ResultChunk<double?>> source) =>
        source.Flatten(static (o, score) => new ScoredObservation(o, score));

    /// <summary>Forecast results as the per-event <see cref="ForecastObservable.Forecast"/> emits them.</summary>
    public static IObservable<ForecastedObservation> ToForecasted(this IObservable<ResultChunk<ForecastPoint>> source) =>
        source.Flatten(static (o, f) => new ForecastedObservation(o, f));

    /// <summary>Rolling results as the per-event <see cref="RollingObservable.Rolling{TStat}"/> emits them.</summary>
    public static IObservable<RolledObservation<TStat>> ToRolled<TStat>(this IObservable<ResultChunk<TStat?>> source)
        where TStat : struct =>
        source.Flatten(static (o, s) => new RolledObservation<TStat>(o, s));

    /// <summary>Rolling quantile results as the per-event <see cref="RollingQuantileObservable.RollingQuantile"/> emits them.</summary>
    public static IObservable<RollingQuantileObservation> ToQuantiles(this IObservable<ResultChunk<double?>> source) =>
        source.Flatten(static (o, v) => new RollingQuantileObservation(o, v));

    private sealed class BatchFlattener(IObserver<LabeledObservation> downstream) : IObserver<ObservationBatch>
    {
        public void OnNext(ObservationBatch value)
        {
            for (var i = 0; i < value.Count; i++)
            {
                downstream.OnNext(value[i]);
            }
        }

        public void OnError(Exception error) => downstream.OnError(error);

        public void OnCompleted() => downstream.OnCompleted();
    }

    /// <summary>A selector exception ends the stream with OnError (as with <c>Select</c>); downstream exceptions propagate.</summary>
    private sealed class ResultFlattener<TResult, TOut>(IObserver<TOut> downstream, Func<LabeledObservation, TResult, TOut> selector) : IObserver<ResultChunk<TResult>>
    {
        private bool _stopped;

        public void OnNext(ResultChunk<TResult> value)
        {
            if (_stopped)
            {
                return;
            }

            var input = value.Input;
            for (var i = 0; i < value.Count; i++)
            {
                TOut item;
                try
                {
                    item = selector(input[i], value.Results[i]);
                }
#pragma warning disable CA1031 // The selector's failure ends the stream with OnError.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _stopped = true;
                    downstream.OnError(e);
                    return;
                }

                downstream.OnNext(item);
            }
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
