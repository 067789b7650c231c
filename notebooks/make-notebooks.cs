// Writes notebooks/01-…06-*.ipynb from the cell texts below, through the Notebook model API, clean (no outputs,
// no execution counts) and in the model's stable JSON formatting. Edit the cells here, then run from the repository
// root (after a build):
//     dotnet run notebooks/make-notebooks.cs
// The notebook suite test checks that every committed notebook is clean and formatted as this script writes it.
#:project ../src/Workbench.Notebooks/Workbench.Notebooks.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false

using Workbench.Notebooks;

var folder = Path.GetDirectoryName(Path.GetFullPath(args.Length > 0 ? args[0] : "notebooks/make-notebooks.cs"))!;
if (!File.Exists(Path.Combine(folder, "README.md")))
{
    Console.Error.WriteLine($"Run from the repository root (no notebooks/README.md under {folder}).");
    return 1;
}

foreach (var (name, cells) in Book.All)
{
    var nb = Notebook.CreateCSharp();
    foreach (var (markdown, text) in cells)
    {
        nb.Cells.Add(markdown ? NotebookCell.Markdown(text.Trim('\n')) : NotebookCell.CSharp(text.Trim('\n')));
    }

    var path = Path.Combine(folder, name);
    nb.Save(path);
    Console.WriteLine($"{path}: {nb.Cells.Count} cells");
}

return 0;

static class Book
{
    static (bool, string) Md(string text) => (true, text);

    static (bool, string) Code(string text) => (false, text);

    const string Lib = "#r \"../artifacts/notebook-lib/";

    /// <summary>A reference-pipeline notebook: the pipeline's reduced variant run in virtual time, its report and charts,
    /// the same run on a scaled wall clock, and the alerts as a table. All logic is in src/Workbench.Pipelines.</summary>
    static (bool, string)[] PipelineBook(string title, string intro, string ns, string type, string name, string[] extraRefs, string dataNote) =>
    [
        Md($"# {title}\n\n{intro.Trim('\n')}\n\nThe full-size run is one command: `workbench pipeline run {name}` (add `--report run.html` for these charts,\n`--json` for everything as JSON); docs/pipelines/{name}.md describes the system and how each part maps to Workbench."),
        Code(Refs([.. new[] { "Workbench.Core", "Workbench.Charts", "Workbench.Pipelines" }, .. extraRefs, "System.Reactive", "Plotly.NET", "Plotly.NET.CSharp"]) + $$"""


using Workbench.Core;
using Workbench.Pipelines;
using {{ns}};
"""),
        Md($"## The pipeline and its data\n\n{dataNote.Trim('\n')}"),
        Code($$"""
var pipeline = {{type}}.Reduced();
Console.WriteLine($"{pipeline.Title} ({pipeline.Name}): {pipeline.Summary}");
Console.WriteLine($"preset {pipeline.Preset}; an alert counts for an event up to {pipeline.DetectionTolerance} after its last labelled row");
"""),
        Md("""
## Run it in virtual time

`PipelineRunner.Run` replays the data on a virtual clock (as fast as the CPU allows, deterministic), runs the pipeline
and evaluates its alerts against the labels event by event: detected events, false alarms, delay, per anomaly kind; then
the pipeline's own figures and the run-time monitor (wall-clock figures, which change from run to run).
"""),
        Code("""
var run = PipelineRunner.Run(pipeline);
Console.WriteLine(string.Join("\n", run.Describe(maxAlerts: 10)));
Console.WriteLine(run.Stats);
"""),
        Md("""
## Charts
"""),
        Code("""
foreach (var chart in pipeline.Charts(run)) display(chart);
"""),
        Md("""
## The same alerts on a live clock

The pipeline decides on event time only, so a scaled wall-clock replay (here 10⁹ × real time: the data take a few
milliseconds) raises exactly the alerts of the virtual-time run.
"""),
        Code("""
var live = PipelineRunner.Run(pipeline, new PipelineRunOptions { Speed = 1e9 });
Console.WriteLine($"{live.Mode}: {live.Alerts.Count} alerts, identical to the virtual-time run: {live.Alerts.SequenceEqual(run.Alerts)}");
"""),
        Md("""
## The alerts
"""),
        Code("""
run.Alerts.Take(25).Select(a => new { a.Timestamp, a.Scope, a.Kind, Level = a.Level.ToString(), Score = Math.Round(a.Score, 4), a.Message }).ToArray()
"""),
    ];

