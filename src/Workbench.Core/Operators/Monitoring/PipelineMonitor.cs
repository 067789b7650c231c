using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace Workbench.Operators.Monitoring;

/// <summary>
/// A run-time side channel for any pipeline: per-event processing latency (p50/p95/p99/max), throughput and memory,
/// published on <see cref="Stats"/> without touching the pipeline's values, order or timing of notifications.
/// Put <see cref="MonitorObservable.Monitor{T}"/> where events enter the part of the pipeline to measure:
/// <c>source.Monitor(monitor).Detect(d).Subscribe(sink)</c>. The latency of an event is the wall-clock time
/// (<see cref="Stopwatch.GetTimestamp"/>) from the event passing the monitor until everything downstream has
/// handled it synchronously (the downstream <c>OnNext</c> returned) — the per-event processing latency of a
/// virtual-time replay or any pipeline without asynchronous hops (an <c>ObserveOn</c> downstream ends the measured
/// span at the hop). Reports go out every <see cref="MonitorOptions.ReportEvery"/> events (synchronously, after the
/// event and outside its latency), on each <see cref="MonitorOptions.ReportInterval"/> tick of the scheduler, and once
/// more (<see cref="RuntimeStats.IsFinal"/>) when the stream ends or the subscription is disposed; then
/// <see cref="Stats"/> completes. A monitor measures one run: one subscription of one monitored stream.
/// </summary>
public sealed class PipelineMonitor
{
    private readonly MonitorOptions _options;
    private readonly IScheduler? _scheduler;
    private readonly Subject<RuntimeStats> _stats = new();
    private int _used;

    /// <summary>A monitor reporting as <paramref name="options"/> says; <paramref name="scheduler"/> drives the
    /// interval reports (required when <see cref="MonitorOptions.ReportInterval"/> is set).</summary>
    public PipelineMonitor(MonitorOptions options, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ReportInterval is not null && scheduler is null)
        {
            throw new ArgumentNullException(nameof(scheduler), "interval reports need a scheduler");
        }

        _options = options;
        _scheduler = scheduler;
        Stats = _stats.AsObservable();
    }

    /// <summary>The reports of the run (hot: subscribe before the monitored stream). Completes after the final report.</summary>
    public IObservable<RuntimeStats> Stats { get; }

    internal IObservable<T> Attach<T>(IObservable<T> source) =>
        Observable.Create<T>(observer =>
        {
            if (Interlocked.Exchange(ref _used, 1) != 0)
            {
                observer.OnError(new InvalidOperationException("this PipelineMonitor already measured a run; create one monitor per run"));
                return System.Reactive.Disposables.Disposable.Empty;
            }

            var run = new Run(this);
            var tick = _options.ReportInterval is { } interval
                ? _scheduler!.SchedulePeriodic(interval, () => run.Report(false))
                : System.Reactive.Disposables.Disposable.Empty;
            var subscription = source.Subscribe(
                value =>
                {
                    var start = Stopwatch.GetTimestamp();
                    observer.OnNext(value);
                    run.Record(Stopwatch.GetTimestamp() - start);
                },
                error =>
                {
                    tick.Dispose();
                    run.End();
                    observer.OnError(error);
                },
                () =>
                {
                    tick.Dispose();
                    run.End();
                    observer.OnCompleted();
                });
            return System.Reactive.Disposables.Disposable.Create(() =>
            {
                subscription.Dispose();
                tick.Dispose();
                run.End();
            });
        });

    /// <summary>The mutable measurements of the one run; every access under <see cref="_gate"/>.</summary>
    private sealed class Run(PipelineMonitor monitor)
    {
        private readonly Lock _gate = new();
        private readonly LatencyHistogram _histogram = new();
        private readonly long _begin = Stopwatch.GetTimestamp();
        private long _intervalBegin = Stopwatch.GetTimestamp();
        private long _events;
        private long _intervalEvents;
        private bool _ended;

        public void Record(long ticks)
        {
            lock (_gate)
            {
                if (_ended)
                {
                    return;
                }

                _histogram.Record(ticks);
                _events++;
                _intervalEvents++;
                if (monitor._options.ReportEvery > 0 && _events % monitor._options.ReportEvery == 0)
                {
                    Publish(false);
                }
            }
        }

        public void Report(bool final)
        {
            lock (_gate)
            {
                if (!_ended)
                {
                    Publish(final);
                }
            }
        }

        public void End()
        {
            lock (_gate)
            {
                if (_ended)
                {
                    return;
                }

                Publish(true);
                _ended = true;
                monitor._stats.OnCompleted();
            }
        }

        private void Publish(bool final)
        {
            var now = Stopwatch.GetTimestamp();
            var ticksToMicros = 1e6 / Stopwatch.Frequency;
            var intervalSeconds = (now - _intervalBegin) / (double)Stopwatch.Frequency;
            var any = _histogram.Count > 0;
            var stats = new RuntimeStats(
                _events,
                _intervalEvents,
                (now - _begin) / (double)Stopwatch.Frequency,
                intervalSeconds,
                intervalSeconds > 0 && _intervalEvents > 0 ? _intervalEvents / intervalSeconds : 0,
                any ? _histogram.ValueAt(0.50) * ticksToMicros : null,
                any ? _histogram.ValueAt(0.95) * ticksToMicros : null,
                any ? _histogram.ValueAt(0.99) * ticksToMicros : null,
                any ? _histogram.Max * ticksToMicros : null,
                GC.GetTotalMemory(false),
                GC.GetTotalAllocatedBytes(false),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                final);
            _histogram.Clear();
            _intervalEvents = 0;
            _intervalBegin = now;
            monitor._stats.OnNext(stats);
        }
    }
}

/// <summary>Attaches a <see cref="PipelineMonitor"/> to a stream.</summary>
public static class MonitorObservable
{
    /// <summary>
    /// Passes every notification of <paramref name="source"/> through unchanged while <paramref name="monitor"/>
    /// measures the downstream processing of each event (see <see cref="PipelineMonitor"/>).
    /// </summary>
    public static IObservable<T> Monitor<T>(this IObservable<T> source, PipelineMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(monitor);
        return monitor.Attach(source);
    }
}
