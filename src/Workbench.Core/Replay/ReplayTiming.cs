using System.Diagnostics;
using System.Globalization;
using System.Reactive.Concurrency;
using Workbench.Core;

namespace Workbench.Replay;

/// <summary>The setup of a timing measurement (<see cref="ReplayTiming.MeasureAsync"/>).</summary>
public sealed record ReplayTimingOptions
{
    /// <summary>The number of observations replayed; at least 1. Default 2,000.</summary>
    public int Count { get; init; } = 2_000;

    /// <summary>The data-time spacing of the observations; positive. Default 1 s.</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The replay speed; finite and &gt; 0. Default 100 (so 1 s spacing plays every 10 ms).</summary>
    public double Speed { get; init; } = 100;

    /// <summary>The replay's <see cref="ReplayOptions.Clock"/>; default <see cref="ReplayClock.HighResolution"/>.</summary>
    public ReplayClock Clock { get; init; } = ReplayClock.HighResolution;

    /// <summary>The replay's <see cref="ReplayOptions.SpinLead"/> (with <see cref="ReplayClock.Timer"/> only); default zero (plain timers).</summary>
    public TimeSpan SpinLead { get; init; }

    /// <summary>Checks every field's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Count, 1, nameof(Count));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Spacing, TimeSpan.Zero, nameof(Spacing));
        ReplayOptions.ValidateSpeed(Speed);
        new ReplayOptions { Clock = Clock, SpinLead = SpinLead }.Validate();
    }
}

