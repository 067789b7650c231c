using System.Globalization;
using System.Reactive.Linq;
using Plotly.NET;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;

namespace Workbench.Pipelines.PowerGrid;

/// <summary>Settings of the power-grid load monitor.</summary>
public sealed record PowerGridOptions
{
    /// <summary>The default data: the <c>hourly-load</c> preset (6 regions × 730 days).</summary>
    public HourlyLoadDataset Data { get; init; } = new();

    /// <summary>
    /// The rolling one-step forecaster, as a spec. Default: additive Holt-Winters with a weekly season (168 hours, so it
    /// learns the daily and the weekly shape). The ONNX model in <c>models/</c> was trained on 1-minute latency series and
    /// does not fit hourly load, so this classical forecaster is the pipeline's model.
    /// </summary>
    public string Forecaster { get; init; } = "holt-winters(alpha=0.7,beta=0,gamma=0.2,period=168)";

    /// <summary>k of the k-means daily-profile benchmark.</summary>
    public int Clusters { get; init; } = 12;

    /// <summary>Rows per day (24 for hourly data; 48 for half-hourly).</summary>
    public int SlotsPerDay { get; init; } = 24;

    /// <summary>Days the benchmark is trained on (the first ones); null = the preset's training days (80 % of its days).</summary>
    public int? TrainingDays { get; init; }

    /// <summary>An hour is anomalous when |forecast / benchmark − 1| ≥ this: 0.09 (the original system's rule).</summary>
    public double Threshold { get; init; } = 0.09;

    /// <summary>Critical when the disagreement reaches this.</summary>
    public double Critical { get; init; } = 0.18;

    /// <summary>No new alert for a region within this event time after its previous one resolved.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromHours(12);

    /// <summary>The region whose load, forecast, benchmark and ratio are traced for the charts.</summary>
    public string TraceSeries { get; init; } = "region-01";

    /// <summary>The unit of the values (for figures and charts).</summary>
    public string Unit { get; init; } = "MW";
}

/// <summary>
/// The power-grid load monitor (issue 10, system 1). Per region, hourly load is replayed; a rolling one-step forecaster
/// (<see cref="PowerGridOptions.Forecaster"/>) predicts each hour from the hours before it; a k-means daily-profile
/// benchmark (<c>daily-profile(train=N)</c>) trained on the first 80 % of the days gives the typical load for the hour;
/// the ratio forecast / benchmark is tracked and an hour is anomalous when |ratio − 1| ≥ 0.09 — the same score as the
/// <c>scaling-ratio</c> detector, raised as alerts (warning at 0.09, critical at 0.18, 12 h cooldown per region).
/// Forecast drift is reported as MAE and MAPE over the first and the last 24 monitored hours; the runner's monitor gives
/// latency, throughput (hours/s) and memory.
/// </summary>
public sealed class PowerGridPipeline(PowerGridOptions? options = null) : ReferencePipeline
{
    /// <summary>The settings.</summary>
    public PowerGridOptions Options { get; } = options ?? new PowerGridOptions();

    /// <summary>A small variant for notebooks and snapshot tests: 2 regions × 150 days (30 monitored days, 12 events).</summary>
    public static PowerGridPipeline Reduced() => new(new PowerGridOptions { Data = new HourlyLoadDataset(Regions: 2, Days: 150) });

    /// <summary>
    /// The monitor on NAB's <c>realKnownCause/nyc_taxi</c> (taxi passengers per 30 minutes, 2014-07-01 … 2015-01-31, 215
    /// days): 48 slots per day, a weekly Holt-Winters season of 336 rows, the benchmark trained on the first 172 days
    /// (80 %), so the monitored period holds NAB's Christmas, New Year and blizzard windows.
    /// </summary>
    public static PowerGridPipeline ForNycTaxi() => new(new PowerGridOptions
    {
        Forecaster = "holt-winters(alpha=0.7,beta=0,gamma=0.2,period=336)",
        SlotsPerDay = 48,
        TrainingDays = 172,
        TraceSeries = "realKnownCause/nyc_taxi",
        Unit = "passengers",
    });

    /// <inheritdoc/>
    public override string Name => "power-grid";

    /// <inheritdoc/>
    public override string Title => "Power-grid load monitor";

    /// <inheritdoc/>
    public override string Summary => "Hourly load per region: rolling forecast vs a k-means daily-profile benchmark trained on 80 % of history; alert when |ratio − 1| ≥ 0.09; forecast drift.";

    /// <inheritdoc/>
    public override string Preset => Options.Data.Name;

    /// <summary>The score of an hour is made before it arrives and a spike shows in the next hour's forecast: 3 hours.</summary>
    public override TimeSpan DetectionTolerance => TimeSpan.FromHours(3);

    /// <summary>The days the benchmark is trained on.</summary>
    public int TrainingDays => Options.TrainingDays ?? Options.Data.TrainingDays;

    /// <summary>The forecaster.</summary>
    public IForecaster Forecaster() => OperatorCatalog.BuiltIn.ParseForecaster(Options.Forecaster);

    /// <summary>The benchmark: <c>daily-profile(k, days=train=TrainingDays, slots, weekly=true)</c>.</summary>
    public IForecaster Benchmark() => new DailyProfileForecaster(K: Options.Clusters, Days: TrainingDays, Slots: Options.SlotsPerDay, Train: TrainingDays, Weekly: true);

