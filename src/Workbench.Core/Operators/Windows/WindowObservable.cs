using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Operators.Windows;

/// <summary>
/// The window and aggregation operators on observation streams: sliding windows (one output per input), tumbling
/// aggregates and OHLCV candles (one output per emitted window). State is per series and per subscription.
/// Tumbling operators report late (dropped) events in a <see cref="HygieneReport"/> delivered to the optional
/// <c>report</c> observer exactly as the hygiene operators do (periodic snapshots every <c>reportEvery</c> input
/// events when &gt; 0, then a final one and OnCompleted/OnError). Batch twins: <see cref="WindowBatch"/>.
/// </summary>
public static class WindowObservable
{
    /// <summary>
    /// Aggregates of the sliding window (by count or by time, see <see cref="SlidingWindowOptions"/>) ending at each
    /// observation: count, missing, sum, mean, min, max, first, last, in O(1) amortised per observation.
    /// </summary>
    public static IObservable<WindowedObservation> SlidingAggregate(this IObservable<LabeledObservation> source, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Observable.Defer(() =>
        {
            var runner = new SlidingRunner(options);
            return source.Select(runner.Next);
        });
    }

    /// <summary>
    /// The contents of the sliding window (by count or by time) ending at each observation, oldest first, as a fresh
    /// array per output (O(window) per observation; use <see cref="SlidingAggregate"/> for aggregates).
    /// </summary>
    public static IObservable<ObservationWindow> SlidingWindow(this IObservable<LabeledObservation> source, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Observable.Defer(() =>
        {
            var runner = new SlidingContentsRunner(options);
            return source.Select(runner.Next);
        });
    }

    /// <summary>
    /// Tumbling-window aggregates per series (see <see cref="TumblingOptions"/> for alignment, closing, late and empty
    /// windows); stage <c>tumble</c> in the report. With <paramref name="closeOnClock"/>, windows are also closed when
    /// that scheduler's clock reaches end + allowed lateness.
    /// </summary>
    public static IObservable<WindowAggregate> Tumble(
        this IObservable<LabeledObservation> source, TumblingOptions options, IScheduler? closeOnClock = null,
        IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RunTumbling(source, "tumble", [options.Size], options.AllowedLateness, options.Origin, options.EmitEmpty, null,
            WindowAggregate.From,
            closeOnClock, report, reportEvery);
    }

    /// <summary>OHLCV candles at each of <paramref name="timeframes"/>, volume = count of present values, default options.</summary>
    public static IObservable<Candle> ToCandles(this IObservable<LabeledObservation> source, params TimeSpan[] timeframes) =>
        source.ToCandles(new CandleOptions(timeframes));

    /// <summary>
    /// OHLCV candles (see <see cref="CandleOptions"/>); stage <c>candles</c> in the report, where Late counts each
    /// (event, timeframe) pair that was too late and Dropped the events no timeframe accepted.
    /// </summary>
    public static IObservable<Candle> ToCandles(
        this IObservable<LabeledObservation> source, CandleOptions options, IScheduler? closeOnClock = null,
        IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RunTumbling(source, "candles", [.. options.Timeframes], options.AllowedLateness, options.Origin, options.EmitEmpty, options.Volume,
            CandleOptions.ToCandle, closeOnClock, report, reportEvery);
    }

