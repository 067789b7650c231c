using System.Globalization;
using Workbench.Core;

namespace Workbench.Pipelines;

/// <summary>A labelled anomaly event of the replayed data, in a pipeline's evaluation scope.</summary>
/// <param name="Scope">The scope the event belongs to (<see cref="ReferencePipeline.ScopeOf"/> of its series).</param>
/// <param name="Series">The series whose rows carry the label.</param>
/// <param name="EventId">The label's event id within the series.</param>
/// <param name="Kind">The anomaly kind.</param>
/// <param name="Start">Timestamp of the event's first labelled row.</param>
/// <param name="End">Timestamp of its last labelled row.</param>
public sealed record LabelledEvent(string Scope, string Series, int EventId, string Kind, DateTime Start, DateTime End);

/// <summary>An event and the first alert that caught it (null: missed).</summary>
public sealed record EventOutcome(LabelledEvent Event, PipelineAlert? FirstAlert)
{
    /// <summary>First alert time − event start, when caught.</summary>
    public TimeSpan? Delay => FirstAlert is null ? null : FirstAlert.Timestamp - Event.Start;
}

/// <summary>Event recall and delay of one anomaly kind.</summary>
public sealed record KindOutcome(string Kind, int Events, int Detected, TimeSpan? MeanDelay)
{
    /// <summary>Detected / events (0 when there are none).</summary>
    public double Recall => Events == 0 ? 0 : (double)Detected / Events;
}

/// <summary>
/// How a pipeline's alerts compare with the labels of the data it replayed, event-wise: an event is <b>detected</b> when an
/// alert of its scope falls in [start, end + tolerance] (<see cref="ReferencePipeline.DetectionTolerance"/>); the
/// <b>delay</b> is the first such alert's time minus the event's start; an alert that falls in no event's window of its
/// scope is a <b>false alarm</b>. Several alerts in one event count once for recall; each counts for precision.
/// </summary>
/// <param name="HasLabels">False when the data carried no labelled row: the figures below are then all zero and mean nothing.</param>
/// <param name="Events">Labelled events.</param>
/// <param name="Detected">Events with at least one alert.</param>
/// <param name="Alerts">Alerts raised.</param>
/// <param name="TrueAlerts">Alerts inside some event's window of their scope.</param>
/// <param name="FalseAlarms">Alerts outside every event window of their scope.</param>
/// <param name="DataDays">The replayed span in days (first to last timestamp).</param>
/// <param name="MeanDelay">Mean delay of the detected events.</param>
/// <param name="MedianDelay">Median delay of the detected events.</param>
/// <param name="ByKind">Recall and delay per anomaly kind, kinds in ordinal order.</param>
/// <param name="Outcomes">Every event with its first alert, in (start, scope, series, event id) order.</param>
public sealed record PipelineEvaluation(
    bool HasLabels,
    int Events,
    int Detected,
    int Alerts,
    int TrueAlerts,
    int FalseAlarms,
    double DataDays,
    TimeSpan? MeanDelay,
    TimeSpan? MedianDelay,
    IReadOnlyList<KindOutcome> ByKind,
    IReadOnlyList<EventOutcome> Outcomes)
{
    /// <summary>Detected / events.</summary>
    public double Recall => Events == 0 ? 0 : (double)Detected / Events;

    /// <summary>True alerts / alerts (0 without alerts).</summary>
    public double Precision => Alerts == 0 ? 0 : (double)TrueAlerts / Alerts;

    /// <summary>False alarms per day of replayed data (null for a span under one minute).</summary>
    public double? FalseAlarmsPerDay => DataDays < 1.0 / 1440 ? null : FalseAlarms / DataDays;

    /// <summary>Readable lines: totals, then one per kind (invariant culture; deterministic).</summary>
    public IReadOnlyList<string> Describe()
    {
        if (!HasLabels)
        {
            return ["evaluation: the data has no labelled anomalies (alerts cannot be scored)"];
        }

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"evaluation: {Detected}/{Events} events detected (recall {Recall:F3}), {Alerts} alerts, {FalseAlarms} false alarms (precision {Precision:F3}, {FalseAlarmsPerDay ?? 0:F2}/day), mean delay {Format(MeanDelay)}, median delay {Format(MedianDelay)}"),
        };
        lines.AddRange(ByKind.Select(k => string.Create(CultureInfo.InvariantCulture,
            $"  {k.Kind,-15} {k.Detected,5}/{k.Events,-5} recall {k.Recall:F3}  mean delay {Format(k.MeanDelay)}")));
        return lines;
    }

    internal static string Format(TimeSpan? delay) => delay is not { } d ? "-" : d.ToString(d.TotalDays >= 1 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
}