/// <summary>
/// How far from schedule a scaled replay delivered its observations. Lateness is the wall time at <c>OnNext</c>
/// minus the observation's due time (negative = early); the statistics are over absolute lateness unless named
/// otherwise, and also given as a percentage of <see cref="Interval"/>.
/// </summary>
/// <param name="Count">Observations measured.</param>
/// <param name="Speed">The replay speed.</param>
/// <param name="Interval">The wall-time interval between two observations (spacing / speed).</param>
/// <param name="MeanAbsolute">Mean absolute lateness.</param>
/// <param name="P50Absolute">Median absolute lateness (nearest rank).</param>
/// <param name="P99Absolute">99th percentile of absolute lateness (nearest rank).</param>
/// <param name="MaxAbsolute">Largest absolute lateness.</param>
/// <param name="MeanSigned">Mean signed lateness.</param>
/// <param name="MostEarly">The smallest signed lateness (negative when something came early).</param>
/// <param name="WallDuration">Wall time from the first due time to the last delivery (on the replay's clock).</param>
/// <param name="Clock">The replay's clock setting.</param>
/// <param name="Elapsed">Real time (a <see cref="Stopwatch"/>) from subscription to completion.</param>
/// <param name="ProcessCpuTime">CPU time of the whole process (every thread) over <paramref name="Elapsed"/>.</param>
public sealed record ReplayTimingReport(
    int Count,
    double Speed,
    TimeSpan Interval,
    TimeSpan MeanAbsolute,
    TimeSpan P50Absolute,
    TimeSpan P99Absolute,
    TimeSpan MaxAbsolute,
    TimeSpan MeanSigned,
    TimeSpan MostEarly,
    TimeSpan WallDuration,
    ReplayClock Clock = ReplayClock.HighResolution,
    TimeSpan Elapsed = default,
    TimeSpan ProcessCpuTime = default)
{
    /// <summary><see cref="MeanAbsolute"/> as a percentage of <see cref="Interval"/>.</summary>
    public double MeanPercentOfInterval => Percent(MeanAbsolute);

    /// <summary><see cref="P99Absolute"/> as a percentage of <see cref="Interval"/>.</summary>
    public double P99PercentOfInterval => Percent(P99Absolute);

    /// <summary><see cref="MaxAbsolute"/> as a percentage of <see cref="Interval"/>.</summary>
    public double MaxPercentOfInterval => Percent(MaxAbsolute);

    /// <summary>
    /// <see cref="ProcessCpuTime"/> as a percentage of <see cref="Elapsed"/>: the share of one core the process used
    /// while replaying (100 = one core busy all the time); 0 when nothing elapsed.
    /// </summary>
    public double CpuPercentOfOneCore => Elapsed > TimeSpan.Zero ? 100.0 * ProcessCpuTime.Ticks / Elapsed.Ticks : 0;

    private double Percent(TimeSpan t) => 100.0 * t.Ticks / Interval.Ticks;

    /// <summary>One line, e.g. for a CLI: counts, then mean/p50/p99/max in µs and % of the interval.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} events at {Speed}x (interval {Interval.TotalMilliseconds:0.###} ms, wall {WallDuration.TotalSeconds:0.###} s): |lateness| mean {Us(MeanAbsolute)} µs ({MeanPercentOfInterval:0.###} %), p50 {Us(P50Absolute)} µs, p99 {Us(P99Absolute)} µs ({P99PercentOfInterval:0.###} %), max {Us(MaxAbsolute)} µs ({MaxPercentOfInterval:0.###} %); signed mean {Us(MeanSigned)} µs, most early {Us(MostEarly)} µs; {Clock} clock, process CPU {CpuPercentOfOneCore:0.#} % of one core");

    private static string Us(TimeSpan t) => (t.Ticks / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>
/// Measures the timing accuracy of scaled replay on a given wall-clock scheduler: replays a regular synthetic
/// series and records, at each <c>OnNext</c>, the replay clock's time minus the observation's due time (the
/// replay's clock is its own <see cref="HighResolutionScheduler"/> with <see cref="ReplayClock.HighResolution"/> on a
/// system-time scheduler, else the scheduler), and the process CPU time over the replay. Meant for
/// benchmarks run by hand (with <see cref="Scheduler.Default"/>); with a virtual-time scheduler it completes when
/// that scheduler is run.
/// </summary>
public static class ReplayTiming
{
    private static readonly DateTime Origin = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Runs the measurement; completes when the replay does.</summary>
    /// <param name="wallClock">The wall-clock scheduler under test.</param>
    /// <param name="options">The setup; null for the defaults (2,000 observations, 1 s apart, at 100×).</param>
    /// <param name="cancellationToken">Stops the replay and cancels the task.</param>
    public static async Task<ReplayTimingReport> MeasureAsync(
        IScheduler wallClock, ReplayTimingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wallClock);
        options ??= new ReplayTimingOptions();
        options.Validate();

        var values = new double?[options.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 10;
        }

        var source = ObservationSource.FromSeries("timing", Origin, options.Spacing, values);
        var replay = new ReplayOptions { Speed = options.Speed, Clock = options.Clock, SpinLead = options.SpinLead, ProgressInterval = TimeSpan.MaxValue };
        var session = (ScaledReplaySession)ObservationReplay.Scaled(source, replay, wallClock);
        var lateness = new long[options.Count];
        var n = 0;
        DateTimeOffset? firstDue = null;
        var last = default(DateTimeOffset);
        var done = new TaskCompletionSource<ReplayTimingReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cpuAtStart = CpuTime();
        var started = Stopwatch.GetTimestamp();

        var subscription = session.Observations.Subscribe(
            o =>
            {
                var now = session.ClockNow;
                var due = session.DueTimeOf(o.Timestamp) ?? now;
                firstDue ??= due;
                last = now;
                lateness[n++] = (now - due).Ticks;
            },
            ex => done.TrySetException(ex),
            () =>
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                var cpu = CpuTime() - cpuAtStart;
                done.TrySetResult(Summarize(lateness.AsSpan(0, n), options, last - (firstDue ?? last)) with
                {
                    Elapsed = elapsed,
                    ProcessCpuTime = cpu,
                });
            });

        using var registration = cancellationToken.Register(() =>
        {
            subscription.Dispose();
            done.TrySetCanceled(cancellationToken);
        });
        try
        {
            return await done.Task.ConfigureAwait(false);
        }
        finally
        {
            subscription.Dispose();
        }
    }

    private static ReplayTimingReport Summarize(ReadOnlySpan<long> lateness, ReplayTimingOptions options, TimeSpan wall)
    {
        var n = lateness.Length;
        var abs = new long[n];
        double sumAbs = 0, sumSigned = 0;
        var mostEarly = long.MaxValue;
        for (var i = 0; i < n; i++)
        {
            var l = lateness[i];
            abs[i] = Math.Abs(l);
            sumAbs += abs[i];
            sumSigned += l;
            mostEarly = Math.Min(mostEarly, l);
        }

        Array.Sort(abs);
        var interval = TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(options.Spacing.Ticks / options.Speed)));
        return new ReplayTimingReport(
            n,
            options.Speed,
            interval,
            TimeSpan.FromTicks((long)Math.Round(sumAbs / n)),
            TimeSpan.FromTicks(Rank(abs, 0.50)),
            TimeSpan.FromTicks(Rank(abs, 0.99)),
            TimeSpan.FromTicks(abs[n - 1]),
            TimeSpan.FromTicks((long)Math.Round(sumSigned / n)),
            TimeSpan.FromTicks(mostEarly),
            wall,
            options.Clock);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static long Rank(long[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
