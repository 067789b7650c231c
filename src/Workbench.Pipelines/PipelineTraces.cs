namespace Workbench.Pipelines;

/// <summary>One point of a trace: event time and value.</summary>
public readonly record struct TracePoint(DateTime Timestamp, double Value);

/// <summary>
/// Named time series a pipeline records for its charts (a forecast, a ratio, a risk score…). Each trace keeps at most
/// <see cref="MaxPointsPerTrace"/> points; points beyond are not kept but counted (<see cref="Dropped"/>), and the
/// run's report says so. Not thread-safe: a pipeline's stream is serial.
/// </summary>
public sealed class PipelineTraces
{
    private readonly Dictionary<string, List<TracePoint>> _traces = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, long> _dropped = new(StringComparer.Ordinal);

    /// <summary>A trace store keeping up to <paramref name="maxPointsPerTrace"/> points per trace.</summary>
    public PipelineTraces(int maxPointsPerTrace = 200_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPointsPerTrace);
        MaxPointsPerTrace = maxPointsPerTrace;
    }

    /// <summary>The cap per trace.</summary>
    public int MaxPointsPerTrace { get; }

    /// <summary>Appends a point to trace <paramref name="name"/> (created on first use).</summary>
    public void Add(string name, DateTime timestamp, double value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_traces.TryGetValue(name, out var points))
        {
            points = [];
            _traces[name] = points;
            _order.Add(name);
        }

        if (points.Count < MaxPointsPerTrace)
        {
            points.Add(new TracePoint(timestamp, value));
        }
        else
        {
            _dropped[name] = _dropped.GetValueOrDefault(name) + 1;
        }
    }

    /// <summary>The trace names, in creation order.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>The points of trace <paramref name="name"/> (empty when it does not exist).</summary>
    public IReadOnlyList<TracePoint> this[string name] => _traces.TryGetValue(name, out var points) ? points : [];

    /// <summary>Points not kept, per trace, because the trace was full.</summary>
    public IReadOnlyDictionary<string, long> Dropped => _dropped;
}
