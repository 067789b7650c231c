using System.Globalization;
using System.Reactive;
using System.Reactive.Linq;
using Plotly.NET;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Rolling;
using Workbench.Operators.Windows;

namespace Workbench.Pipelines.SmartMeters;

/// <summary>
/// Smart-meter telemetry (issue 10, system 3): per-meter power readings (kW) of a whole fleet in one stream, aggregated
/// into 1-minute and 15-minute tumbling windows (mean, max, energy, count); an EMA baseline per meter with 80/20
/// weighting on the 1-minute means (baseline = 0.8·baseline + 0.2·mean); alerts with severity, scope = the meter, at
/// the window end (event time):
/// <list type="bullet">
/// <item><b>spike</b>: the 1-minute mean more than 100 % above the baseline (score = change / 1; warning ≥ 1, critical ≥ 2,
/// i.e. ≥ 200 % above);</item>
/// <item><b>drop</b>: more than 50 % below it (score = −change / 0.5; warning ≥ 1, critical ≥ 1.4, i.e. ≥ 70 % below);</item>
/// <item><b>outage</b>: a 1-minute mean below 0.1 kW (score = consecutive such windows, <see cref="OutageDetector"/>;
/// warning at 1, escalated to critical at 5 minutes).</item>
/// </list>
/// An alert is paged when raised and when escalated (<see cref="AlertObservable.Alert(IObservable{ScoredObservation}, AlertOptions, IObservable{Acknowledgement})"/>,
/// one state machine per kind and meter, resolved when the score falls back below 1). Outage windows do not update the
/// baseline (they are passed to it as missing), so the return of supply is not taken for a spike. Windows close on
/// event time: when the meter's next reading at or past the window end arrives (≤ 60 s later at the preset's cadence).
/// </summary>
public sealed class SmartMetersPipeline : ReferencePipeline
{
    /// <summary>The short window: the baseline and the alerts work on its means.</summary>
    public static readonly TimeSpan ShortWindow = TimeSpan.FromMinutes(1);

    /// <summary>The long window: energy per quarter hour (the billing interval).</summary>
    public static readonly TimeSpan LongWindow = TimeSpan.FromMinutes(15);

    /// <summary>EMA weight of the newest 1-minute mean (80/20 weighting).</summary>
    public const double Alpha = 0.2;

    /// <summary>Relative rise above the baseline that is a spike (1 = 100 %).</summary>
    public const double SpikeRise = 1.0;

    /// <summary>Relative fall below the baseline that is a drop (0.5 = 50 %).</summary>
    public const double DropFall = 0.5;

    /// <summary>A 1-minute mean below this (kW) is an outage.</summary>
    public const double OutageBelowKw = 0.1;

    /// <summary>1-minute windows that only build a meter's baseline before it is compared.</summary>
    public const int BaselineWarmup = 5;

    /// <summary>Spike alerts: warning at the threshold (+100 %), critical at twice it (+200 %).</summary>
    public static AlertOptions SpikeAlert { get; } = new(1, Critical: 2);

    /// <summary>Drop alerts: warning at the threshold (−50 %), critical at 1.4 times it (−70 %).</summary>
    public static AlertOptions DropAlert { get; } = new(1, Critical: 1.4);

    /// <summary>Outage alerts on the run length: warning at the first outage window, critical after 5 minutes.</summary>
    public static AlertOptions OutageAlert { get; } = new(1, Critical: 5);

    private readonly SmartMetersDatasetOptions _data;
    private readonly long _seed;

    /// <summary>The pipeline over the <c>smart-meters</c> preset shaped by <paramref name="data"/> (default: the full-size fleet,
    /// 2,000 meters over one day) and generated with <paramref name="seed"/>.</summary>
    public SmartMetersPipeline(SmartMetersDatasetOptions? data = null, long seed = SmartMetersDataset.Seed)
    {
        _data = data ?? new SmartMetersDatasetOptions();
        _data.Validate();
        _seed = seed;
    }

    /// <summary>The reduced variant (50 meters × 6 hours, 8 events of each kind; replays in well under 2 s): notebook and snapshot.</summary>
    public static SmartMetersPipeline Reduced() => new(SmartMetersDatasetOptions.Reduced);