/// <summary>Collects the labelled events of a replay as it passes, then scores alerts against them.</summary>
internal sealed class LabelledEventCollector(Func<string, string> scopeOf)
{
    private readonly Dictionary<(string Series, int EventId), int> _open = [];
    private readonly List<LabelledEvent> _events = [];
    private readonly Dictionary<string, string> _scopes = new(StringComparer.Ordinal);

    public DateTime? First { get; private set; }

    public DateTime? Last { get; private set; }

    public long Count { get; private set; }

    public void Observe(LabeledObservation o)
    {
        Count++;
        First ??= o.Timestamp;
        Last = o.Timestamp;
        if (!o.Label.IsAnomaly)
        {
            return;
        }

        var id = o.Label.EventId ?? -1;
        if (_open.TryGetValue((o.Series, id), out var i))
        {
            _events[i] = _events[i] with { End = o.Timestamp };
            return;
        }

        if (!_scopes.TryGetValue(o.Series, out var scope))
        {
            scope = scopeOf(o.Series);
            _scopes[o.Series] = scope;
        }

        _open[(o.Series, id)] = _events.Count;
        _events.Add(new LabelledEvent(scope, o.Series, id, o.Label.Kind?.Name ?? "anomaly", o.Timestamp, o.Timestamp));
    }

    public PipelineEvaluation Evaluate(IReadOnlyList<PipelineAlert> alerts, TimeSpan tolerance)
    {
        var events = _events.OrderBy(e => e.Start).ThenBy(e => e.Scope, StringComparer.Ordinal)
            .ThenBy(e => e.Series, StringComparer.Ordinal).ThenBy(e => e.EventId).ToArray();
        var byScope = events.Select((e, i) => (e, i)).GroupBy(x => x.e.Scope, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var first = new PipelineAlert?[events.Length];
        var trueAlerts = 0;
        foreach (var alert in alerts)
        {
            var inside = false;
            if (byScope.TryGetValue(alert.Scope, out var candidates))
            {
                foreach (var (e, i) in candidates)
                {
                    if (alert.Timestamp >= e.Start && alert.Timestamp <= e.End + tolerance)
                    {
                        inside = true;
                        if (first[i] is null || alert.Timestamp < first[i]!.Timestamp)
                        {
                            first[i] = alert;
                        }
                    }
                }
            }

            if (inside)
            {
                trueAlerts++;
            }
        }

        var outcomes = events.Select((e, i) => new EventOutcome(e, first[i])).ToArray();
        var delays = outcomes.Where(o => o.Delay is not null).Select(o => o.Delay!.Value).Order().ToArray();
        var byKind = outcomes.GroupBy(o => o.Event.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var d = g.Where(o => o.Delay is not null).Select(o => o.Delay!.Value).ToArray();
                return new KindOutcome(g.Key, g.Count(), d.Length, d.Length == 0 ? null : Mean(d));
            }).ToArray();
        var days = First is { } f && Last is { } l ? (l - f).TotalDays : 0;
        return new PipelineEvaluation(
            events.Length > 0, events.Length, delays.Length, alerts.Count, trueAlerts, alerts.Count - trueAlerts, days,
            delays.Length == 0 ? null : Mean(delays),
            delays.Length == 0 ? null : Median(delays),
            byKind, outcomes);
    }

    private static TimeSpan Mean(TimeSpan[] values) => TimeSpan.FromTicks((long)values.Average(v => (double)v.Ticks));

    private static TimeSpan Median(TimeSpan[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : TimeSpan.FromTicks((sorted[(sorted.Length / 2) - 1].Ticks + sorted[sorted.Length / 2].Ticks) / 2);
}