    /// <summary>The equivalent detector: its score is the pipeline's ratio score, hour by hour.</summary>
    public ScalingRatioDetector Detector() => new(Forecaster(), Benchmark(), Options.Threshold);

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> DefaultData() => Options.Data.Generate(Options.Data.DefaultSeed);

    /// <inheritdoc/>
    public override IObservable<PipelineAlert> Build(IObservable<LabeledObservation> observations, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(context);
        var forecaster = Forecaster();
        var benchmark = Benchmark();
        var o = Options;
        var alertOptions = new AlertOptions(o.Threshold, Critical: o.Critical, Cooldown: o.Cooldown);
        return Observable.Defer(() =>
        {
            var drift = new ForecastDrift(o.SlotsPerDay) /* 24 hours of rows */;
            var hours = 0L;
            var scored = 0L;
            var regions = new HashSet<string>(StringComparer.Ordinal);
            var levels = new long[3];
            var holidays = 0L;
            var scores = observations.Publish(shared => shared.Forecast(forecaster).Zip(shared.Forecast(benchmark), (f, b) =>
            {
                var x = f.Observation;
                hours++;
                regions.Add(x.Series);
                double? score = null;
                if (f.Forecast.Value is { } fy && b.Forecast.Value is { } by && Math.Abs(by) >= 1e-12)
                {
                    score = Math.Abs((fy / by) - 1);
                    scored++;
                    drift.Add(x.Series, x.Value, fy);
                    if (x.Series == o.TraceSeries)
                    {
                        context.Traces.Add("load", x.Timestamp, x.Value ?? double.NaN);
                        context.Traces.Add("forecast", x.Timestamp, fy);
                        context.Traces.Add("benchmark", x.Timestamp, by);
                        context.Traces.Add("ratio", x.Timestamp, fy / by);
                    }
                }

                return new ScoredObservation(x, score);
            }));
            return scores
                .Alert(alertOptions)
                .Where(a => a.State is AlertState.Raised)
                .Select(a =>
                {
                    levels[(int)a.Level]++;
                    if (HourlyLoadDataset.IsHoliday(a.Timestamp.Date))
                    {
                        holidays++;
                    }

                    return new PipelineAlert(a.Series, a.Timestamp, "ratio", a.Level, a.PeakScore,
                        string.Create(CultureInfo.InvariantCulture, $"forecast and benchmark disagree by {a.PeakScore:P1} (≥ {o.Threshold:P0})"));
                })
                .Finally(() =>
                {
                    var f = context.Figures;
                    f.Set("hours.replayed", hours, "count");
                    f.Set("regions", regions.Count, "count");
                    f.Set("benchmark.training_days", TrainingDays, "days");
                    f.Set("hours.scored", scored, "count");
                    f.Set("alerts.warning", levels[(int)AlertLevel.Warning], "count");
                    f.Set("alerts.critical", levels[(int)AlertLevel.Critical], "count");
                    f.Set("alerts.on_holidays", holidays, "count");
                    if (drift.Report() is { } d)
                    {
                        f.Set("forecast.mae.first24h", d.MaeFirst, o.Unit);
                        f.Set("forecast.mae.last24h", d.MaeLast, o.Unit);
                        f.Set("forecast.mape.first24h", d.MapeFirst, "%");
                        f.Set("forecast.mape.last24h", d.MapeLast, "%");
                        f.Set("forecast.mae.drift", d.MaeLast / d.MaeFirst, "×");
                    }
                });
        });
    }

    /// <inheritdoc/>
    public override IReadOnlyList<GenericChart> Charts(PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var t = run.Traces;
        static TimelineLine Line(string name, IReadOnlyList<TracePoint> points, bool dashed = false) =>
            new(name, [.. points.Select(p => p.Timestamp)], [.. points.Select(p => p.Value)], dashed);
        var series = Options.TraceSeries;
        var alerts = run.Alerts.Where(a => a.Scope == series).ToArray();
        var load = t["load"].ToDictionary(p => p.Timestamp, p => p.Value);
        var ratio = t["ratio"].ToDictionary(p => p.Timestamp, p => p.Value);
        var spans = run.Evaluation.Outcomes.Where(e => e.Event.Series == series).Select(e => (e.Event.Start, e.Event.End)).ToArray();
        var times = t["ratio"].Select(p => p.Timestamp).ToArray();
        return
        [
            TimelineChart.Create($"{series}: load, one-step forecast and k-means benchmark (monitored period)",
                [Line("load", t["load"]), Line("forecast", t["forecast"]), Line("benchmark", t["benchmark"], dashed: true)],
                [new TimelineMarkers("alert", [.. alerts.Select(a => a.Timestamp)], [.. alerts.Select(a => load.GetValueOrDefault(a.Timestamp, double.NaN))])],
                spans, Options.Unit),
            TimelineChart.Create($"{series}: forecast / benchmark, alert band ±{Options.Threshold:P0}",
                [
                    Line("ratio", t["ratio"]),
                    new TimelineLine("1 + threshold", times, [.. times.Select(_ => 1 + Options.Threshold)], Dashed: true),
                    new TimelineLine("1 − threshold", times, [.. times.Select(_ => 1 - Options.Threshold)], Dashed: true),
                ],
                [new TimelineMarkers("alert", [.. alerts.Select(a => a.Timestamp)], [.. alerts.Select(a => ratio.GetValueOrDefault(a.Timestamp, double.NaN))])],
                spans, "ratio"),
            TimelineChart.Bars("event recall per anomaly kind (all regions)", [.. run.Evaluation.ByKind.Select(k => (k.Kind, k.Recall))], "recall"),
        ];
    }
}