    /// <inheritdoc/>
    public override string Name => "smart-meters";

    /// <inheritdoc/>
    public override string Title => "Smart-meter telemetry";

    /// <inheritdoc/>
    public override string Summary => "Fleet power readings tumbled into 1 m / 15 m windows per meter; an 80/20 EMA baseline on the 1 m means flags spikes (>100 % above), drops (>50 % below) and outages (<0.1 kW) with severity.";

    /// <inheritdoc/>
    public override string Preset => "smart-meters";

    /// <summary>The shape of the default data.</summary>
    public SmartMetersDatasetOptions Data => _data;

    /// <summary>The seed of the default data.</summary>
    public long Seed => _seed;

    /// <summary>Meters (the first ones to report) whose 1-minute means and baseline are traced for the charts (default 8).</summary>
    public int ChartMeters { get; init; } = 8;

    /// <summary>
    /// Two short windows: an alert lies at the end of a window, up to one window after the event's last reading; the
    /// first window after the event, where the baseline still carries the event (the recovery), ends up to two windows after it.
    /// </summary>
    public override TimeSpan DetectionTolerance => 2 * ShortWindow;

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> DefaultData() => new SmartMetersDataset(_data).Generate(_seed);

    /// <inheritdoc/>
    public override IObservable<PipelineAlert> Build(IObservable<LabeledObservation> observations, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(context);
        var chartMeters = ChartMeters;
        return Observable.Defer(() =>
        {
            var tally = new Tally(context, chartMeters);
            var shortReport = Observer.Create<HygieneReport>(r => tally.ShortReport = r);
            var longReport = Observer.Create<HygieneReport>(r => tally.LongReport = r);
            return observations.Do(tally.OnReading).Publish(readings =>
                {
                    var energy = readings.Tumble(new TumblingOptions(LongWindow), report: longReport)
                        .Do(w => tally.OnLongWindow(MeterWindow.From(w)))
                        .IgnoreElements()
                        .Select(static _ => default(PipelineAlert)!);
                    var alerts = readings.Tumble(new TumblingOptions(ShortWindow), report: shortReport)
                        .Select(MeterWindow.From)
                        .Do(tally.OnShortWindow)
                        .Select(w => new LabeledObservation(w.Meter, w.End, w.MeanKw, AnomalyLabel.Normal))
                        .Publish(means => Observable.Merge(Deviations(means, tally), Outages(means, tally)));
                    return Observable.Merge(energy, alerts);
                })
                .Do(tally.OnAlert, _ => tally.Report(), tally.Report);
        });
    }

    /// <summary>Spike and drop: the 80/20 EMA baseline of the 1-minute means (outage windows held out) and one alert state per kind.</summary>
    private static IObservable<PipelineAlert> Deviations(IObservable<LabeledObservation> means, Tally tally) =>
        means.Select(m => m.Value is { } v && v >= OutageBelowKw ? m : m with { Value = null })
            .Rolling(new EmaBaselineOptions(Alpha, BaselineWarmup))
            .Do(tally.OnBaseline)
            .Publish(changes => Observable.Merge(
                changes.Select(c => new ScoredObservation(c.Observation, c.Stat?.Change / SpikeRise))
                    .Alert(SpikeAlert)
                    .Where(Pages)
                    .Select(a => tally.ToAlert(a, "spike")),
                changes.Select(c => new ScoredObservation(c.Observation, -c.Stat?.Change / DropFall))
                    .Alert(DropAlert)
                    .Where(Pages)
                    .Select(a => tally.ToAlert(a, "drop"))));

    /// <summary>Outage: runs of 1-minute means below 0.1 kW.</summary>
    private static IObservable<PipelineAlert> Outages(IObservable<LabeledObservation> means, Tally tally) =>
        means.Detect(new OutageDetector(OutageBelowKw))
            .Alert(OutageAlert)
            .Where(Pages)
            .Select(a => tally.ToAlert(a, "outage"));

    private static bool Pages(AlertEvent a) => a.State is AlertState.Raised or AlertState.Escalated;

