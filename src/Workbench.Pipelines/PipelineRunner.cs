using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Monitoring;
using Workbench.Replay;

namespace Workbench.Pipelines;

/// <summary>How to replay a pipeline's data.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>Null: virtual time (as fast as the CPU allows, deterministic). Otherwise the scaled wall-clock speed (data time per wall time).</summary>
    public double? Speed { get; init; }

    /// <summary>
    /// The wall clock of a scaled replay: <see cref="Scheduler.Default"/> when null. Tests pass a
    /// <see cref="HistoricalScheduler"/>, which the runner then runs to the end (the scaled code path without waiting).
    /// </summary>
    public IScheduler? WallClock { get; init; }

    /// <summary>Replay only the first N observations; null = all.</summary>
    public long? Limit { get; init; }

    /// <summary>Points kept per trace.</summary>
    public int MaxPointsPerTrace { get; init; } = 200_000;

    /// <summary>Called with the number of observations replayed so far, every 65,536 observations (on the replay's thread).</summary>
    public Action<long>? Progress { get; init; }
}

/// <summary>
/// Runs a <see cref="ReferencePipeline"/> over a replay of observations — virtual time or scaled wall-clock time — and
/// returns its alerts, their evaluation against the data's labels, the pipeline's figures and traces, and the run-time
/// monitor's figures. The one way every front end (CLI, notebook, tests, benchmarks) runs a pipeline.
/// </summary>
public static class PipelineRunner
{
    /// <summary>Runs <paramref name="pipeline"/> on its default data.</summary>
    public static PipelineRun Run(ReferencePipeline pipeline, PipelineRunOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return Run(pipeline, pipeline.DefaultData(), options, ct);
    }

    /// <summary>Runs <paramref name="pipeline"/> on <paramref name="data"/> (timestamp order).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; the replay was stopped.</exception>
    /// <exception cref="PipelineRunException">The replay or the pipeline failed; the inner exception says why.</exception>
    public static PipelineRun Run(ReferencePipeline pipeline, IEnumerable<LabeledObservation> data, PipelineRunOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new PipelineRunOptions();
        if (options.Speed is { } s && (!double.IsFinite(s) || s <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), s, "speed must be finite and > 0");
        }

        if (options.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(limit);
            data = data.Take(checked((int)Math.Min(limit, int.MaxValue)));
        }

        var labels = new LabelledEventCollector(pipeline.ScopeOf);
        IScheduler scheduler;
        IObservable<LabeledObservation> replay;
        Action runClock;
        string mode;
        if (options.Speed is null)
        {
            var virtualClock = data is IReadOnlyList<LabeledObservation> { Count: > 0 } list ? new ReplayScheduler(list[0].Timestamp) : new ReplayScheduler();
            scheduler = virtualClock;
            replay = ObservationReplay.Virtual(data, virtualClock);
            runClock = virtualClock.RunToCompletion;
            mode = "virtual";
        }
        else
        {
            var clock = options.WallClock ?? Scheduler.Default;
            scheduler = clock;
            var session = ObservationReplay.Scaled(data, new ReplayOptions { Speed = options.Speed.Value }, clock);
            replay = session.Observations;
            runClock = clock is HistoricalScheduler historical ? historical.Start : () => { };
            mode = string.Create(CultureInfo.InvariantCulture, $"scaled ×{options.Speed.Value:G6}");
        }

        var context = new PipelineContext(scheduler, options.Speed is null, options.MaxPointsPerTrace);
        var monitor = new PipelineMonitor(new MonitorOptions(ReportEvery: int.MaxValue));
        RuntimeStats? final = null;
        using var statsSubscription = monitor.Stats.Subscribe(st => final = st);
        var progress = options.Progress;
        var tapped = progress is null
            ? replay.Do(labels.Observe)
            : replay.Do(o =>
            {
                labels.Observe(o);
                if ((labels.Count & 0xFFFF) == 0)
                {
                    progress(labels.Count);
                }
            });
        var stream = pipeline.Build(tapped.Monitor(monitor), context)
            ?? throw new InvalidOperationException($"pipeline {pipeline.Name}: Build returned null");

        var alerts = new List<PipelineAlert>();
        Exception? error = null;
        using var done = new ManualResetEventSlim();
        var clockTime = Stopwatch.StartNew();
        var subscription = stream.Subscribe(
            alerts.Add,
            e => { error = e; done.Set(); },
            done.Set);
        try
        {
            using (ct.Register(() => { subscription.Dispose(); done.Set(); }))
            {
                runClock();
                if (scheduler is HistoricalScheduler && !done.IsSet && !ct.IsCancellationRequested)
                {
                    // Virtual time (or a test's virtual wall clock): all work is on the scheduler, so the stream must have ended.
                    error = new InvalidOperationException("the pipeline's stream did not complete when the replay's scheduler ran out of work");
                    done.Set();
                }

                done.Wait(CancellationToken.None);
            }
        }
        finally
        {
            subscription.Dispose();
        }

        clockTime.Stop();
        ct.ThrowIfCancellationRequested();
        if (error is not null)
        {
            throw new PipelineRunException($"pipeline {pipeline.Name} failed after {labels.Count:N0} observations: {error.Message}", error);
        }

        var stats = new PipelineRunStats(
            clockTime.Elapsed.TotalSeconds,
            clockTime.Elapsed.TotalSeconds > 0 ? labels.Count / clockTime.Elapsed.TotalSeconds : 0,
            final?.LatencyP50Microseconds,
            final?.LatencyP95Microseconds,
            final?.LatencyP99Microseconds,
            final?.LatencyMaxMicroseconds,
            GC.GetTotalMemory(false),
            PeakWorkingSet());
        return new PipelineRun(
            pipeline.Name, mode, labels.Count, labels.First, labels.Last, alerts,
            labels.Evaluate(alerts, pipeline.DetectionTolerance), context.Figures.All, context.Traces, stats);
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}

/// <summary>A pipeline run failed (bad data, an operator error); the message names the pipeline and the position.</summary>
public sealed class PipelineRunException(string message, Exception inner) : Exception(message, inner);
