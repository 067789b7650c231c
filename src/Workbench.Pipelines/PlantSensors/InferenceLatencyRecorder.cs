using System.Diagnostics;
using System.Globalization;

namespace Workbench.Pipelines.PlantSensors;

/// <summary>
/// Wall-clock durations of inference calls (<see cref="Stopwatch.GetTimestamp"/> around each call), kept apart from a
/// run's deterministic figures: a caller passes one in <see cref="PlantSensorsOptions.InferenceLatency"/> and reads the
/// percentiles after the run. Thread-safe (the run records on its thread, a reader may poll from another).
/// </summary>
public sealed class InferenceLatencyRecorder
{
    private readonly Lock _gate = new();
    private readonly List<long> _ticks = [];

    /// <summary>Calls recorded.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>Records one call that took <paramref name="stopwatchTicks"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void Record(long stopwatchTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stopwatchTicks);
        lock (_gate)
        {
            _ticks.Add(stopwatchTicks);
        }
    }

    /// <summary>The <paramref name="q"/>-quantile (nearest rank) of the recorded durations, in microseconds; null when empty.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside [0, 1].</exception>
    public double? Microseconds(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "q must be in [0, 1]");
        }

        lock (_gate)
        {
            if (_ticks.Count == 0)
            {
                return null;
            }

            var sorted = _ticks.ToArray();
            Array.Sort(sorted);
            var rank = Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1);
            return sorted[rank] * 1e6 / Stopwatch.Frequency;
        }
    }

    /// <summary>Forgets every recorded call.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _ticks.Clear();
        }
    }

    /// <summary>One line: count, p50, p95, p99, max (invariant culture).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"inference latency: {Count:N0} calls, p50 {Microseconds(0.5):F1} µs, p95 {Microseconds(0.95):F1} µs, p99 {Microseconds(0.99):F1} µs, max {Microseconds(1):F1} µs");
}