    /// <inheritdoc/>
    public override IReadOnlyList<GenericChart> Charts(PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var charts = new List<GenericChart>();
        var meters = run.Traces.Names.Where(n => n.EndsWith(Tally.MeanTrace, StringComparison.Ordinal))
            .Select(n => n[..^Tally.MeanTrace.Length]).ToArray();
        if (meters.Length > 0)
        {
            var events = run.Evaluation.Outcomes.GroupBy(o => o.Event.Scope, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var meter = meters.OrderByDescending(m => events.GetValueOrDefault(m)).First();
            var mean = run.Traces[meter + Tally.MeanTrace];
            var baseline = run.Traces[meter + Tally.BaselineTrace];
            var at = mean.GroupBy(p => p.Timestamp).ToDictionary(g => g.Key, g => g.First().Value);
            var markers = run.Alerts.Where(a => a.Scope == meter).GroupBy(a => a.Kind, StringComparer.Ordinal)
                .Select(g => new TimelineMarkers($"{g.Key} alert", [.. g.Select(a => a.Timestamp)], [.. g.Select(a => at.GetValueOrDefault(a.Timestamp))],
                    g.Key switch { "spike" => "triangle-up", "drop" => "triangle-down", _ => "x" }))
                .ToArray();
            var spans = run.Evaluation.Outcomes.Where(o => o.Event.Scope == meter).Select(o => (o.Event.Start, o.Event.End)).ToArray();
            charts.Add(TimelineChart.Create($"{meter}: 1-minute mean, EMA baseline (80/20) and alerts; labelled events shaded",
                [
                    new TimelineLine("1-min mean (kW)", [.. mean.Select(p => p.Timestamp)], [.. mean.Select(p => p.Value)]),
                    new TimelineLine("baseline (kW)", [.. baseline.Select(p => p.Timestamp)], [.. baseline.Select(p => p.Value)], Dashed: true),
                ],
                markers, spans, "kW"));
        }

        var perKind = run.Alerts.GroupBy(a => (a.Kind, a.Level)).OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Level)
            .Select(g => ($"{g.Key.Kind} {g.Key.Level.ToString().ToLowerInvariant()}", (double)g.Count())).ToArray();
        charts.Add(TimelineChart.Bars("alerts per kind and severity (raised or escalated)", perKind, "alerts"));
        var energy = run.Traces[Tally.FleetEnergyTrace];
        charts.Add(TimelineChart.Create("fleet energy per 15 minutes (sum over meters of mean kW × 0.25 h)",
            [new TimelineLine("fleet energy (kWh)", [.. energy.Select(p => p.Timestamp)], [.. energy.Select(p => p.Value)])], yTitle: "kWh"));
        charts.Add(TimelineChart.Bars("event recall per anomaly kind", [.. run.Evaluation.ByKind.Select(k => (k.Kind, k.Recall))], "recall"));
        return charts;
    }

    /// <summary>The run's counters, traces and the last window seen per meter (state of one subscription).</summary>
    private sealed class Tally(PipelineContext context, int chartMeters)
    {
        public const string MeanTrace = " 1m mean";
        public const string BaselineTrace = " baseline";
        public const string FleetEnergyTrace = "fleet energy 15m";

        private readonly HashSet<string> _meters = new(StringComparer.Ordinal);
        private readonly HashSet<string> _traced = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (double? Mean, double? Baseline)> _last = new(StringComparer.Ordinal);
        private readonly SortedDictionary<DateTime, double> _fleetEnergy = [];
        private readonly Dictionary<string, long> _alerts = new(StringComparer.Ordinal) { ["spike"] = 0, ["drop"] = 0, ["outage"] = 0 };
        private long _readings;
        private long _shortWindows;
        private long _longWindows;
        private long _held;
        private long _escalated;
        private long _critical;
        private DateTime _watermark;
        private double _lagSum;
        private double _lagMax;
        private bool _reported;

        public HygieneReport? ShortReport { get; set; }

        public HygieneReport? LongReport { get; set; }

        public void OnReading(LabeledObservation o)
        {
            _readings++;
            if (o.Timestamp > _watermark)
            {
                _watermark = o.Timestamp;
            }

            if (_meters.Add(o.Series) && _traced.Count < chartMeters)
            {
                _traced.Add(o.Series);
            }
        }

