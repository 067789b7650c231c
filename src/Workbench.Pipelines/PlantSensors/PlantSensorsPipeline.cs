using System.Globalization;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Plotly.NET;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Data;
using Workbench.Onnx;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Windows;

namespace Workbench.Pipelines.PlantSensors;

/// <summary>
/// The plant sensor monitor (issue 10, system 4): what its authors built from a replayer of 15–20 concurrent 1 Hz
/// sensor streams, sliding buffers, an ONNX model plus a baseline model, a weighted-ensemble risk score in [0, 1] and
/// warning/critical alerts with acknowledgement, as one pipeline. <see cref="Build"/> groups the replay into one frame
/// per second (<see cref="FrameObservable.Frames"/>), scores each plant's second with <see cref="PlantRiskModel"/>
/// (the LSTM of <c>models/lstm-latency</c> run batched over all channels of the second, the peer-consensus baseline and
/// a stuck-sensor feature; risk = logistic of the weighted ensemble z, max over channels), and alerts on the plant's
/// risk with the Alert operator (warning 0.7, critical 0.85, clear 0.5, two seconds at a level, 2 min cooldown). An
/// operator, modelled in event time, acknowledges each raised or escalated alert 30 s after it. Alerts are raised and
/// escalated ones, scope = the plant.
/// </summary>
public sealed class PlantSensorsPipeline : ReferencePipeline
{
    /// <summary>The pipeline over <paramref name="dataset"/> (default: the full 18 × 24 h preset) with <paramref name="options"/>.</summary>
    /// <param name="dataset">The preset of the default data.</param>
    /// <param name="options">Model and alert settings (validated here).</param>
    /// <param name="seed">The preset's seed; default its <see cref="PipelineDataset.DefaultSeed"/>.</param>
    public PlantSensorsPipeline(PlantSensorsDataset? dataset = null, PlantSensorsOptions? options = null, long? seed = null)
    {
        Dataset = dataset ?? PlantSensorsDataset.Full;
        Options = options ?? new PlantSensorsOptions();
        Options.Validate();
        Seed = seed ?? Dataset.DefaultSeed;
    }

    /// <summary>The variant the notebook and the snapshot test use: 16 channels × 2 h (115,200 rows, 12 events).</summary>
    public static PlantSensorsPipeline Reduced(PlantSensorsOptions? options = null) => new(PlantSensorsDataset.Small, options);

    /// <summary>The preset of the default data.</summary>
    public PlantSensorsDataset Dataset { get; }

    /// <summary>The model and alert settings.</summary>
    public PlantSensorsOptions Options { get; }

    /// <summary>The preset's seed.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public override string Name => "plant-sensors";

    /// <inheritdoc/>
    public override string Title => "Plant sensor monitor";

    /// <inheritdoc/>
    public override string Summary => "1 Hz correlated plant sensors → per-second ONNX LSTM (batched) + peer-consensus baseline + stuck feature → ensemble risk in [0, 1] → warning 0.7 / critical 0.85 alerts, acknowledged.";

    /// <inheritdoc/>
    public override string Preset => Dataset.Name;

    /// <summary>Alerts up to 2 minutes after an event's last row still count (smoothing and the step back of an upset).</summary>
    public override TimeSpan DetectionTolerance => TimeSpan.FromMinutes(2);

    /// <summary>The plant: the part of the series id before '/' (the whole id when there is none).</summary>
    public override string ScopeOf(string series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var slash = series.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? series : series[..slash];
    }

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> DefaultData() => Dataset.Generate(Seed);

    /// <summary>The alert options of <see cref="Options"/>.</summary>
    public AlertOptions AlertOptions => new(Options.Warning, Options.Critical, Options.Clear, Options.MinCount, Cooldown: Options.Cooldown);

    /// <summary>The model file: <see cref="PlantSensorsOptions.Model"/> as given when absolute or when it exists relative to the current directory, otherwise inside the repository.</summary>
    public string ModelPath => Path.IsPathRooted(Options.Model) || File.Exists(Options.Model) ? Options.Model : WorkbenchPaths.RepositoryFile(Options.Model);

