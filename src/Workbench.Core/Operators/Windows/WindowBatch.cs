using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Operators.Windows;

/// <summary>The windows emitted by a tumbling batch twin, in emission order, and the final report.</summary>
/// <typeparam name="T">The window record.</typeparam>
/// <param name="Windows">Every emission (re-emissions included), in the order the streaming operator emits them.</param>
/// <param name="Report">The final report (late events).</param>
public sealed record WindowResult<T>(IReadOnlyList<T> Windows, HygieneReport Report);

/// <summary>
/// The array twins of <see cref="WindowObservable"/>: the same kernels over a list, identical output. The tumbling
/// twins close windows by event time and at the end of the list (there is no clock).
/// </summary>
public static class WindowBatch
{
    /// <summary>Batch twin of <see cref="WindowObservable.SlidingAggregate"/>.</summary>
    public static WindowedObservation[] SlidingAggregate(IReadOnlyList<LabeledObservation> observations, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var runner = new SlidingRunner(options);
        var result = new WindowedObservation[observations.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = runner.Next(observations[i]);
        }

        return result;
    }

    /// <summary>Sliding aggregates of one series given as columns, into <paramref name="results"/> (no allocation per value).</summary>
    public static void SlidingAggregate(
        string series, ReadOnlySpan<DateTime> timestamps, ReadOnlySpan<double?> values, Span<WindowStats> results, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (timestamps.Length != values.Length || results.Length < values.Length)
        {
            throw new ArgumentException("timestamps, values and results must have matching lengths");
        }

        var aggregator = new SlidingAggregator(series, options);
        for (var i = 0; i < values.Length; i++)
        {
            results[i] = aggregator.Add(timestamps[i], values[i]);
        }
    }

    /// <summary>Batch twin of <see cref="WindowObservable.SlidingWindow"/>.</summary>
    public static ObservationWindow[] SlidingWindow(IReadOnlyList<LabeledObservation> observations, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var runner = new SlidingContentsRunner(options);
        var result = new ObservationWindow[observations.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = runner.Next(observations[i]);
        }

        return result;
    }

    /// <summary>Batch twin of <see cref="WindowObservable.Tumble"/> (without a clock).</summary>
    public static WindowResult<WindowAggregate> Tumble(IReadOnlyList<LabeledObservation> observations, TumblingOptions options)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var windows = new List<WindowAggregate>();
        var engine = new TumblingEngine([options.Size], options.AllowedLateness, options.Origin, options.EmitEmpty, new HygieneLedger("tumble"),
            (k, w) => windows.Add(WindowAggregate.From(k, w)));
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            engine.Add(o, o.Value.HasValue ? 1 : 0);
        }

        engine.Flush();
        return new WindowResult<WindowAggregate>(windows, engine.Ledger.Snapshot(true));
    }

    /// <summary>Batch twin of <see cref="WindowObservable.ToCandles(IObservable{LabeledObservation}, CandleOptions, System.Reactive.Concurrency.IScheduler?, IObserver{HygieneReport}?, long)"/> (without a clock).</summary>
    public static WindowResult<Candle> ToCandles(IReadOnlyList<LabeledObservation> observations, CandleOptions options)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var candles = new List<Candle>();
        var engine = new TumblingEngine([.. options.Timeframes], options.AllowedLateness, options.Origin, options.EmitEmpty, new HygieneLedger("candles"),
            (k, w) => candles.Add(CandleOptions.ToCandle(k, w)));
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            var v = 0.0;
            if (o.Value.HasValue)
            {
                v = options.Volume is null ? 1 : options.Volume(o);
                if (!double.IsFinite(v))
                {
                    throw new InvalidObservationException(o.Series, o.Timestamp, v, "has a volume that is not finite");
                }
            }

            engine.Add(o, v);
        }

        engine.Flush();
        return new WindowResult<Candle>(candles, engine.Ledger.Snapshot(true));
    }
}
