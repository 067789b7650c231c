namespace Workbench.Operators.Monitoring;

/// <summary>When a <see cref="PipelineMonitor"/> reports.</summary>
/// <param name="ReportEvery">Report after every this many events (≥ 0; default 10 000; 0 = not by count).</param>
/// <param name="ReportInterval">Also report on a scheduler tick of this period (&gt; 0), or null (default) for none;
/// needs the monitor's scheduler. In virtual time the ticks follow the virtual clock.</param>
public sealed record MonitorOptions(int ReportEvery = 10_000, TimeSpan? ReportInterval = null)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (ReportEvery < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReportEvery), ReportEvery, "report-every must be >= 0");
        }

        if (ReportInterval is { } i && i <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReportInterval), i, "the report interval must be > 0");
        }
    }
}

/// <summary>
/// One report of a <see cref="PipelineMonitor"/>. Counts are exact; times are wall-clock measurements with
/// <see cref="System.Diagnostics.Stopwatch"/> (they vary from run to run and never feed back into the pipeline).
/// "Interval" means since the previous report of the same run.
/// </summary>
/// <param name="Events">Events seen since the run began.</param>
/// <param name="IntervalEvents">Events in this interval.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since the run began.</param>
/// <param name="IntervalSeconds">Wall-clock seconds of this interval.</param>
/// <param name="EventsPerSecond">Throughput over the interval (IntervalEvents / IntervalSeconds; 0 when either is 0).</param>
/// <param name="LatencyP50Microseconds">Median per-event processing latency in the interval, µs (null without events).
/// Percentiles come from a log-linear histogram: exact below 64 Stopwatch ticks, otherwise within 1.6 %.</param>
/// <param name="LatencyP95Microseconds">95th percentile latency in the interval, µs (null without events).</param>
/// <param name="LatencyP99Microseconds">99th percentile latency in the interval, µs (null without events).</param>
/// <param name="LatencyMaxMicroseconds">Largest latency in the interval, µs, exact (null without events).</param>
/// <param name="ManagedHeapBytes">Bytes in the managed heap now (<see cref="GC.GetTotalMemory(bool)"/>, no collection forced).</param>
/// <param name="AllocatedBytes">Bytes allocated by the process since it started (<see cref="GC.GetTotalAllocatedBytes(bool)"/>).</param>
/// <param name="Gen0Collections">Generation-0 collections since the process started.</param>
/// <param name="Gen1Collections">Generation-1 collections since the process started.</param>
/// <param name="Gen2Collections">Generation-2 collections since the process started.</param>
/// <param name="IsFinal">Whether this is the last report of the run (the stream ended or was disposed).</param>
public sealed record RuntimeStats(
    long Events,
    long IntervalEvents,
    double ElapsedSeconds,
    double IntervalSeconds,
    double EventsPerSecond,
    double? LatencyP50Microseconds,
    double? LatencyP95Microseconds,
    double? LatencyP99Microseconds,
    double? LatencyMaxMicroseconds,
    long ManagedHeapBytes,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    bool IsFinal);