    /// <inheritdoc/>
    public override IObservable<PipelineAlert> Build(IObservable<LabeledObservation> observations, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(context);
        var options = Options;
        var alertOptions = AlertOptions;
        return Observable.Defer(() =>
        {
            var model = OnnxModel.Shared(ModelPath, 1);
            var run = new RunState();
            return Observable.Create<PipelineAlert>(observer =>
            {
                var acknowledgements = new Subject<Acknowledgement>();
                var pending = new Queue<Acknowledgement>();
                var scored = observations
                    .Do(_ => run.Rows++)
                    .Frames()
                    .SelectMany(frame => run.Score(frame, options, model, context))
                    .Do(s =>
                    {
                        // The modelled operator: acknowledgements due before this second are delivered before it (event time).
                        while (pending.Count > 0 && pending.Peek().Timestamp < s.Observation.Timestamp)
                        {
                            run.AcknowledgementsSent++;
                            acknowledgements.OnNext(pending.Dequeue());
                        }
                    });
                var subscription = scored
                    .Alert(alertOptions, acknowledgements)
                    .Do(e => run.Count(e, pending, options.AcknowledgeAfter))
                    .Where(e => e.State is AlertState.Raised or AlertState.Escalated)
                    .Select(e => run.ToAlert(e))
                    .Finally(() => run.Report(context))
                    .Subscribe(observer);
                return new CompositeDisposable(subscription, acknowledgements, run);
            });
        });
    }

    /// <inheritdoc/>
    public override IReadOnlyList<GenericChart> Charts(PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var charts = new List<GenericChart>();
        var plants = run.Traces.Names.Where(n => n.StartsWith("risk:", StringComparison.Ordinal)).ToArray();
        foreach (var name in plants.Take(1))
        {
            var risk = run.Traces[name];
            var times = risk.Select(p => p.Timestamp).ToArray();
            var ends = times.Length == 0 ? Array.Empty<DateTime>() : [times[0], times[^1]];
            var plant = name["risk:".Length..];
            var alerts = run.Alerts.Where(a => a.Scope == plant).ToArray();
            charts.Add(TimelineChart.Create(
                $"{plant}: risk score (ensemble, max over channels) with alert levels",
                [
                    new TimelineLine("risk", times, risk.Select(p => p.Value).ToArray()),
                    new TimelineLine("warning 0.7", ends, ends.Select(_ => Options.Warning).ToArray(), Dashed: true),
                    new TimelineLine("critical 0.85", ends, ends.Select(_ => Options.Critical).ToArray(), Dashed: true),
                ],
                [
                    new TimelineMarkers("warning alerts", alerts.Where(a => a.Level == AlertLevel.Warning).Select(a => a.Timestamp).ToArray(),
                        alerts.Where(a => a.Level == AlertLevel.Warning).Select(a => a.Score).ToArray(), "triangle-up"),
                    new TimelineMarkers("critical alerts", alerts.Where(a => a.Level == AlertLevel.Critical).Select(a => a.Timestamp).ToArray(),
                        alerts.Where(a => a.Level == AlertLevel.Critical).Select(a => a.Score).ToArray(), "x"),
                ],
                run.Evaluation.Outcomes.Where(o => o.Event.Scope == plant).Select(o => (o.Event.Start, o.Event.End)).Distinct().ToArray(),
                "risk"));
            if (ChannelsAround(run, plant) is { } around)
            {
                charts.Add(around);
            }
        }

        charts.Add(TimelineChart.Bars("alerts per level and lifecycle step",
        [
            .. run.Figures.Where(f => f.Name.StartsWith("alerts.", StringComparison.Ordinal)).Select(f => (f.Name["alerts.".Length..], f.Value)),
        ], "alerts"));
        return charts;
    }