        public void OnShortWindow(MeterWindow w)
        {
            _shortWindows++;
            if (w.MeanKw is { } m && m < OutageBelowKw)
            {
                _held++;
            }

            _last[w.Meter] = (w.MeanKw, null);
            if (_traced.Contains(w.Meter))
            {
                context.Traces.Add(w.Meter + MeanTrace, w.End, w.MeanKw ?? double.NaN);
            }
        }

        public void OnBaseline(RolledObservation<BaselineChange> c)
        {
            var meter = c.Observation.Series;
            var baseline = c.Stat?.Baseline;
            _last[meter] = (_last.GetValueOrDefault(meter).Mean, baseline);
            if (_traced.Contains(meter))
            {
                context.Traces.Add(meter + BaselineTrace, c.Observation.Timestamp, baseline ?? double.NaN);
            }
        }

        public void OnLongWindow(MeterWindow w)
        {
            _longWindows++;
            _fleetEnergy[w.Start] = _fleetEnergy.GetValueOrDefault(w.Start) + w.EnergyKwh;
        }

        public PipelineAlert ToAlert(AlertEvent a, string kind)
        {
            var (mean, baseline) = _last.GetValueOrDefault(a.Series);
            var level = a.Level.ToString().ToLowerInvariant();
            var escalated = a.State is AlertState.Escalated;
            if (escalated)
            {
                _escalated++;
            }

            var verb = escalated ? "escalated to " : string.Empty;
            var message = kind == "outage"
                ? string.Create(CultureInfo.InvariantCulture, $"outage {verb}{level}: 1-min mean {mean:F3} kW < {OutageBelowKw} kW for {a.PeakScore:F0} min")
                : string.Create(CultureInfo.InvariantCulture, $"{kind} {verb}{level}: 1-min mean {mean:F3} kW vs baseline {baseline:F3} kW ({(mean - baseline) / baseline:+0%;-0%})");
            return new PipelineAlert(a.Series, a.Timestamp, kind, a.Level, a.PeakScore, message);
        }

        public void OnAlert(PipelineAlert a)
        {
            _alerts[a.Kind]++;
            if (a.Level is AlertLevel.Critical)
            {
                _critical++;
            }

            // At completion the last windows are flushed before any reading passed their end: no lag to speak of.
            var lag = Math.Max(0, (_watermark - a.Timestamp).TotalSeconds);
            _lagSum += lag;
            _lagMax = Math.Max(_lagMax, lag);
        }

        public void Report()
        {
            if (_reported)
            {
                return;
            }

            _reported = true;
            var f = context.Figures;
            f.Set("readings", _readings, "count");
            f.Set("meters", _meters.Count, "count");
            f.Set("windows.1m", _shortWindows, "count");
            f.Set("windows.15m", _longWindows, "count");
            f.Set("tumble.1m.late", ShortReport?.Total.Late ?? 0, "count");
            f.Set("tumble.1m.dropped", ShortReport?.Total.Dropped ?? 0, "count");
            f.Set("tumble.15m.late", LongReport?.Total.Late ?? 0, "count");
            f.Set("tumble.15m.dropped", LongReport?.Total.Dropped ?? 0, "count");
            f.Set("baseline.held_outage_windows", _held, "count");
            foreach (var (kind, count) in _alerts)
            {
                f.Set($"alerts.{kind}", count, "count");
            }

            f.Set("alerts.escalated", _escalated, "count");
            f.Set("alerts.critical", _critical, "count");
            var alerts = _alerts.Values.Sum();
            f.Set("alerts.lag_after_window_end.mean", alerts == 0 ? 0 : _lagSum / alerts, "s");
            f.Set("alerts.lag_after_window_end.max", _lagMax, "s");
            f.Set("energy.fleet.total", _fleetEnergy.Values.Sum(), "kWh");
            f.Set("energy.fleet.peak_15m", _fleetEnergy.Count == 0 ? 0 : _fleetEnergy.Values.Max(), "kWh");
            foreach (var (start, kwh) in _fleetEnergy)
            {
                context.Traces.Add(FleetEnergyTrace, start, kwh);
            }
        }
    }
}