    private static IObservable<T> RunTumbling<T>(
        IObservable<LabeledObservation> source,
        string stage,
        TimeSpan[] sizes,
        TimeSpan lateness,
        DateTime origin,
        bool emitEmpty,
        Func<LabeledObservation, double>? volume,
        Func<TumblingSeries, OpenWindow, T> map,
        IScheduler? clock,
        IObserver<HygieneReport>? report,
        long reportEvery)
    {
        ReportChannel.ValidateEvery(reportEvery);
        return Observable.Create<T>(observer =>
        {
            var channel = new ReportChannel(new HygieneLedger(stage), report, reportEvery);
            var engine = new TumblingEngine(sizes, lateness, origin, emitEmpty, channel.Ledger, (k, w) => observer.OnNext(map(k, w)));
            var gate = clock is null ? null : new object();
            var timers = new CompositeDisposable();
            var done = false;

            void Reschedule(TumblingSeries kernel)
            {
                var deadline = kernel.NextDeadline;
                kernel.ScheduledDeadline = deadline;
                if (kernel.Timer is not SerialDisposable serial)
                {
                    serial = new SerialDisposable();
                    kernel.Timer = serial;
                    timers.Add(serial);
                }

                if (deadline == TumblingSeries.NoDeadline)
                {
                    serial.Disposable = Disposable.Empty;
                    return;
                }

                var due = new DateTimeOffset(Math.Clamp(deadline, 0, DateTime.MaxValue.Ticks), TimeSpan.Zero);
                serial.Disposable = clock!.Schedule(due, () =>
                {
                    lock (gate!)
                    {
                        if (done)
                        {
                            return;
                        }

                        kernel.AdvanceClock(Math.Max(clock.Now.UtcTicks, deadline));
                        Reschedule(kernel);
                    }
                });
            }

            if (clock is not null)
            {
                engine.DeadlineChanged = Reschedule;
            }

            void Fail(Exception error)
            {
                done = true;
                channel.Fail(error);
                observer.OnError(error);
            }

            void OnNext(LabeledObservation o)
            {
                if (done)
                {
                    return;
                }

                var v = 0.0;
                if (o.Value.HasValue)
                {
                    if (volume is null)
                    {
                        v = 1;
                    }
                    else
                    {
                        try
                        {
                            v = volume(o);
                        }
                        catch (Exception e)
                        {
                            Fail(e);
                            return;
                        }

                        if (!double.IsFinite(v))
                        {
                            Fail(new InvalidObservationException(o.Series, o.Timestamp, v, "has a volume that is not finite"));
                            return;
                        }
                    }
                }

                engine.Add(o, v);
                channel.Tick();
            }

            void OnError(Exception error)
            {
                if (!done)
                {
                    Fail(error);
                }
            }

            void OnCompleted()
            {
                if (done)
                {
                    return;
                }

                done = true;
                engine.Flush();
                channel.Complete();
                observer.OnCompleted();
            }

            var stop = Disposable.Create(() =>
            {
                if (gate is null)
                {
                    done = true;
                    return;
                }

                lock (gate)
                {
                    done = true;
                }
            });
            var subscription = gate is null
                ? source.Subscribe(OnNext, OnError, OnCompleted)
                : source.Subscribe(
                    o =>
                    {
                        lock (gate)
                        {
                            OnNext(o);
                        }
                    },
                    e =>
                    {
                        lock (gate)
                        {
                            OnError(e);
                        }
                    },
                    () =>
                    {
                        lock (gate)
                        {
                            OnCompleted();
                        }
                    });
            return new CompositeDisposable(stop, subscription, timers);
        });
    }
}

/// <summary>Steps sliding aggregates over a multi-series stream; shared by the Rx operator and the batch twin.</summary>
internal sealed class SlidingRunner(SlidingWindowOptions options)
{
    private readonly SeriesState<Holder> _series = new(() => new Holder());

    public WindowedObservation Next(LabeledObservation o)
    {
        var holder = _series.For(o.Series);
        holder.Aggregator ??= new SlidingAggregator(o.Series, options);
        return new WindowedObservation(o, holder.Aggregator.Add(o.Timestamp, o.Value));
    }

    private sealed class Holder
    {
        public SlidingAggregator? Aggregator;
    }
}

/// <summary>Steps sliding window contents over a multi-series stream; shared by the Rx operator and the batch twin.</summary>
internal sealed class SlidingContentsRunner(SlidingWindowOptions options)
{
    private readonly SeriesState<Holder> _series = new(() => new Holder());

    public ObservationWindow Next(LabeledObservation o)
    {
        var holder = _series.For(o.Series);
        holder.Contents ??= new SlidingContents(o.Series, options);
        return holder.Contents.Add(o);
    }

    private sealed class Holder
    {
        public SlidingContents? Contents;
    }
}
