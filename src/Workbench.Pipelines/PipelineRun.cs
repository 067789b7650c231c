using System.Globalization;

namespace Workbench.Pipelines;

/// <summary>Run-time figures of a run, measured on the wall clock (not deterministic; never in snapshots).</summary>
/// <param name="WallSeconds">Wall time from subscription to the end of the stream.</param>
/// <param name="EventsPerSecond">Observations per wall second.</param>
/// <param name="LatencyP50Microseconds">Per-observation processing latency (<c>PipelineMonitor</c>), p50.</param>
/// <param name="LatencyP95Microseconds">p95.</param>
/// <param name="LatencyP99Microseconds">p99.</param>
/// <param name="LatencyMaxMicroseconds">max.</param>
/// <param name="ManagedHeapBytes">Managed heap at the end of the run.</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set at the end of the run.</param>
public sealed record PipelineRunStats(
    double WallSeconds,
    double EventsPerSecond,
    double? LatencyP50Microseconds,
    double? LatencyP95Microseconds,
    double? LatencyP99Microseconds,
    double? LatencyMaxMicroseconds,
    long ManagedHeapBytes,
    long PeakWorkingSetBytes)
{
    /// <summary>One line (invariant culture).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"monitor: {WallSeconds:F3} s wall, {EventsPerSecond:N0} observations/s, latency p50 {LatencyP50Microseconds:F1} µs p95 {LatencyP95Microseconds:F1} µs p99 {LatencyP99Microseconds:F1} µs max {LatencyMaxMicroseconds:F1} µs, heap {ManagedHeapBytes / 1048576.0:F1} MB, peak working set {PeakWorkingSetBytes / 1048576.0:F1} MB");
}

/// <summary>The result of one pipeline run.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Mode"><c>virtual</c> or <c>scaled ×X</c>.</param>
/// <param name="Observations">Observations replayed.</param>
/// <param name="First">First timestamp replayed.</param>
/// <param name="Last">Last timestamp replayed.</param>
/// <param name="Alerts">Every alert, in the order raised.</param>
/// <param name="Evaluation">Alerts against the data's labels.</param>
/// <param name="Figures">The pipeline's figures.</param>
/// <param name="Traces">The pipeline's traces (for charts).</param>
/// <param name="Stats">Run-time figures.</param>
public sealed record PipelineRun(
    string Pipeline,
    string Mode,
    long Observations,
    DateTime? First,
    DateTime? Last,
    IReadOnlyList<PipelineAlert> Alerts,
    PipelineEvaluation Evaluation,
    IReadOnlyList<PipelineFigure> Figures,
    PipelineTraces Traces,
    PipelineRunStats Stats)
{
    /// <summary>
    /// The deterministic part as text (no wall-clock figures): the data span, the alerts (all, or the first
    /// <paramref name="maxAlerts"/> and a count of the rest), the evaluation and the figures. Snapshot tests pin it.
    /// </summary>
    public IReadOnlyList<string> Describe(int maxAlerts = 50)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"pipeline {Pipeline}: {Observations:N0} observations {First:yyyy-MM-dd HH:mm:ss} .. {Last:yyyy-MM-dd HH:mm:ss}, {Alerts.Count:N0} alerts"),
        };
        foreach (var a in Alerts.Take(maxAlerts))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  alert {a.Timestamp:yyyy-MM-dd HH:mm:ss} {a.Level,-8} {a.Kind,-10} {a.Scope} score {a.Score:G6}: {a.Message}"));
        }

        if (Alerts.Count > maxAlerts)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  … {Alerts.Count - maxAlerts:N0} more alerts"));
        }

        lines.AddRange(Evaluation.Describe());
        lines.Add("figures:");
        lines.AddRange(Figures.Select(f => "  " + f));
        foreach (var (trace, dropped) in Traces.Dropped.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  trace {trace}: {dropped:N0} points not kept (cap {Traces.MaxPointsPerTrace:N0})"));
        }

        return lines;
    }
}