    static string Refs(params string[] assemblies) =>
        string.Join("\n", assemblies.Select(a => $"{Lib}{a}.dll\""));

    public static readonly (string Name, (bool Markdown, string Text)[] Cells)[] All =
    [
        ("01-replay.ipynb",
        [
            Md("""
# 01 · Replay: virtual time and scaled wall-clock time

A labelled dataset becomes an `IObservable<LabeledObservation>` in one of two clocks (docs/REPLAY.md):

* **virtual time** (`ObservationReplay.Virtual` on a `ReplayScheduler`): the clock *is* each observation's timestamp, so a
  day of data replays in milliseconds and time-based operators downstream behave exactly as they would live;
* **scaled wall-clock time** (`ObservationReplay.Scaled` → `IReplaySession`): data time divided by a speed, with pause,
  seek and speed changes while it runs, for demos and dashboards.

The last cell draws the replayed series with `ReplayChart`.
"""),
            Code(Refs("Workbench.Core", "Workbench.Charts", "Workbench.Pipelines", "System.Reactive", "Plotly.NET", "Plotly.NET.CSharp") + """

using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Workbench.Core;
using Workbench.Charts;
using Workbench.Generation;
using Workbench.Pipelines.Examples;
using Workbench.Replay;
"""),
            Md("""
## A generated dataset

Three sources of the `default-small` preset (latency, error rate and throughput every minute) for one day, generated
from the preset's seed: 3 sources × 3 metrics × 1,440 points, in timestamp order (ties by series).
"""),
            Code("""
var spec = ReplayExample.Spec(); // default-small, 3 sources × 1440 one-minute points
var generator = new DatasetGenerator(spec);
var observations = generator.GenerateObservations().ToArray();
Console.WriteLine($"{observations.Length:N0} observations of {generator.SeriesNames.Count} series, {observations[0].Timestamp:O} .. {observations[^1].Timestamp:O}");
foreach (var e in generator.Events)
    Console.WriteLine($"  event #{e.EventId} {e.Kind.Name,-11} in {e.Series} at row {e.Start}, {e.Length} rows");
"""),
            Md("""
## Virtual time

One replay, shared (`Publish`) by a counter that checks the clock against every timestamp and by a one-hour
`Buffer` running on the same scheduler. `RunToCompletion` plays the whole day as fast as the CPU allows; the hourly
windows close on the data's clock, half-open `[start, end)`.
"""),
            Code("""
var scheduler = new ReplayScheduler(observations[0].Timestamp);
var hourly = new List<(DateTime Closed, int Count)>();
long delivered = 0;
var clockIsTimestamp = true;
var replay = ObservationReplay.Virtual(observations, scheduler).Publish();
var subscriptions = new[]
{
    replay.Subscribe(o => { delivered++; clockIsTimestamp &= scheduler.UtcNow == o.Timestamp; }),
    ReplayExample.HourlyCounts(replay, scheduler).Subscribe(count => hourly.Add((scheduler.UtcNow, count))),
    replay.Connect(),
};
scheduler.RunToCompletion();
foreach (var s in subscriptions) s.Dispose();

Console.WriteLine($"delivered {delivered:N0}; clock equal to each timestamp: {clockIsTimestamp}; clock now {scheduler.UtcNow:O}");
Console.WriteLine($"{hourly.Count} hourly windows; the first three:");
foreach (var (closed, count) in hourly.Take(3)) Console.WriteLine($"  closed at {closed:HH:mm}: {count} observations");
"""),
            Md("""
## Scaled wall-clock time: speed, pause, seek, resume

The first 30 minutes of the nine series replay at 1000× (a minute of data every 60 ms). After five minutes of data the
session is paused, moved forward to minute 20 (the observations in between are skipped, not delivered), sped up to
2000× and resumed. About 0.6 s of wall time in all. `Progress` reports every state change.
"""),
            Code("""
var t0 = observations[0].Timestamp;
var window = observations.Where(o => o.Timestamp < t0.AddMinutes(30)).ToArray();
var session = ObservationReplay.Scaled(window, new ReplayOptions { Speed = 1000, ProgressInterval = TimeSpan.Zero }, Scheduler.Default);
var reasons = session.Progress.Select(p => p.Reason).DistinctUntilChanged().ToList().ToTask();
var received = new List<LabeledObservation>();
var finished = session.Observations.Do(o => { lock (received) received.Add(o); }).LastOrDefaultAsync().ToTask();

await session.Progress.FirstAsync(p => p.CurrentTimestamp >= t0.AddMinutes(5));
session.Pause();
var atPause = session.Snapshot();
session.Seek(t0.AddMinutes(20));
session.Speed = 2000;
session.Resume();
await finished;

Console.WriteLine($"paused at {atPause.CurrentTimestamp:HH:mm} after {atPause.Delivered} observations");
Console.WriteLine($"delivered {session.Delivered} of {window.Length}; position {session.Position}; state {session.State}");
Console.WriteLine($"data minutes delivered: {string.Join(" ", received.Select(o => o.Timestamp.Minute).Distinct())}");
Console.WriteLine($"progress: {string.Join(" → ", await reasons)}");
"""),
            Md("""
## The replayed day

The latency of the three sources, one panel each on a shared time axis; labelled anomalies are shaded in their kind's
colour.
"""),
            Code("""
ReplayChart.Create(observations.Where(o => o.Series.EndsWith("/latency", StringComparison.Ordinal)).ToArray(), "latency, one day")
"""),
        ]),

        ("02-generating-datasets.ipynb",
        [
            Md("""
# 02 · Generating a labelled dataset with every anomaly kind

A `DatasetSpec` and a seed describe a dataset completely: the same spec gives byte-identical data on every run and
machine (docs/GENERATOR.md). Here: four latency series (10-minute steps, a daily season, 16.7 days each) with six
injected events per series drawn from the five kinds — spike, level shift, drift, missing data and a seasonal
change — then a summary per kind and charts with the labelled spans shaded.
"""),
            Code(Refs("Workbench.Core", "Workbench.Charts", "Workbench.Pipelines", "System.Reactive", "Plotly.NET", "Plotly.NET.CSharp") + """

using Workbench.Core;
using Workbench.Charts;
using Workbench.Generation;
using Workbench.Pipelines.Examples;
"""),
            Md("""
## The spec

`ExampleDatasets.Latency` is the `default-small` preset's latency metric at a 10-minute step: its size, signal and the
anomaly plan (every source anomalous, six events each, kinds drawn with equal weights).
"""),
            Code("""
var spec = GeneratingExample.Spec(); // ExampleDatasets.Latency(sources: 4, points: 2400, eventsPerSource: 6, seed: 33)
var generator = new DatasetGenerator(spec);
var metric = spec.Metrics[0];
Console.WriteLine($"seed {spec.Seed}: {spec.Sources} sources × {spec.Points:N0} points every {spec.Frequency.TotalMinutes} min from {spec.Start:O}");
Console.WriteLine($"{metric.Name}: level {metric.Level} ± {metric.LevelSpread:P0}, season {metric.Seasonalities[0]}, noise {metric.Noise}");
var kinds = spec.Anomalies.Kinds;
Console.WriteLine($"anomalies: {spec.Anomalies.SourceRatio:P0} of sources, {spec.Anomalies.EventsPerSource} events each, min gap {spec.Anomalies.MinGap} rows");
Console.WriteLine($"  spike {kinds.Spike.Magnitude} σ × {kinds.Spike.Length} rows; level shift {kinds.LevelShift.Magnitude} σ × {kinds.LevelShift.Length} rows");
Console.WriteLine($"  drift {kinds.Drift.Magnitude} σ over {kinds.Drift.Length} rows; missing {kinds.Missing.Length} rows; seasonal × {kinds.Seasonal.AmplitudeFactor} for {kinds.Seasonal.Length} rows");
"""),
            Md("""
## What was injected, per kind

Every event the planner placed (series, kind, first row, length), then the counts per kind: events, and labelled
points in the generated data (a `missing` event's points have no value).
"""),
            Code("""
var observations = generator.GenerateObservations().ToArray();
var perKind = generator.Events
    .GroupBy(e => e.Kind.Name)
    .OrderBy(g => g.Key, StringComparer.Ordinal)
    .Select(g => new
    {
        Kind = g.Key,
        Events = g.Count(),
        Series = g.Select(e => e.Series).Distinct().Count(),
        LabelledPoints = observations.Count(o => o.Label.Kind?.Name == g.Key),
        MissingValues = observations.Count(o => o.Label.Kind?.Name == g.Key && o.IsMissing),
    })
    .ToArray();
Console.WriteLine($"{observations.Length:N0} observations, {observations.Count(o => o.Label.IsAnomaly):N0} labelled anomalous, {generator.Events.Count} events");
perKind
"""),
            Md("""
## All four series

One panel per series; each event's span is shaded in its kind's colour (legend on the right), so all five kinds are
visible.
"""),
            Code("""
ReplayChart.Create(observations, "four generated latency series")
"""),
            Md("""
## One event of each kind, up close

The first event of each kind with a day of context either side.
"""),
            Code("""
foreach (var e in generator.Events.GroupBy(e => e.Kind.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.First()))
{
    var from = generator.TimestampAt(Math.Max(0, e.Start - ExampleDatasets.PointsPerDay));
    var to = generator.TimestampAt(e.End + ExampleDatasets.PointsPerDay);
    var rows = observations.Where(o => o.Series == e.Series && o.Timestamp >= from && o.Timestamp < to).ToArray();
    display(SeriesChart.Create(rows, $"{e.Kind.Name}: event #{e.EventId} in {e.Series}"));
}
"""),
        ]),

        ("03-forecasting.ipynb",
        [
            Md("""
# 03 · Rolling forecasts: Holt-Winters, AR and an ONNX LSTM

Each forecaster makes a one-step-ahead forecast with a prediction interval for every row from the rows before it
(docs/FORECASTERS.md). Compared here on one latency series of the `default-small` preset (one-minute steps, four days):
Holt-Winters with a daily season, an AR(24) model refitted periodically, and the LSTM in `models/lstm-latency`
run through OnnxRuntime (docs/ONNX.md).
"""),
            Code(Refs("Workbench.Core", "Workbench.Charts", "Workbench.Onnx", "Workbench.Pipelines", "Microsoft.ML.OnnxRuntime", "System.Reactive", "Plotly.NET", "Plotly.NET.CSharp") + """

using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Charts;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Onnx;
using Workbench.Operators.Forecasting;
using Workbench.Pipelines.Examples;
"""),
            Md("""
## The series

The latency metric of a source with an anomaly on its third day or later (5,760 one-minute points). Holt-Winters needs
two seasons (two days) to initialise, so the forecasters are compared from the third day on.
"""),
            Code("""
var spec = ForecastingExample.Spec(); // default-small's latency metric, 4 sources × 4 days
var generator = new DatasetGenerator(spec);
var compareFrom = ForecastingExample.CompareFrom(spec); // two days of warm-up
var first = ForecastingExample.FirstEvent(generator);
var name = first.Series;
var series = generator.GenerateObservations().Where(o => o.Series == name).ToArray();
Console.WriteLine($"{name}: {series.Length} points; events: {string.Join(", ", generator.Events.Where(e => e.Series == name).Select(e => $"{e.Kind.Name} at {e.Start}"))}");
"""),
            Md("""
## The forecasters

Parsed from their spec strings, as the CLI does. The ONNX forecaster's model path is resolved against the repository
root (`WorkbenchPaths.RepositoryFile`), so the notebook works whatever the working directory is.
"""),
            Code("""
var model = WorkbenchPaths.RepositoryFile(OnnxForecaster.DefaultModel);
IForecaster[] forecasters = ForecastingExample.Forecasters(model); // holt-winters(period=1440), ar(p=24,window=720,every=60), onnx(model=…)
foreach (var f in forecasters) Console.WriteLine(f.Spec.Replace(model, "<repo>/" + OnnxForecaster.DefaultModel));
"""),
            Md("""
## Rolling one-step forecasts

Each forecaster runs as an Rx operator over the series (`Forecast`), one fresh state per subscription. Errors are
measured from the third day on the rows that have both a value and a forecast, outside labelled anomalies; coverage is
the share of those rows inside the interval.
"""),
            Code("""
var forecasts = new Dictionary<string, IList<ForecastedObservation>>();
foreach (var f in forecasters) forecasts[f.Name] = await series.ToObservable().Forecast(f).ToList();

forecasts.Select(kv =>
{
    var rows = kv.Value.Where(r => r.Observation.Timestamp >= compareFrom && r.Observation.Value is not null && r.Forecast.Value is not null && !r.Observation.Label.IsAnomaly).ToArray();
    return new
    {
        Forecaster = kv.Key,
        Forecasts = rows.Length,
        MAE = Math.Round(rows.Average(r => Math.Abs(r.Observation.Value!.Value - r.Forecast.Value!.Value)), 3),
        RMSE = Math.Round(Math.Sqrt(rows.Average(r => Math.Pow(r.Observation.Value!.Value - r.Forecast.Value!.Value, 2))), 3),
        Coverage = Math.Round(rows.Count(r => r.Forecast.Lower <= r.Observation.Value && r.Observation.Value <= r.Forecast.Upper) / (double)rows.Length, 3),
    };
}).ToArray()
"""),
            Md("""
## Forecast and prediction band

Six hours around the chosen event for each forecaster: the values, the forecast line and its interval band, and
the labelled span.
"""),
            Code("""
var from = generator.TimestampAt(Math.Max(0, first.Start - 180));
var to = generator.TimestampAt(first.Start + 180);
foreach (var (fname, rows) in forecasts)
{
    var part = rows.Where(r => r.Observation.Timestamp >= from && r.Observation.Timestamp < to).ToArray();
    display(SeriesChart.Create(SeriesChartData.FromForecasted(part) with { Title = $"{fname}: one-step forecasts around {first.Kind.Name} #{first.EventId}" }));
}
"""),
        ]),

        ("04-detectors.ipynb",
        [
            Md("""
# 04 · Detectors side by side

Five detectors score the same generated latency series (16.7 days at 10-minute steps, six labelled events covering
all five kinds): a rolling z-score, a rolling median/MAD score, CUSUM, a seasonal profile of the same time of day in
previous days, and NAB's windowed Gaussian. Each detector gives a continuous score for every row; a separate step
flags the rows whose score reaches the detector's threshold (docs/DETECTORS.md).
"""),
            Code(Refs("Workbench.Core", "Workbench.Charts", "Workbench.Pipelines", "System.Reactive", "Plotly.NET", "Plotly.NET.CSharp") + """

using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Charts;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Pipelines.Examples;
"""),
            Md("""
## The series and the detectors
"""),
            Code("""
var generator = new DatasetGenerator(DetectorsExample.Spec());
var observations = generator.GenerateObservations().ToArray();
foreach (var e in generator.Events) Console.WriteLine($"event #{e.EventId} {e.Kind.Name,-11} rows {e.Start}..{e.End - 1}");

// Edit a window or threshold here and rerun the cells below, e.g. "zscore(window=36,threshold=3)".
IDetector[] detectors = DetectorsExample.Detectors(new[]
{
    "zscore(window=36)",
    "mad(window=36)",
    "cusum",
    "seasonal-profile(cycle=day,slot=10,history=5)",
    "windowed-gaussian",
});
foreach (var d in detectors) Console.WriteLine($"{d.Name,-18} {d.Spec}  (threshold {d.Threshold})");
"""),
            Md("""
## Score and flag

`DetectAndFlag` is the Rx operator: one output per input, the observation and its label carried through untouched.
"""),
            Code("""
var rows = await DetectorsExample.DetectAll(observations.ToObservable(), detectors).ToList();
var flagged = rows.GroupBy(x => x.Detector).ToDictionary(g => g.Key, g => g.Select(x => x.Row).ToArray());
"""),
            Md("""
## Flags per detector

Flags on labelled rows (hits) and on normal rows (false alarms), and the events with at least one flagged row.
"""),
            Code("""
detectors.Select(d =>
{
    var rows = flagged[d.Name];
    return new
    {
        Detector = d.Name,
        Scored = rows.Count(r => r.Score is not null),
        Flags = rows.Count(r => r.Flag),
        Hits = rows.Count(r => r.Flag && r.Observation.Label.IsAnomaly),
        FalseAlarms = rows.Count(r => r.Flag && !r.Observation.Label.IsAnomaly),
        EventsFound = $"{rows.Where(r => r.Flag && r.Observation.Label.IsAnomaly).Select(r => r.Observation.Label.EventId).Distinct().Count()} / {generator.Events.Count}",
        KindsFound = string.Join(" ", rows.Where(r => r.Flag && r.Observation.Label.IsAnomaly).Select(r => r.Observation.Label.Kind!.Name).Distinct().Order(StringComparer.Ordinal)),
    };
}).ToArray()
"""),
            Md("""
## Each detector's view

The series with the labelled spans and the detector's flags (×), and below it the score with the threshold (dashed).
"""),
            Code("""
foreach (var d in detectors)
    display(SeriesChart.Create(SeriesChartData.FromFlagged(flagged[d.Name], d.Threshold, d.Name) with { Title = d.Spec }));
"""),
        ]),

        ("05-evaluation.ipynb",
        [
            Md("""
# 05 · Evaluating a detector suite

A suite of detectors is scored on a generated dataset and ranked in a leaderboard (docs/METRICS.md): point-wise,
point-adjusted (optimistic †), range-based and event metrics, ranking metrics from the raw scores, oracle
best-threshold F1 (‡), and event recall per anomaly kind. Then the same on the NAB corpus with its own scoring, if it
is on this machine, and finally the online evaluation operator, which updates the metrics as a replay flows.
"""),
            Code(Refs("Workbench.Core", "Workbench.Charts", "Workbench.Pipelines", "System.Reactive", "Plotly.NET", "Plotly.NET.CSharp") + """

using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Charts;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Online;
using Workbench.Evaluation.Runs;
using Workbench.Generation;
using Workbench.Import;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Pipelines.Examples;
using Workbench.Replay;
"""),
            Md("""
## Data and detectors

Eight latency series of 2,400 ten-minute points with six events each (all five kinds), and eight detectors at their
default thresholds (`random` is the floor every detector should beat).
"""),
            Code("""
var generator = new DatasetGenerator(EvaluationExample.Spec()); // ExampleDatasets.Latency(sources: 8, seed: 5)
var data = LabeledSeriesSet.FromObservations("latency-8x2400", generator.GenerateObservations());
IDetector[] detectors = EvaluationExample.Detectors();
Console.WriteLine(string.Join(", ", EvaluationExample.DetectorSpecs));
Console.WriteLine($"{data.Series.Count} series, {data.RowCount:N0} rows, {generator.Events.Count} events; {detectors.Length} detectors");
"""),
            Md("""
## The leaderboard

`DetectorEvaluator.Evaluate` runs each detector's batch path (identical to its streaming operator) over every series;
`Leaderboard` sorts by F1 and marks optimistic (†) and oracle (‡) columns.
"""),
            Code("""
var evaluations = DetectorEvaluator.Evaluate(data, detectors);
var board = Leaderboard.Create(evaluations, "f1");
Console.WriteLine(board.ToText());
"""),
            Md("""
## Event recall per anomaly kind

Which detector finds which kind: the share of each kind's events with at least one flagged point.
"""),
            Code("""
EvaluationCharts.KindRecallHeatmap(board.Rows, "event recall by kind")
"""),
            Md("""
## ROC and precision–recall curves

From the raw scores, every threshold at once; the legend gives the AUC and the average precision. Every distinct score
is a point of a curve, so to keep the figures small they are drawn for four detectors on the first two series.
"""),
            Code("""
var two = new LabeledSeriesSet("first two series", data.Series.Take(2).ToArray());
var labels = two.Series.Select(s => s.IsAnomaly).ToArray();
var scores = detectors.Where(d => d.Name is "seasonal-profile" or "level-shift" or "cusum" or "random")
    .Select(d => new DetectorScores(d.Name, labels, DetectorEvaluator.Score(d, two))).ToArray();
display(RankingCurves.Roc(scores, "ROC"));
display(RankingCurves.PrecisionRecall(scores, "precision–recall"));
"""),
            Md("""
## On NAB

The Numenta Anomaly Benchmark corpus (58 real and artificial series with labelled windows) is not in the repository.
`WorkbenchPaths.FindNabRoot` looks for it in the folder named by `WORKBENCH_NAB_ROOT`, else in
`<repository>/../shared/datasets/nab`. Two detectors are scored with NAB's standard, low-FP and low-FN profiles (each
at its best threshold over the corpus, as NAB does) alongside the general metrics.
"""),
            Code("""
var nabRoot = WorkbenchPaths.FindNabRoot();
if (nabRoot is null)
{
    Console.WriteLine("The NAB corpus was not found. To add it: clone https://github.com/numenta/NAB and point WORKBENCH_NAB_ROOT at the clone");
    Console.WriteLine("(the folder holding data/ and labels/combined_windows.json), or copy those two folders to <repository>/../shared/datasets/nab.");
}
else
{
    var corpus = NabCorpus.Load(nabRoot);
    var nabDetectors = new[] { "windowed-gaussian", "random" }.Select(OperatorCatalog.BuiltIn.ParseDetector).ToArray();
    var nab = NabCorpusEvaluator.Evaluate(corpus, nabDetectors);
    Console.WriteLine($"NAB: {corpus.Files.Count} files");
    display(nab.Select(e => new
    {
        Detector = e.Name,
        Standard = Math.Round(e.Nab!.Scores["standard"], 1),
        RewardLowFP = Math.Round(e.Nab.Scores["reward_low_FP_rate"], 1),
        RewardLowFN = Math.Round(e.Nab.Scores["reward_low_FN_rate"], 1),
        EventRecall = Math.Round(e.EventRecall, 3),
        RocAuc = Math.Round(e.RocAuc, 3),
    }).ToArray());
}
"""),
            Md("""
## Online evaluation over a replay

`EvaluateOnline` turns a flagged stream into running metrics. Here one series replays in virtual time through
`zscore` and the operator, which emits a snapshot every 24 rows (4 hours of data); an event counts towards event
recall once it has closed.
"""),
            Code("""
var one = data.Series[0].Observations().ToArray();
var scheduler = new ReplayScheduler(one[0].Timestamp);
var snapshots = new List<EvaluationSnapshot>();
using (EvaluationExample.OnlineEvaluation(ObservationReplay.Virtual(one, scheduler), detectors[0])
    .Subscribe(snapshots.Add))
{
    scheduler.RunToCompletion();
}

var final = snapshots[^1];
Console.WriteLine($"{snapshots.Count} snapshots; final: F1 {final.PointF1:0.000}, event recall {final.EventRecall:0.000} ({final.DetectedClosedEvents}/{final.ClosedEvents}), false alarms/day {final.FalseAlarmsPerDay:0.00}");
EvaluationCharts.OnlineMetrics(snapshots, $"{detectors[0].Name} on {data.Series[0].Name}: running metrics")
"""),
        ]),

        ("06-snapshot-testing.ipynb",
        [
            Md("""
# 06 · Snapshot-testing a pipeline

A pipeline's behaviour over a replay is recorded in virtual time as a readable **transcript** — a header describing the
data and operators, one marble line per output key, statistics with digests, and the notable events — and compared
with a committed snapshot (docs/SNAPSHOTS.md). This notebook records two detectors sharing one replay, verifies the
transcript against `notebooks/snapshots/06-zscore-mad.snap`, and shows what a deliberate change looks like.
"""),
            Code(Refs("Workbench.Core", "Workbench.Testing", "Workbench.Pipelines", "System.Reactive") + """

using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Pipelines.Examples;
using Workbench.Testing;
"""),
            Md("""
## The pipeline

A z-score and a MAD detector score and flag the same replay of the example series (2,400 points, six events of all
five kinds), each branch tagged with its name.
"""),
            Code("""
var generator = new DatasetGenerator(DetectorsExample.Spec());
var observations = generator.GenerateObservations().ToArray();

PipelineTranscript Record(IDetector[] detectors) => PipelineRecording.Record(
    observations,
    replay => DetectorsExample.DetectAll(replay, detectors).Select(x => new TaggedEvent(x.Detector, x.Row)),
    new RecordingOptions
    {
        Name = "notebook 06: zscore and mad",
        Header = [.. TranscriptHeader.ForGenerated(generator), .. detectors.Select(d => $"detector {d.Spec}")],
    });

var detectors = DetectorsExample.Detectors(DetectorsExample.SnapshotSpecs); // zscore(window=36), mad(window=36)
var transcript = Record(detectors);
"""),
            Md("""
## The transcript

Its first lines: the header, the marble lines (`!` hit, `x` false alarm, `o` labelled but not flagged, `-` normal),
the statistics and the first events.
"""),
            Code("""
var lines = transcript.Lines;
Console.WriteLine($"{lines.Count} lines; the first 30:");
Console.WriteLine(string.Join("\n", lines.Take(30)));
"""),
            Md("""
## Verify against the committed snapshot

`SnapshotFile.Verify` compares without writing. The cell fails if the transcript no longer matches, so running the
notebooks (as the test suite does) checks the snapshot. After an intended change, recreate it deliberately with
`SnapshotFile.Write(path, transcript)` and review the `git diff`.
"""),
            Code("""
var snapshot = WorkbenchPaths.RepositoryFile("notebooks/snapshots/06-zscore-mad.snap");
var result = SnapshotFile.Verify(snapshot, transcript);
if (!result.Matches) throw new InvalidOperationException(result.Message);
Console.WriteLine($"matches the committed snapshot ({result.Expected.Count} lines)");
"""),
            Md("""
## A deliberate change is caught

The same pipeline with the z-score threshold lowered from 4 to 3: the comparison names the first differing line and
prints a unified diff (`-` snapshot, `+` received) — the changed header line, the new flags and the changed digests.
"""),
            Code("""
var changed = Record([OperatorCatalog.BuiltIn.ParseDetector("zscore(window=36,threshold=3)"), detectors[1]]);
var mismatch = SnapshotFile.Verify(snapshot, changed);
Console.WriteLine($"matches: {mismatch.Matches}; first different line: {mismatch.FirstDifferentLine}");
Console.WriteLine(string.Join("\n", mismatch.Message.Split('\n').Take(40)));
"""),
        ]),
        ("07-power-grid.ipynb", PipelineBook(
            "07 · Reference pipeline: power-grid load monitor",
            """
Hourly load of grid regions is replayed; a rolling one-step Holt-Winters forecast (weekly season) predicts each hour, a
k-means daily-profile benchmark trained on the first 80 % of the history gives the typical load for that hour, and an
hour is anomalous when forecast and benchmark disagree by 9 % or more — the rule of the system this rebuilds. Forecast
drift (MAE/MAPE of the first vs the last 24 monitored hours) is reported beside the alerts.
""",
            "Workbench.Pipelines.PowerGrid", "PowerGridPipeline", "power-grid", [],
            """
The reduced variant: 2 regions × 150 days of the `hourly-load` preset (daily and weekly shape, holidays, annual cycle),
the benchmark trained on the first 120 days, and spikes, drops and drift injected in the last 30.
""")),

        ("08-market-data.ipynb", PipelineBook(
            "08 · Reference pipeline: market-data stream",
            """
Exchange ticks with re-sent duplicates and malformed prices are validated and de-duplicated (every drop counted), built
into OHLCV candles at 1 m, 5 m, 15 m, 1 h, 4 h and 1 d at once, and SMA, EMA, RSI, MACD and Bollinger bands are computed
per timeframe; alerts flag jumps and spikes outside the bands, volatility bursts and stale feeds per symbol.
""",
            "Workbench.Pipelines.MarketData", "MarketDataPipeline", "market-data", [],
            """
The reduced variant: 3 symbols × 1 day of the `market-ticks` preset (bursty arrivals, 0.5 % duplicates, 0.1 % malformed
rows; spikes, jumps, volatility bursts and stale feeds labelled).
""")),

        ("09-smart-meters.ipynb", PipelineBook(
            "09 · Reference pipeline: smart-meter telemetry",
            """
Power readings of thousands of meters, each on its own irregular 10–60 s cadence, merged in one stream; per meter they
are aggregated into 1-minute and 15-minute windows (mean, max, energy, count), an EMA baseline with 80/20 weighting
follows the 1-minute means, and a window more than 100 % above it (spike), more than 50 % below it (drop) or under
0.1 kW (outage) raises an alert with its severity.
""",
            "Workbench.Pipelines.SmartMeters", "SmartMetersPipeline", "smart-meters", [],
            """
The reduced variant: 50 meters of the `smart-meters` preset from 14:00 to 20:00 (households and buildings with daily
profiles and appliance switching), 8 spikes, 8 drops and 8 outages labelled.
""")),

        ("10-plant-sensors.ipynb", PipelineBook(
            "10 · Reference pipeline: plant sensor monitor",
            """
Correlated 1 Hz sensor channels of a plant (temperatures, pressures, vibration, flow) feed, second by second, an ONNX
LSTM per channel and a baseline against the consensus of the other channels; a weighted ensemble turns them into a risk
score in [0, 1], raised as warning (0.7) and critical (0.85) alerts that a modelled operator acknowledges.
""",
            "Workbench.Pipelines.PlantSensors", "PlantSensorsPipeline", "plant-sensors", ["Workbench.Onnx", "Microsoft.ML.OnnxRuntime"],
            """
The reduced variant: 16 channels × 2 hours of the `plant-sensors` preset, with sensor spikes, stuck sensors, drift away
from the peers and process upsets labelled.
""")),

        ("11-data-factory.ipynb", PipelineBook(
            "11 · Reference pipeline: labelled-data factory",
            """
The end-to-end loop its authors ran with a generator script, CSV files and a message broker: the `ops-metrics` preset
generated, written to Parquet, replayed from the file into a detector suite (one detector aimed at each injected kind)
whose scores become alerts, and every alert evaluated against the labels.
""",
            "Workbench.Pipelines.DataFactory", "DataFactoryPipeline", "data-factory", [],
            """
The reduced variant: the `ops-metrics` preset with 20 sources (60 series × 1,440 one-minute points, five anomaly kinds).
""")),
    ];
}