    /// <summary>The standardised channels of <paramref name="plant"/> in the 10 minutes around its first upset (else first) alert: the three that move most, and one that does not.</summary>
    private static GenericChart? ChannelsAround(PipelineRun run, string plant)
    {
        var alert = run.Evaluation.Outcomes.FirstOrDefault(o => o.Event.Scope == plant && o.Event.Kind == "upset" && o.FirstAlert is not null)?.FirstAlert
            ?? run.Alerts.FirstOrDefault(a => a.Scope == plant);
        if (alert is null)
        {
            return null;
        }

        var from = alert.Timestamp.AddMinutes(-5);
        var to = alert.Timestamp.AddMinutes(5);
        var prefix = "z:" + plant + "/";
        var windows = run.Traces.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => (Name: n[prefix.Length..], Points: run.Traces[n].Where(p => p.Timestamp >= from && p.Timestamp <= to).ToArray()))
            .Where(w => w.Points.Length > 1)
            .Select(w => (w.Name, w.Points, Range: w.Points.Max(p => p.Value) - w.Points.Min(p => p.Value)))
            .OrderByDescending(w => w.Range).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToArray();
        if (windows.Length == 0)
        {
            return null;
        }

        var shown = windows.Take(3).Append(windows[^1]).DistinctBy(w => w.Name).ToArray();
        return TimelineChart.Create(
            string.Create(CultureInfo.InvariantCulture, $"{plant}: standardised channels around the alert at {alert.Timestamp:HH:mm:ss} (three that move most, one that does not)"),
            [.. shown.Select(w => new TimelineLine(w.Name, w.Points.Select(p => p.Timestamp).ToArray(), w.Points.Select(p => p.Value).ToArray()))],
            [new TimelineMarkers("alert", [alert.Timestamp], [0.0])],
            run.Evaluation.Outcomes.Where(o => o.Event.Scope == plant && o.Event.End >= from && o.Event.Start <= to)
                .Select(o => (o.Event.Start < from ? from : o.Event.Start, o.Event.End > to ? to : o.Event.End)).Distinct().ToArray(),
            "z (running standard score)");
    }

    /// <summary>Everything one run keeps: the per-plant models, the last risk point per plant, counts.</summary>
    private sealed class RunState : IDisposable
    {
        private readonly Dictionary<string, PlantRiskModel> _plants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PlantRiskPoint> _last = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<LabeledObservation>> _split = new(StringComparer.Ordinal);

        public long Rows { get; set; }

        public long Seconds { get; private set; }

        public long Scored { get; private set; }

        public long AcknowledgementsSent { get; set; }

        public long RaisedWarning { get; private set; }

        public long RaisedCritical { get; private set; }

        public long Escalated { get; private set; }

        public long Acknowledged { get; private set; }

        public long Resolved { get; private set; }

        public double MaxRisk { get; private set; }

        public IEnumerable<ScoredObservation> Score(ObservationFrame frame, PlantSensorsOptions options, OnnxModel model, PipelineContext context)
        {
            Seconds++;
            var single = SinglePlant(frame);
            if (single is not null)
            {
                return [Step(single, frame.Timestamp, frame.Observations, options, model, context)];
            }

            foreach (var rows in _split.Values)
            {
                rows.Clear();
            }

            foreach (var o in frame.Observations)
            {
                var plant = PlantOf(o.Series);
                if (!_split.TryGetValue(plant, out var rows))
                {
                    rows = [];
                    _split.Add(plant, rows);
                }

                rows.Add(o);
            }

            var result = new List<ScoredObservation>(_split.Count);
            foreach (var (plant, rows) in _split.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (rows.Count > 0)
                {
                    result.Add(Step(plant, frame.Timestamp, rows, options, model, context));
                }
            }

            return result;
        }

        private static string PlantOf(string series)
        {
            var slash = series.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? series : series[..slash];
        }

        /// <summary>The plant of every row when the frame holds one plant only (the usual case), else null.</summary>
        private static string? SinglePlant(ObservationFrame frame)
        {
            var first = frame.Observations[0].Series;
            var slash = first.IndexOf('/', StringComparison.Ordinal);
            var prefix = slash < 0 ? first : first[..(slash + 1)];
            foreach (var o in frame.Observations)
            {
                if (slash < 0 ? o.Series != first : !o.Series.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return null;
                }
            }

            return slash < 0 ? first : first[..slash];
        }

        private ScoredObservation Step(string plant, DateTime timestamp, IReadOnlyList<LabeledObservation> rows, PlantSensorsOptions options, OnnxModel model, PipelineContext context)
        {
            if (!_plants.TryGetValue(plant, out var m))
            {
                m = new PlantRiskModel(plant, options, model);
                _plants.Add(plant, m);
            }

            var point = m.Step(timestamp, rows);
            _last[plant] = point;
            foreach (var ch in m.State)
            {
                if (ch.Present)
                {
                    context.Traces.Add(ch.TraceName, timestamp, Math.Round(ch.Z, 4));
                }
            }

            if (point.Risk is { } r)
            {
                Scored++;
                MaxRisk = Math.Max(MaxRisk, r);
                context.Traces.Add(m.TraceName, timestamp, Math.Round(r, 4));
            }

            return new ScoredObservation(LabeledObservation.Normal(m.Plant, timestamp, point.Risk), point.Risk);
        }

        public void Count(AlertEvent e, Queue<Acknowledgement> pending, TimeSpan acknowledgeAfter)
        {
            switch (e.State)
            {
                case AlertState.Raised when e.Level == AlertLevel.Warning:
                    RaisedWarning++;
                    break;
                case AlertState.Raised:
                    RaisedCritical++;
                    break;
                case AlertState.Escalated:
                    Escalated++;
                    break;
                case AlertState.Acknowledged:
                    Acknowledged++;
                    break;
                default:
                    Resolved++;
                    break;
            }

            if (e.State is AlertState.Raised or AlertState.Escalated)
            {
                pending.Enqueue(new Acknowledgement(e.Series, e.AlertId, e.Timestamp + acknowledgeAfter));
            }
        }

        public PipelineAlert ToAlert(AlertEvent e)
        {
            var p = _last[e.Series];
            var step = e.State == AlertState.Escalated ? "escalated to critical" : e.Level == AlertLevel.Critical ? "critical" : "warning";
            return new PipelineAlert(e.Series, e.Timestamp, "risk", e.Level, Math.Round(e.PeakScore, 6),
                string.Create(CultureInfo.InvariantCulture,
                    $"{step}: risk {p.Risk:F3}, {p.Channel} ensemble z {p.EnsembleZ:F2} (onnx {p.OnnxZ:F1}, peer {p.PeerZ:F1}, stuck {p.StuckSeconds} s), {p.ChannelsAtWarning} channel(s) at warning"));
        }

        public void Report(PipelineContext context)
        {
            var f = context.Figures;
            f.Set("rows.replayed", Rows, "count");
            f.Set("rows.missing", _plants.Values.Sum(m => m.Missing), "count");
            f.Set("rows.duplicate", _plants.Values.Sum(m => m.Duplicates), "count");
            f.Set("plants", _plants.Count, "count");
            f.Set("channels", _plants.Values.Sum(m => m.Channels), "count");
            f.Set("seconds", Seconds, "count");
            f.Set("seconds.scored", Scored, "count");
            f.Set("inference.calls", _plants.Values.Sum(m => m.InferenceCalls), "count");
            f.Set("inference.windows", _plants.Values.Sum(m => m.InferenceWindows), "count");
            f.Set("risk.max", Math.Round(MaxRisk, 6));
            f.Set("alerts.raised.warning", RaisedWarning, "count");
            f.Set("alerts.raised.critical", RaisedCritical, "count");
            f.Set("alerts.escalated", Escalated, "count");
            f.Set("alerts.acknowledged", Acknowledged, "count");
            f.Set("alerts.resolved", Resolved, "count");
            f.Set("acknowledgements.sent", AcknowledgementsSent, "count");
            f.Set("acknowledgements.ignored", AcknowledgementsSent - Acknowledged, "count");
        }

        public void Dispose()
        {
            foreach (var m in _plants.Values)
            {
                m.Dispose();
            }
        }
    }
}
